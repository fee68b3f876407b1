using Telephony.Speech.Audio;
using Telephony.Speech.Pool;
using Telephony.Speech.Recognition;
using Telephony.Speech.Tests.Fixtures;

namespace Telephony.Speech.Tests.Pool;

/// <summary>The IVR hands the pool a recorded utterance at the call's rate: 8 kHz for G.711.</summary>
public class TelephoneRateTests
{
    private const string Sentence = "wo3 jia1 fu4 jin4 de5 lu4 deng1 huai4 le5, qing3 pai4 ren2 lai2 xiu1.";

    [Test]
    public async Task An_8_kHz_recording_is_upsampled_and_transcribed_with_its_16_kHz_duration_and_timings()
    {
        SpeechFixtures.RequireWhisper();
        var wide = Pcm16Wav.Read(TestAudio.Speech(Sentence));
        var narrow = new short[wide.Length / 2];
        for (var i = 0; i < narrow.Length; i++) narrow[i] = wide[2 * i]; // espeak's speech is band-limited enough for a plain decimation here
        using var model = WhisperModel.Load(SpeechFixtures.TinyModel);
        using var pool = new TranscriptionPool(model, new TranscriptionPoolOptions { Workers = 1, ThreadsPerWorker = 2, Decoding = SpeechFixtures.TestDecoding });

        var result = await pool.TranscribeAsync(narrow, 8000).WaitAsync(TimeSpan.FromMinutes(1));

        TestContext.Out.WriteLine($"{result.Transcript.AudioDuration.TotalSeconds:0.00} s in {result.Transcript.ProcessingTime.TotalMilliseconds:0} ms (encode {result.Transcript.EncodeTime.TotalMilliseconds:0} ms), confidence {result.Transcript.Confidence:0.000}");
        Assert.Multiple(() =>
        {
            Assert.That(result.Transcript.SkippedAsSilence, Is.False);
            Assert.That(result.Transcript.AudioDuration.TotalSeconds, Is.EqualTo(narrow.Length / 8000.0).Within(0.001));
            Assert.That(result.Transcript.EncodeTime, Is.GreaterThan(TimeSpan.Zero));
            Assert.That(result.Transcript.Confidence, Is.InRange(0f, 1f));
        });
    }

    [Test]
    public void A_rate_other_than_8_or_16_kHz_is_refused_before_queueing()
    {
        SpeechFixtures.RequireWhisper();
        using var model = WhisperModel.Load(SpeechFixtures.TinyModel);
        using var pool = new TranscriptionPool(model, new TranscriptionPoolOptions { Workers = 1, ThreadsPerWorker = 1, Decoding = SpeechFixtures.TestDecoding });
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.TranscribeAsync(new short[44100], 44100));
        Assert.That(pool.Waiting, Is.Zero);
    }
}
