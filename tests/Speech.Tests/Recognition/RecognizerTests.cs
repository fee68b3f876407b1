using System.Diagnostics;
using Telephony.Speech.Audio;
using Telephony.Speech.Recognition;
using Telephony.Speech.Tests.Fixtures;

namespace Telephony.Speech.Tests.Recognition;

/// <summary>Real whisper.cpp compute on the test models (tiny/base shapes, no weights: the text means nothing).</summary>
public class RecognizerTests
{
    private const string Complaint = "nin2 hao3, wo3 yao4 tou2 su4 lou2 xia4 de5 can1 guan3 ye4 li3 tai4 chao3 le5.";

    [Test]
    public void Tiny_test_model_loads_and_transcribes_espeak_mandarin_with_timings()
    {
        SpeechFixtures.RequireWhisper();
        var samples = Pcm16Wav.ToFloat(Pcm16Wav.Read(TestAudio.Speech(Complaint)));
        using var model = WhisperModel.Load(SpeechFixtures.TinyModel);
        using var recognizer = model.CreateRecognizer();
        var clock = Stopwatch.StartNew();
        var transcript = recognizer.Transcribe(samples, SpeechFixtures.TestDecoding);
        clock.Stop();
        TestContext.Out.WriteLine($"{transcript.AudioDuration.TotalSeconds:0.00} s of audio in {transcript.ProcessingTime.TotalMilliseconds:0} ms, " +
                                  $"language {transcript.Language}, confidence {transcript.Confidence:0.000}, {transcript.Segments.Count} segment(s)");
        Assert.Multiple(() =>
        {
            Assert.That(transcript.SkippedAsSilence, Is.False);
            Assert.That(transcript.Language, Is.EqualTo("zh"));
            Assert.That(transcript.AudioDuration.TotalSeconds, Is.EqualTo(samples.Length / 16000.0).Within(0.001));
            Assert.That(transcript.ProcessingTime, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(clock.Elapsed));
            Assert.That(transcript.Confidence, Is.InRange(0f, 1f));
        });
    }

    [Test]
    public void A_window_fitted_to_the_utterance_encodes_in_less_time_and_reports_the_split()
    {
        SpeechFixtures.RequireWhisper();
        var samples = Pcm16Wav.ToFloat(Pcm16Wav.Read(TestAudio.Speech(Complaint)));
        using var model = WhisperModel.Load(SpeechFixtures.TinyModel);
        using var recognizer = model.CreateRecognizer();
        var full = recognizer.Transcribe(samples, SpeechFixtures.TestDecoding with { FitAudioContext = false });
        var fitted = recognizer.Transcribe(samples, SpeechFixtures.TestDecoding with { FitAudioContext = true });
        TestContext.Out.WriteLine($"full window: {full.AudioContextFrames} frames, encode {full.EncodeTime.TotalMilliseconds:0} ms, {full.DecoderSteps} decoder steps in {full.DecodeTime.TotalMilliseconds:0} ms; " +
                                  $"fitted: {fitted.AudioContextFrames} frames, encode {fitted.EncodeTime.TotalMilliseconds:0} ms, {fitted.DecoderSteps} steps in {fitted.DecodeTime.TotalMilliseconds:0} ms");
        Assert.Multiple(() =>
        {
            Assert.That(full.AudioContextFrames, Is.EqualTo(1500));
            Assert.That(fitted.AudioContextFrames, Is.LessThan(1500));
            Assert.That(full.EncodeTime, Is.GreaterThan(TimeSpan.Zero).And.LessThan(full.ProcessingTime));
            Assert.That(full.DecoderSteps, Is.GreaterThanOrEqualTo(1));
            Assert.That(fitted.EncodeTime + fitted.DecodeTime, Is.LessThanOrEqualTo(fitted.ProcessingTime));
            // The encoder is a fixed amount of work per frame: a window under half the size must not cost more.
            Assert.That(fitted.EncodeTime, Is.LessThan(full.EncodeTime));
        });
    }

    [Test]
    public void Cancelling_mid_run_aborts_whisper_and_the_recognizer_still_works()
    {
        // whisper.cpp 1.9.1 polls the abort callback after each encoder pass (one 30 s window) and each
        // decoder step, not inside a pass: 75 s of audio is three windows, and a cancellation during the
        // first must return after about one of them instead of three.
        SpeechFixtures.RequireWhisper();
        var one = Pcm16Wav.Read(TestAudio.Speech(Complaint));
        var samples = Pcm16Wav.ToFloat(Enumerable.Repeat(one.Concat(new short[16000 * 2]), 11).SelectMany(x => x).ToArray());
        Assert.That(samples.Length / 16000.0, Is.GreaterThan(60), "three windows");
        using var model = WhisperModel.Load(SpeechFixtures.TinyModel);
        using var recognizer = model.CreateRecognizer();
        var options = SpeechFixtures.TestDecoding;

        var full = recognizer.Transcribe(samples, options).ProcessingTime;
        using var cancel = new CancellationTokenSource(full / 6);
        var clock = Stopwatch.StartNew();
        Assert.Throws<OperationCanceledException>(() => recognizer.Transcribe(samples, options, cancel.Token));
        clock.Stop();
        TestContext.Out.WriteLine($"full run {full.TotalMilliseconds:0} ms; cancelled after {full.TotalMilliseconds / 6:0} ms, returned after {clock.ElapsedMilliseconds} ms");
        Assert.That(clock.Elapsed, Is.LessThan(full * 0.75), "the abort callback should stop the run after the current window");

        var again = recognizer.Transcribe(samples[..(16000 * 5)], options);
        Assert.That(again.ProcessingTime, Is.GreaterThan(TimeSpan.Zero));
    }

    [Test]
    public void Silence_never_reaches_the_model()
    {
        SpeechFixtures.RequireWhisper();
        using var model = WhisperModel.Load(SpeechFixtures.TinyModel);
        using var recognizer = model.CreateRecognizer();
        var hiss = new float[16000 * 3];
        var random = new Random(7);
        for (var i = 0; i < hiss.Length; i++) hiss[i] = (float)(random.NextDouble() - 0.5) * 0.002f; // about -60 dBFS
        var transcript = recognizer.Transcribe(hiss, SpeechFixtures.TestDecoding);
        Assert.That((transcript.SkippedAsSilence, transcript.Text, transcript.ProcessingTime), Is.EqualTo((true, "", TimeSpan.Zero)));
    }

    [Test]
    public void A_token_cancelled_before_the_run_throws_without_running()
    {
        SpeechFixtures.RequireWhisper();
        using var model = WhisperModel.Load(SpeechFixtures.TinyModel);
        using var recognizer = model.CreateRecognizer();
        Assert.Throws<OperationCanceledException>(() => recognizer.Transcribe(new float[16000], SpeechFixtures.TestDecoding, new CancellationToken(true)));
    }
}
