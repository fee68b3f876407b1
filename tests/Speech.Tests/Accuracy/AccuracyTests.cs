using System.Globalization;
using Telephony.Speech.Audio;
using Telephony.Speech.Models;
using Telephony.Speech.Recognition;
using Telephony.Speech.Tests.Fixtures;
using Telephony.Testing;

namespace Telephony.Speech.Tests.Accuracy;

/// <summary>
/// Character error rate on 50 hotline sentences spoken by espeak-ng, through the telephone band. Needs a
/// trained model (ggml-base.bin or another in <see cref="ModelLocator.TrainedModelNames"/>): none can be
/// downloaded on the build machines, so without one the test is skipped, as the README's test command says.
/// </summary>
public class AccuracyTests
{
    [Test]
    public void Character_error_rate_on_fifty_hotline_sentences_is_printed()
    {
        var model = ModelLocator.FindTrained(RepositoryPaths.Root);
        if (model is null) Assert.Ignore($"Skipped: {ModelLocator.HowToGetAModel}.");
        SpeechFixtures.RequireWhisper();

        var sentences = File.ReadLines(Path.Combine(TestContext.CurrentContext.TestDirectory, "Accuracy", "hotline-sentences.tsv"))
            .Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t')).ToList();
        Assert.That(sentences, Has.Count.EqualTo(50));

        using var whisper = WhisperModel.Load(model!);
        using var recognizer = whisper.CreateRecognizer();
        long errors = 0, reference = 0;
        foreach (var s in sentences)
        {
            var audio = Pcm16Wav.Read(TestAudio.Telephone([s[1]], TimeSpan.FromSeconds(0.3), TimeSpan.Zero, TimeSpan.FromSeconds(0.3), -40));
            var text = recognizer.Transcribe(Pcm16Wav.ToFloat(audio), TranscriptionOptions.Default with { Threads = Environment.ProcessorCount }).Text;
            var distance = CharacterErrorRate.Distance(CharacterErrorRate.Normalize(s[0]), CharacterErrorRate.Normalize(text));
            errors += distance;
            reference += CharacterErrorRate.Normalize(s[0]).Length;
            TestContext.Out.WriteLine($"{distance,2}  {s[0]}  ->  {text}");
        }
        var cer = (double)errors / reference;
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CER {cer:P1} over {reference} characters, model {whisper.Check.Message}"));
        Assert.That(cer, Is.InRange(0.0, 1.0));
    }
}

/// <summary>Levenshtein distance over characters, after dropping punctuation and spaces.</summary>
public static class CharacterErrorRate
{
    public static string Normalize(string text) =>
        new(text.Where(c => !char.IsPunctuation(c) && !char.IsWhiteSpace(c) && !char.IsSymbol(c)).ToArray());

    public static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}

/// <summary>
/// Speculative transcription against the plain path on real words: needs a trained model like the CER test
/// (whisper.cpp's test models decode no text whatever the audio, so only the structural check in
/// Pool/SpeculationTests runs without one). Skipped without a model, as the README's test command says.
/// </summary>
public class SpeculationAccuracyTests
{
    [Test]
    public async Task Speculative_and_plain_transcripts_are_identical_on_ten_hotline_sentences()
    {
        var model = ModelLocator.FindTrained(RepositoryPaths.Root);
        if (model is null) Assert.Ignore($"Skipped: {ModelLocator.HowToGetAModel}.");
        SpeechFixtures.RequireWhisper();
        var sentences = File.ReadLines(Path.Combine(TestContext.CurrentContext.TestDirectory, "Accuracy", "hotline-sentences.tsv"))
            .Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t')[1]).Take(10).ToList();
        using var whisper = WhisperModel.Load(model!);
        using var pool = new Speech.Pool.TranscriptionPool(whisper, new Speech.Pool.TranscriptionPoolOptions { Workers = 1 });
        using var vad = Speech.Vad.SileroVad.Load(SpeechFixtures.VadModel);
        var dir = RepositoryPaths.NewScratchDirectory("speculation-accuracy");
        foreach (var pinyin in sentences)
        {
            var audio = Pcm16Wav.Read(TestAudio.Telephone([pinyin], TimeSpan.FromSeconds(0.5), TimeSpan.Zero, TimeSpan.FromSeconds(1.5), -40));
            var texts = new List<string>();
            foreach (var pause in new TimeSpan?[] { null, TimeSpan.FromMilliseconds(300) })
            {
                using var call = new Speech.Pool.CallTranscriber("acc", Speech.Vad.Endpointer.WithSilero(vad), pool, dir, speculateAfter: pause);
                var utterances = new List<Speech.Pool.CallUtterance>();
                for (var i = 0; i < audio.Length; i += 320) utterances.AddRange(call.Push(audio.AsSpan(i, Math.Min(320, audio.Length - i))));
                utterances.AddRange(call.Complete());
                var results = await Task.WhenAll(utterances.Select(u => u.Transcription));
                texts.Add(string.Join(" | ", results.Select(r => r.Transcript.Text)));
                if (pause is not null) Assert.That(call.Speculation!.Used, Is.EqualTo(utterances.Count), "every utterance came from its speculative run");
            }
            TestContext.Out.WriteLine($"{pinyin}  ->  {texts[0]}");
            Assert.That(texts[0], Is.Not.Empty);
            Assert.That(texts[1], Is.EqualTo(texts[0]));
        }
        Directory.Delete(dir, recursive: true);
    }
}
