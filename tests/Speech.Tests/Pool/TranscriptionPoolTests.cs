using Telephony.Speech.Audio;
using Telephony.Speech.Pool;
using Telephony.Speech.Recognition;
using Telephony.Speech.Tests.Fixtures;

namespace Telephony.Speech.Tests.Pool;

public class TranscriptionPoolTests
{
    private const string Sentence = "wo3 jia1 fu4 jin4 de5 lu4 deng1 huai4 le5, qing3 pai4 ren2 lai2 xiu1.";

    // A shortened encoder context keeps eight runs quick; the pool's behaviour does not depend on it.
    private static readonly TranscriptionOptions Quick = SpeechFixtures.TestDecoding with { AudioContext = 256 };

    [Test]
    public async Task Eight_requests_on_a_pool_of_two_run_in_arrival_order_two_at_a_time()
    {
        SpeechFixtures.RequireWhisper();
        var audio = Pcm16Wav.Read(TestAudio.Speech(Sentence));
        using var model = WhisperModel.Load(SpeechFixtures.TinyModel);
        using var pool = new TranscriptionPool(model, new TranscriptionPoolOptions { Workers = 2, ThreadsPerWorker = 1, Decoding = Quick });

        var tasks = Enumerable.Range(0, 8).Select(_ => pool.TranscribeAsync(audio)).ToList();
        var results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromMinutes(3));

        foreach (var r in results)
            TestContext.Out.WriteLine($"#{r.Sequence}: waited {r.QueueWait.TotalMilliseconds:0} ms, ran {r.Transcript.ProcessingTime.TotalMilliseconds:0} ms, done at +{(r.Completed - results[0].Enqueued).TotalMilliseconds:0} ms");
        Assert.That(results.Select(r => r.Sequence), Is.EqualTo(Enumerable.Range(1, 8).Select(i => (long)i)), "each task gets its own result");
        Assert.That(results.OrderBy(r => r.Started).Select(r => r.Sequence), Is.Ordered, "workers take requests first come, first served");
        // At most two running at any moment: sweep the start (+1) and end (-1) events, ends first on ties.
        var events = results.SelectMany(r => new[] { (At: r.Started, Delta: 1), (At: r.Completed, Delta: -1) }).OrderBy(e => e.At).ThenBy(e => e.Delta);
        var concurrent = 0;
        var peak = 0;
        foreach (var e in events) peak = Math.Max(peak, concurrent += e.Delta);
        Assert.That(peak, Is.EqualTo(2));
        foreach (var r in results) Assert.That(r.Transcript.AudioDuration.TotalSeconds, Is.EqualTo(audio.Length / 16000.0).Within(0.001));
        // Pairs: #3 cannot start before #1 or #2 is done, #5 not before two of #1–#4, and so on.
        for (var i = 2; i < 8; i++)
            Assert.That(results[i].Started, Is.GreaterThanOrEqualTo(results.Take(i).OrderBy(r => r.Completed).ElementAt(i - 2).Completed));
    }

    [Test]
    public async Task A_full_queue_refuses_at_once_and_a_queued_request_can_be_cancelled()
    {
        SpeechFixtures.RequireWhisper();
        var audio = Pcm16Wav.Read(TestAudio.Speech(Sentence));
        using var model = WhisperModel.Load(SpeechFixtures.TinyModel);
        using var pool = new TranscriptionPool(model, new TranscriptionPoolOptions { Workers = 1, ThreadsPerWorker = 1, QueueCapacity = 1, Decoding = Quick });

        var running = pool.TranscribeAsync(audio);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (pool.Running == 0 && DateTime.UtcNow < deadline) await Task.Delay(5);
        Assert.That(pool.Running, Is.EqualTo(1));

        using var hangUp = new CancellationTokenSource();
        var queued = pool.TranscribeAsync(audio, hangUp.Token);
        Assert.Throws<PoolBusyException>(() => pool.TranscribeAsync(audio));

        hangUp.Cancel();
        Assert.ThrowsAsync<TaskCanceledException>(async () => await queued.WaitAsync(TimeSpan.FromSeconds(1)));
        var first = await running.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.That(first.Sequence, Is.EqualTo(1));
        // The cancelled request gave its place back.
        var after = await pool.TranscribeAsync(audio).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.That(after.Sequence, Is.EqualTo(4));
    }

    [Test]
    public void A_run_over_the_time_limit_is_aborted_with_a_timeout()
    {
        SpeechFixtures.RequireWhisper();
        var one = Pcm16Wav.Read(TestAudio.Speech(Sentence));
        var long75s = Enumerable.Repeat(one.Concat(new short[16000]), 14).SelectMany(x => x).ToArray();
        using var model = WhisperModel.Load(SpeechFixtures.TinyModel);
        using var pool = new TranscriptionPool(model, new TranscriptionPoolOptions
        {
            Workers = 1, ThreadsPerWorker = 2, RunTimeout = TimeSpan.FromMilliseconds(300), Decoding = SpeechFixtures.TestDecoding,
        });
        Assert.ThrowsAsync<TimeoutException>(async () => await pool.TranscribeAsync(long75s).WaitAsync(TimeSpan.FromMinutes(2)));
    }
}
