using Telephony.Speech.Audio;
using Telephony.Speech.Pool;
using Telephony.Speech.Recognition;
using Telephony.Speech.Tests.Fixtures;
using Telephony.Speech.Vad;
using Telephony.Testing;

namespace Telephony.Speech.Tests.Pool;

public class CallTranscriberTests
{
    [Test]
    public async Task Each_utterance_is_written_before_it_is_transcribed_and_a_hang_up_cancels_the_rest()
    {
        SpeechFixtures.RequireWhisper();
        string[] sentences = ["wo3 yao4 cha2 xun2 gong1 dan1 jin4 du4.", "gong1 dan1 hao4 ma3 shi4 yi1 er4 san1 si4."];
        var audio = Pcm16Wav.Read(TestAudio.Telephone(sentences, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1.5), -35));
        var dir = RepositoryPaths.NewScratchDirectory("calls");
        using var model = WhisperModel.Load(SpeechFixtures.TinyModel);
        using var pool = new TranscriptionPool(model, new TranscriptionPoolOptions { Workers = 1, ThreadsPerWorker = 2, Decoding = SpeechFixtures.TestDecoding with { AudioContext = 256 } });
        using var vad = SileroVad.Load(SpeechFixtures.VadModel);
        var call = new CallTranscriber("call-7", Endpointer.WithSilero(vad), pool, dir);

        var utterances = new List<CallUtterance>();
        for (var i = 0; i < audio.Length; i += 320)
        {
            foreach (var u in call.Push(audio.AsSpan(i, Math.Min(320, audio.Length - i))))
            {
                Assert.That(File.Exists(u.WavPath), "written before transcription starts");
                Assert.That(Pcm16Wav.Read(u.WavPath), Is.EqualTo(u.Utterance.Samples));
                utterances.Add(u);
            }
        }
        utterances.AddRange(call.Complete());
        Assert.That(utterances.Select(u => Path.GetFileName(u.WavPath)), Is.EqualTo(new[] { "call-7-utt001.wav", "call-7-utt002.wav" }));

        var first = await utterances[0].Transcription.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.That(first.Transcript.SkippedAsSilence, Is.False);
        call.Dispose(); // hang-up
        var second = utterances[1].Transcription;
        await Task.WhenAny(second, Task.Delay(TimeSpan.FromMinutes(1)));
        TestContext.Out.WriteLine($"second utterance after the hang-up: {second.Status}");
        Assert.That(second.IsCanceled || second.IsCompletedSuccessfully, $"cancelled, unless it had already finished: {second.Status}");
        Directory.Delete(dir, recursive: true);
    }
}
