using Telephony.Speech.Vad;

namespace Telephony.Speech.Tests.Vad;

/// <summary>The endpointing rules on made-up frame probabilities (32 ms frames), without a model.</summary>
public class EndpointerTests
{
    private static (Endpointer Endpointer, Queue<float> Script) Scripted(EndpointerOptions? options = null)
    {
        var script = new Queue<float>();
        return (new Endpointer(options ?? new EndpointerOptions(), frames => frames.Chunk(512).Select(_ => script.Dequeue()).ToArray()), script);
    }

    private static List<Utterance> Feed(Endpointer e, Queue<float> script, params (float P, int Frames)[] runs)
    {
        var result = new List<Utterance>();
        foreach (var (p, n) in runs)
            for (var i = 0; i < n; i++) { script.Enqueue(p); result.AddRange(e.Push(new short[512])); }
        return result;
    }

    [Test]
    public void Speech_ends_after_800_ms_of_silence_not_at_a_shorter_pause()
    {
        var (e, s) = Scripted();
        // 1 s silence, 1 s speech, a 640 ms pause (20 frames), 1 s speech, then 25 frames (800 ms) of silence.
        var u = Feed(e, s, (0.05f, 31), (0.9f, 31), (0.1f, 20), (0.9f, 31), (0.05f, 24));
        Assert.That(u, Is.Empty, "24 frames of silence (768 ms) is not yet the end");
        u = Feed(e, s, (0.05f, 1));
        Assert.That(u, Has.Count.EqualTo(1));
        Assert.That(u[0].SpeechStart.TotalMilliseconds, Is.EqualTo(31 * 32));
        Assert.That(u[0].SpeechEnd.TotalMilliseconds, Is.EqualTo((31 + 31 + 20 + 31) * 32));
        Assert.That(u[0].AudioStart, Is.EqualTo(u[0].SpeechStart - TimeSpan.FromMilliseconds(200)));
        Assert.That(u[0].Samples.Length, Is.EqualTo((int)((u[0].SpeechEnd - u[0].AudioStart).TotalSeconds * 16000) + 3200));
    }

    [Test]
    public void A_click_shorter_than_the_minimum_is_dropped()
    {
        var (e, s) = Scripted();
        Assert.That(Feed(e, s, (0.05f, 10), (0.95f, 5), (0.05f, 40)), Is.Empty);
        Assert.That(e.InSpeech, Is.False);
    }

    [Test]
    public void A_long_turn_is_cut_at_the_maximum_and_goes_on_in_the_next_utterance()
    {
        var (e, s) = Scripted(new EndpointerOptions { MaxUtterance = TimeSpan.FromSeconds(3.2) });
        var u = Feed(e, s, (0.9f, 250), (0.05f, 30));
        Assert.That(u.Count, Is.EqualTo(3));
        Assert.That(u.Take(2).All(x => x.CutAtMaximum && x.Duration == TimeSpan.FromSeconds(3.2)));
        Assert.That(u[1].SpeechStart, Is.EqualTo(u[0].SpeechEnd));
        Assert.That(u[2].CutAtMaximum, Is.False);
    }

    [Test]
    public void Hanging_up_mid_speech_flushes_the_open_utterance()
    {
        var (e, s) = Scripted();
        Assert.That(Feed(e, s, (0.05f, 5), (0.9f, 20)), Is.Empty);
        var u = e.Flush();
        Assert.That(u.Single().SpeechEnd.TotalMilliseconds, Is.EqualTo(25 * 32));
    }

    [Test]
    public void Audio_arriving_in_rtp_sized_pieces_is_framed_the_same()
    {
        var (e, s) = Scripted();
        for (var i = 0; i < 200; i++) s.Enqueue(i is >= 40 and < 100 ? 0.9f : 0.05f);
        var u = new List<Utterance>();
        for (var i = 0; i < 200 * 512 / 320; i++) u.AddRange(e.Push(new short[320])); // 20 ms packets at 16 kHz
        Assert.That(u.Single().SpeechStart.TotalMilliseconds, Is.EqualTo(40 * 32));
        Assert.That(u.Single().SpeechEnd.TotalMilliseconds, Is.EqualTo(100 * 32));
    }
}

/// <summary>What speculation runs on: the utterance as it would end at the current pause.</summary>
public class EndpointerPendingTests
{
    [Test]
    public void Pending_utterance_at_a_pause_is_exactly_the_one_emitted_when_the_silence_reaches_the_end()
    {
        var script = new Queue<float>();
        var e = new Endpointer(new EndpointerOptions(), frames => frames.Chunk(512).Select(_ => script.Dequeue()).ToArray());
        var counter = 0;
        short[] Frame() { var f = new short[512]; for (var i = 0; i < f.Length; i++) f[i] = (short)(counter++ % 30000); return f; }
        void Feed(float p, int frames) { for (var i = 0; i < frames; i++) { script.Enqueue(p); Assert.That(e.Push(Frame()), Is.Empty); } }

        Feed(0.05f, 20);
        Feed(0.9f, 40);
        Assert.That(e.Pending(), Is.Null, "still speaking");
        Feed(0.05f, 5); // 160 ms: the 200 ms padding after the speech has not arrived yet
        Assert.That(e.Pending(), Is.Null);
        Feed(0.05f, 5); // 320 ms of pause
        Assert.That(e.TrailingSilence.TotalMilliseconds, Is.EqualTo(320));
        var pending = e.Pending();
        Assert.That(pending, Is.Not.Null);
        Feed(0.05f, 14); // 768 ms
        script.Enqueue(0.05f);
        var ended = e.Push(Frame());
        Assert.That(ended, Has.Count.EqualTo(1));
        Assert.That(ended[0].Samples, Is.EqualTo(pending!.Samples));
        Assert.That((ended[0].SpeechStart, ended[0].SpeechEnd), Is.EqualTo((pending.SpeechStart, pending.SpeechEnd)));
    }
}
