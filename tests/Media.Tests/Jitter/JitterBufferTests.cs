using NUnit.Framework;
using Telephony.Media.Jitter;
using Telephony.Media.Rtp;

namespace Telephony.Media.Tests.Jitter;

public class JitterBufferTests
{
    private static RtpHeader Header(ushort seq, uint ts, uint ssrc = 1, bool marker = false) =>
        new() { SequenceNumber = seq, Timestamp = ts, Ssrc = ssrc, Marker = marker, PayloadType = 0 };

    private static bool Push(JitterBuffer jb, ushort seq, uint ts, uint arrival, uint ssrc = 1, bool marker = false) =>
        jb.Push(Header(seq, ts, ssrc, marker), [(byte)seq], arrival);

    private static List<string> PullAll(JitterBuffer jb, int n)
    {
        var result = new List<string>();
        var buffer = new byte[320];
        for (var i = 0; i < n; i++)
        {
            var kind = jb.Pull(buffer, out var frame);
            result.Add(kind == JitterPull.Frame ? frame.Sequence.ToString() : kind.ToString());
        }
        return result;
    }

    [Test]
    public void Reordered_packets_play_in_sequence_order()
    {
        var jb = new JitterBuffer(8000, minDelayFrames: 4);
        foreach (var seq in new ushort[] { 10, 12, 11, 13, 15, 14 }) Push(jb, seq, seq * 160u, seq * 160u);
        Assert.That(PullAll(jb, 6), Is.EqualTo(new[] { "10", "11", "12", "13", "14", "15" }));
    }

    [Test]
    public void Duplicates_and_late_packets_are_dropped()
    {
        var jb = new JitterBuffer(8000, minDelayFrames: 2);
        Push(jb, 1, 160, 160);
        Assert.That(Push(jb, 1, 160, 170), Is.False);
        Push(jb, 2, 320, 320);
        Push(jb, 3, 480, 480);
        PullAll(jb, 2); // plays 1 and 2
        Assert.That(Push(jb, 2, 320, 600), Is.False, "already played");
        Assert.That((jb.Duplicates, jb.Late), Is.EqualTo((1L, 1L)));
        Assert.That(PullAll(jb, 1), Is.EqualTo(new[] { "3" }));
    }

    [Test]
    public void A_missing_packet_is_reported_lost_and_concealed_by_attenuated_repeat_then_silence()
    {
        var jb = new JitterBuffer(8000, minDelayFrames: 1);
        Push(jb, 1, 160, 160);
        foreach (var seq in new ushort[] { 6 }) Push(jb, seq, seq * 160u, seq * 160u);
        var plc = new RepeatAttenuateConcealment(160);
        var pcm = new short[160];
        var payload = new byte[160];
        var levels = new List<int>();
        var kinds = new List<JitterPull>();
        var lostInRow = 0;
        for (var i = 0; i < 6; i++)
        {
            var kind = jb.Pull(payload, out _);
            kinds.Add(kind);
            if (kind == JitterPull.Frame) { Array.Fill(pcm, (short)8000); plc.Played(pcm); lostInRow = 0; }
            else plc.Conceal(pcm, ++lostInRow);
            levels.Add(pcm[0]);
        }
        Assert.That(kinds, Is.EqualTo(new[] { JitterPull.Frame, JitterPull.Lost, JitterPull.Lost, JitterPull.Lost, JitterPull.Lost, JitterPull.Frame }));
        Assert.That(levels, Is.EqualTo(new[] { 8000, 4000, 2000, 1000, 0, 8000 }), "half, quarter, eighth, then silence");
        Assert.That(jb.Lost, Is.EqualTo(4));
    }

    [Test]
    public void Sequence_wraparound_keeps_the_order()
    {
        var jb = new JitterBuffer(8000, minDelayFrames: 3);
        foreach (var seq in new ushort[] { 65534, 0, 65535, 1, 2 }) Push(jb, seq, (uint)(((seq + 2) & 0xFFFF) * 160), 0);
        Assert.That(PullAll(jb, 5), Is.EqualTo(new[] { "65534", "65535", "0", "1", "2" }));
        Assert.That(jb.Resyncs, Is.Zero);
    }

    [Test]
    public void New_ssrc_resyncs_and_plays_the_new_stream()
    {
        var jb = new JitterBuffer(8000, minDelayFrames: 2);
        foreach (var seq in new ushort[] { 100, 101, 102 }) Push(jb, seq, seq * 160u, seq * 160u);
        PullAll(jb, 1);
        foreach (var seq in new ushort[] { 7000, 7001 }) Push(jb, seq, 5u, 5u, ssrc: 2);
        Assert.That(jb.Resyncs, Is.EqualTo(1));
        Assert.That(PullAll(jb, 2), Is.EqualTo(new[] { "7000", "7001" }));
    }

    [Test]
    public void Timestamp_jump_without_marker_resyncs_but_a_talk_spurt_does_not()
    {
        var jb = new JitterBuffer(8000, minDelayFrames: 1);
        Push(jb, 1, 160, 160);
        Push(jb, 2, 320, 320);
        const uint spurt = 320 + 8000 * 5; // 5 s of silence suppressed, then a new spurt
        Push(jb, 3, spurt, spurt, marker: true);
        Assert.That(jb.Resyncs, Is.Zero);
        const uint restarted = spurt + 160 + 8000 * 60; // a 60 s jump, no marker: the sender restarted
        Push(jb, 4, restarted, spurt + 160);
        Assert.That(jb.Resyncs, Is.EqualTo(1));
        Assert.That(PullAll(jb, 1), Is.EqualTo(new[] { "4" }));
    }

    [Test]
    public void Playout_delay_grows_with_jitter_and_stays_within_its_bounds()
    {
        var steady = new JitterBuffer(8000, minDelayFrames: 2, maxDelayFrames: 6);
        var jittery = new JitterBuffer(8000, minDelayFrames: 2, maxDelayFrames: 6);
        var random = new Random(1);
        for (ushort seq = 0; seq < 500; seq++)
        {
            var ts = seq * 160u;
            Push(steady, seq, ts, ts + 400);
            Push(jittery, seq, ts, ts + (uint)random.Next(0, 8 * 120)); // 0-120 ms of network jitter
            steady.Pull(new byte[160], out _);
            jittery.Pull(new byte[160], out _);
        }
        TestContext.Out.WriteLine($"steady: jitter {steady.JitterMs:F1} ms target {steady.TargetFrames}; jittery: jitter {jittery.JitterMs:F1} ms target {jittery.TargetFrames}");
        Assert.That(steady.TargetFrames, Is.EqualTo(2), "no jitter: the minimum delay");
        Assert.That(jittery.JitterMs, Is.GreaterThan(20));
        Assert.That(jittery.TargetFrames, Is.EqualTo(6), "high jitter: capped at the maximum");
    }
}
