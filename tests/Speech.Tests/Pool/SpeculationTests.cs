using Telephony.Speech.Audio;
using Telephony.Speech.Pool;
using Telephony.Speech.Recognition;
using Telephony.Speech.Tests.Fixtures;
using Telephony.Speech.Vad;
using Telephony.Testing;

namespace Telephony.Speech.Tests.Pool;

/// <summary>Speculative transcription at a 300 ms pause: same transcript, cancelled on resumed speech, lowest priority in the pool.</summary>
public class SpeculationTests
{
    private static readonly string[] Sentences = ["wo3 yao4 tou2 su4 lou2 xia4 de5 can1 guan3.", "ye4 li3 tai4 chao3 le5."];
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(300);
    private static readonly TranscriptionOptions Quick = SpeechFixtures.TestDecoding with { AudioContext = 256 };

    private static TranscriptionPool Pool(WhisperModel model, TranscriptionOptions? decoding = null) =>
        new(model, new TranscriptionPoolOptions { Workers = 1, ThreadsPerWorker = 2, Decoding = decoding ?? Quick });

    /// <summary>Feeds 20 ms packets (as fast as it can) and returns the call's utterances with when each was declared.</summary>
    private static List<(CallUtterance Utterance, DateTimeOffset Declared)> Feed(CallTranscriber call, short[] audio)
    {
        var result = new List<(CallUtterance, DateTimeOffset)>();
        for (var i = 0; i < audio.Length; i += 320)
            foreach (var u in call.Push(audio.AsSpan(i, Math.Min(320, audio.Length - i)))) result.Add((u, DateTimeOffset.UtcNow));
        foreach (var u in call.Complete()) result.Add((u, DateTimeOffset.UtcNow));
        return result;
    }

    [Test]
    public async Task Speculation_gives_the_same_transcript_as_the_plain_path()
    {
        SpeechFixtures.RequireWhisper();
        var audio = Pcm16Wav.Read(TestAudio.CleanSequence(Sentences[..1], TimeSpan.FromSeconds(0.5), TimeSpan.Zero, TimeSpan.FromSeconds(1.5)));
        var dir = RepositoryPaths.NewScratchDirectory("speculation");
        using var model = WhisperModel.Load(SpeechFixtures.TinyModel);
        using var pool = Pool(model);
        using var vad = SileroVad.Load(SpeechFixtures.VadModel);

        using var plainCall = new CallTranscriber("plain", Endpointer.WithSilero(vad), pool, dir);
        var plain = Feed(plainCall, audio);
        Assert.That(plain, Has.Count.EqualTo(1));
        var p = await plain[0].Utterance.Transcription.WaitAsync(TimeSpan.FromMinutes(1)); // the worker is idle again
        using var speculativeCall = new CallTranscriber("spec", Endpointer.WithSilero(vad), pool, dir, speculateAfter: Pause);
        var speculative = Feed(speculativeCall, audio);

        Assert.That(speculative, Has.Count.EqualTo(1));
        Assert.That(speculative[0].Utterance.Utterance.Samples, Is.EqualTo(plain[0].Utterance.Utterance.Samples), "the same audio");
        var s = await speculative[0].Utterance.Transcription.WaitAsync(TimeSpan.FromMinutes(1));
        var direct = await pool.TranscribeAsync(plain[0].Utterance.Utterance.Samples).WaitAsync(TimeSpan.FromMinutes(1));
        TestContext.Out.WriteLine($"plain '{p.Transcript.Text}' ({p.Transcript.ProcessingTime.TotalMilliseconds:0} ms), speculative '{s.Transcript.Text}', " +
                                  $"queued {(speculative[0].Declared - s.Enqueued).TotalMilliseconds:0} ms before the end was declared, started {(s.Started - s.Enqueued).TotalMilliseconds:0} ms after queueing");
        // The test model's text is empty whatever the audio: the guarantee checked here is the structural one (the
        // kept run was of exactly the final samples); the trained-model test below compares real text.
        Assert.That(s.Transcript.AudioDuration, Is.EqualTo(p.Transcript.AudioDuration));
        Assert.That(s.Transcript.Text, Is.EqualTo(p.Transcript.Text));
        Assert.That(s.Transcript.Confidence, Is.EqualTo(p.Transcript.Confidence));
        Assert.That(s.Transcript.Segments.Select(x => x.Text), Is.EqualTo(p.Transcript.Segments.Select(x => x.Text)));
        Assert.That(direct.Transcript.Text, Is.EqualTo(p.Transcript.Text), "and the same as a direct request on those samples");
        Assert.That(p.Speculative, Is.False);
        Assert.That(s.Speculative, Is.True, "the speculative run was kept");
        Assert.That(speculativeCall.Speculation!.Used, Is.EqualTo(1));
        Assert.That(s.Enqueued, Is.LessThan(speculative[0].Declared), "timings: the kept run was queued at the pause, before the end was declared");
        Assert.That(s.Completed, Is.GreaterThanOrEqualTo(s.Started));
        Assert.That(File.Exists(speculative[0].Utterance.WavPath), "the utterance is on disk");
        Directory.Delete(dir, recursive: true);
    }

    [Test]
    public async Task Resumed_speech_cancels_the_speculative_run_and_the_whole_utterance_is_transcribed()
    {
        SpeechFixtures.RequireWhisper();
        // A 500 ms gap: past the 300 ms pause, short of the 800 ms end, so one utterance with a speculation abandoned inside.
        var audio = Pcm16Wav.Read(TestAudio.CleanSequence(Sentences, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.5)));
        var dir = RepositoryPaths.NewScratchDirectory("speculation");
        using var model = WhisperModel.Load(SpeechFixtures.TinyModel);
        using var pool = Pool(model);
        using var vad = SileroVad.Load(SpeechFixtures.VadModel);
        using var call = new CallTranscriber("resume", Endpointer.WithSilero(vad), pool, dir, speculateAfter: Pause);

        var utterances = Feed(call, audio);
        Assert.That(utterances, Has.Count.EqualTo(1), "the gap did not end the utterance");
        var result = await utterances[0].Utterance.Transcription.WaitAsync(TimeSpan.FromMinutes(1));
        var spec = call.Speculation!;
        TestContext.Out.WriteLine($"started {spec.Started}, cancelled {spec.Cancelled}, refused {spec.Refused}, used {spec.Used}; '{result.Transcript.Text}'");
        Assert.That(spec.Started, Is.GreaterThanOrEqualTo(2), "one at the gap, one at the end");
        Assert.That(spec.Cancelled, Is.GreaterThanOrEqualTo(1), "the gap's speculation was cancelled when speech resumed");
        Assert.That(result.Transcript.AudioDuration.TotalSeconds, Is.EqualTo(utterances[0].Utterance.Utterance.Samples.Length / 16000.0).Within(0.001),
            "the transcript is of the whole utterance, not the part before the gap");
        var plain = await pool.TranscribeAsync(utterances[0].Utterance.Utterance.Samples).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.That(result.Transcript.Text, Is.EqualTo(plain.Transcript.Text));
        Directory.Delete(dir, recursive: true);
    }

    [Test]
    public async Task A_speculation_on_other_audio_is_not_used_and_the_final_audio_is_transcribed()
    {
        SpeechFixtures.RequireWhisper();
        var first = Pcm16Wav.Read(TestAudio.Speech(Sentences[0]));
        var longer = first.Concat(Pcm16Wav.Read(TestAudio.Speech(Sentences[1]))).ToArray();
        using var model = WhisperModel.Load(SpeechFixtures.TinyModel);
        using var pool = Pool(model);
        var speculation = new UtteranceSpeculation(pool);
        speculation.Begin(first);
        var result = await speculation.TranscribeAsync(longer).WaitAsync(TimeSpan.FromMinutes(1));
        var plain = await pool.TranscribeAsync(longer).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.That((speculation.Started, speculation.Cancelled, speculation.Used), Is.EqualTo((1, 1, 0)));
        Assert.That(result.Speculative, Is.False);
        Assert.That(result.Transcript.AudioDuration.TotalSeconds, Is.EqualTo(longer.Length / 16000.0).Within(0.001));
        Assert.That(result.Transcript.Text, Is.EqualTo(plain.Transcript.Text));
    }

    [Test]
    public async Task A_kept_speculative_run_is_cancelled_by_its_request_like_a_plain_one()
    {
        SpeechFixtures.RequireWhisper();
        var audio = Pcm16Wav.Read(TestAudio.Speech(Sentences[0]));
        using var model = WhisperModel.Load(SpeechFixtures.BaseModel);
        using var pool = Pool(model, SpeechFixtures.TestDecoding); // the 30 s window: long enough to cancel mid-run
        var speculation = new UtteranceSpeculation(pool);
        speculation.Begin(audio);
        await WaitUntil(() => pool.Running == 1);
        using var flow = new CancellationTokenSource();
        var task = speculation.TranscribeAsync(audio, flow.Token);
        Assert.That(speculation.Used, Is.EqualTo(1), "the same audio: the running speculation is the request now");
        flow.Cancel();
        Assert.That(async () => await task.WaitAsync(TimeSpan.FromMinutes(1)), Throws.InstanceOf<OperationCanceledException>());
        await WaitUntil(() => pool.Running == 0);
    }

    [Test]
    public async Task A_cancelled_speculative_run_stops_and_frees_the_worker()
    {
        SpeechFixtures.RequireWhisper();
        var audio = Pcm16Wav.ToFloat(Pcm16Wav.Read(TestAudio.Speech(Sentences[0])));
        using var model = WhisperModel.Load(SpeechFixtures.BaseModel);
        using var pool = Pool(model, SpeechFixtures.TestDecoding); // the full 30 s window: a run long enough to cancel mid-way
        var run = pool.TrySpeculate(audio);
        Assert.That(run, Is.Not.Null, "an idle pool takes speculative work");
        await WaitUntil(() => pool.Running == 1);
        run!.Cancel();
        Assert.That(async () => await run.Task.WaitAsync(TimeSpan.FromMinutes(1)), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(run.Promote(), Is.False, "a cancelled speculation cannot become the result");
        await WaitUntil(() => pool.Running == 0);
    }

    [Test]
    public async Task A_busy_pool_drops_speculative_work_first()
    {
        SpeechFixtures.RequireWhisper();
        var audio = Pcm16Wav.ToFloat(Pcm16Wav.Read(TestAudio.Speech(Sentences[0])));
        using var model = WhisperModel.Load(SpeechFixtures.BaseModel);
        using var pool = Pool(model, SpeechFixtures.TestDecoding);

        // A speculation running on the only worker is aborted for a real request, which then runs.
        var speculation = pool.TrySpeculate(audio)!;
        await WaitUntil(() => pool.Running == 1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var real = pool.TranscribeAsync(audio);
        Assert.That(async () => await speculation.Task.WaitAsync(TimeSpan.FromMinutes(1)), Throws.InstanceOf<SpeculationDroppedException>());
        var gaveWay = clock.Elapsed;
        var result = await real.WaitAsync(TimeSpan.FromMinutes(1));
        TestContext.Out.WriteLine($"speculation gave way after {gaveWay.TotalMilliseconds:0} ms; the real request waited {result.QueueWait.TotalMilliseconds:0} ms, ran {result.Transcript.ProcessingTime.TotalMilliseconds:0} ms");
        Assert.That(result.Speculative, Is.False);
        Assert.That(pool.SpeculationsPreempted, Is.EqualTo(1));

        // While real work runs or waits, speculation is refused at once, never queued.
        var first = pool.TranscribeAsync(audio);
        await WaitUntil(() => pool.Running == 1);
        Assert.That(pool.TrySpeculate(audio), Is.Null, "no idle worker");
        var second = pool.TranscribeAsync(audio);
        Assert.That(pool.TrySpeculate(audio), Is.Null, "a real request is waiting");
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromMinutes(2));

        // A promoted speculation is the utterance's real request: a later request waits for it like any other.
        var promoted = pool.TrySpeculate(audio)!;
        Assert.That(promoted.Promote(), Is.True);
        var after = pool.TranscribeAsync(audio);
        var kept = await promoted.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.That(kept.Speculative, Is.True);
        await after.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.That(pool.SpeculationsPreempted, Is.EqualTo(1));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(2);
        Assert.That(condition(), "condition not reached in 30 s");
    }
}

/// <summary>The IVR's form: the channel's endpointer marks 20 ms frames at 8 kHz, the recording is transcribed after it ended.</summary>
public class RecordingSpeculationTests
{
    [Test]
    public async Task A_recording_at_8_kHz_is_speculated_at_the_pause_cancelled_at_the_gap_and_cut_300_ms_after_its_speech()
    {
        SpeechFixtures.RequireWhisper();
        string[] sentences = ["wo3 yao4 tou2 su4 lou2 xia4 de5 can1 guan3.", "ye4 li3 tai4 chao3 le5."];
        var wide = Pcm16Wav.Read(TestAudio.CleanSequence(sentences, TimeSpan.FromSeconds(0.4), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(0.9)));
        var narrow = new short[wide.Length / 2];
        for (var i = 0; i < narrow.Length; i++) narrow[i] = wide[2 * i]; // digital silence stays silence; the test is about the cut, not the band
        using var model = WhisperModel.Load(SpeechFixtures.TinyModel);
        using var pool = new TranscriptionPool(model, new TranscriptionPoolOptions { Workers = 1, ThreadsPerWorker = 2, Decoding = SpeechFixtures.TestDecoding with { AudioContext = 256 } });
        var recording = new RecordingSpeculation(pool, 8000, TimeSpan.FromMilliseconds(300));

        var lastLoud = -1;
        for (var i = 0; i < narrow.Length; i += 160)
        {
            var frame = narrow.AsSpan(i, Math.Min(160, narrow.Length - i));
            double sum = 0;
            foreach (var s in frame) sum += s * (double)s;
            var speech = sum / frame.Length > 328.0 * 328.0 / 4; // about -46 dBFS, like the channel's energy threshold
            if (speech) lastLoud = i + frame.Length;
            recording.OnFrame(frame, speech);
            if (!speech) await Task.Yield(); // let the thread pool start a speculation as it would between packets
            await Task.Delay(i % 3200 == 0 ? 1 : 0);
        }
        await WaitUntil(() => recording.Speculation.Active);
        var result = await recording.TranscribeAsync(narrow).WaitAsync(TimeSpan.FromMinutes(1));
        var spec = recording.Speculation;
        TestContext.Out.WriteLine($"started {spec.Started}, cancelled {spec.Cancelled}, refused {spec.Refused}, used {spec.Used}; audio {result.Transcript.AudioDuration.TotalSeconds:0.000} s");
        Assert.That(result.Speculative, Is.True);
        Assert.That(spec.Cancelled, Is.GreaterThanOrEqualTo(1), "the 500 ms gap's speculation was abandoned when speech resumed");
        var cut = lastLoud + 2400; // 300 ms at 8 kHz
        Assert.That(result.Transcript.AudioDuration.TotalSeconds, Is.EqualTo(TranscriptionPool.Upsample(narrow.AsSpan(0, cut)).Length / 16000.0).Within(0.0001));
        var plain = await pool.TranscribeAsync(narrow[..cut], 8000).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.That(result.Transcript.Text, Is.EqualTo(plain.Transcript.Text));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(2);
        Assert.That(condition(), "condition not reached in 30 s");
    }
}
