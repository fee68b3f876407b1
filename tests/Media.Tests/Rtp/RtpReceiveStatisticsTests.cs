using NUnit.Framework;
using Telephony.Media.Rtp;

namespace Telephony.Media.Tests.Rtp;

public class RtpReceiveStatisticsTests
{
    private const uint Ssrc = 0x5EED;

    /// <summary>
    /// Seq in arrival order 65530 65531 65532 65534 65535 0 2 1 4 5: 65533 and 3 lost, 1 after 2, a wrap.
    /// RTP ts = 160 per seq step from 65530; arrival = ts + transit (in RTP units), transit 1000 but for
    /// 65534 (1160) and 1 (1180).
    /// A.1: 65530 is on probation (not counted); 65531 validates the source: base 65531, received 1.
    /// Counted: 65531 65532 65534 65535 0 2 1 4 5 = 9; extended max 65536 + 5 = 65541;
    /// expected = 65541 - 65531 + 1 = 11; lost 2; fraction (A.3) = (2 &lt;&lt; 8) / 11 = 46.
    /// A.8 (J scaled by 16, J += |D| - ((J + 8) >> 4)), D per counted packet after 65531:
    ///   65532 D=0 J=0; 65534 D=160 J=160; 65535 D=160 J=160+160-10=310; 0 D=0 J=310-19=291;
    ///   2 D=0 J=291-18=273; 1 D=180 J=273+180-17=436; 4 D=180 J=436+180-27=589; 5 D=0 J=589-37=552;
    ///   reported 552 >> 4 = 34.
    /// </summary>
    [Test]
    public void Loss_reorder_and_wraparound_give_the_figures_of_appendix_a3_and_a8()
    {
        var stats = new RtpReceiveStatistics();
        (ushort Seq, int Index, int Transit)[] script =
        [
            (65530, 0, 1000), (65531, 1, 1000), (65532, 2, 1000), (65534, 4, 1160), (65535, 5, 1000),
            (0, 6, 1000), (2, 8, 1000), (1, 7, 1180), (4, 10, 1000), (5, 11, 1000),
        ];
        var counted = script.Select(p => stats.OnPacket(Ssrc, p.Seq, (uint)(p.Index * 160), (uint)(p.Index * 160 + p.Transit))).ToArray();

        Assert.That(counted[0], Is.False, "the first packet is on probation (A.1, MIN_SEQUENTIAL = 2)");
        Assert.That(counted.Skip(1), Is.All.True);
        var block = stats.TakeReportBlock(0, 0);
        Assert.Multiple(() =>
        {
            Assert.That(stats.BaseSequence, Is.EqualTo(65531));
            Assert.That(stats.Received, Is.EqualTo(9));
            Assert.That(block.ExtendedHighestSequence, Is.EqualTo(65541));
            Assert.That(block.CumulativeLost, Is.EqualTo(2));
            Assert.That(block.FractionLost, Is.EqualTo(46));
            Assert.That(block.Jitter, Is.EqualTo(34));
            Assert.That(block.Ssrc, Is.EqualTo(Ssrc));
        });

        // Second interval: 6 7 8 10 on time (9 lost). expected 16, received 13, interval 5 expected / 4
        // received: fraction (1 << 8) / 5 = 51, cumulative 3. J: 552-35=517, 517-32=485, 485-30=455, 455-28=427 -> 26.
        foreach (var (seq, index) in new[] { (6, 12), (7, 13), (8, 14), (10, 16) })
            stats.OnPacket(Ssrc, (ushort)seq, (uint)(index * 160), (uint)(index * 160 + 1000));
        var second = stats.TakeReportBlock(0, 0);
        Assert.Multiple(() =>
        {
            Assert.That(second.ExtendedHighestSequence, Is.EqualTo(65546));
            Assert.That(second.CumulativeLost, Is.EqualTo(3));
            Assert.That(second.FractionLost, Is.EqualTo(51));
            Assert.That(second.Jitter, Is.EqualTo(26));
        });
    }

    [Test]
    public void Duplicates_are_counted_so_cumulative_loss_goes_negative_as_section_6_4_1_allows()
    {
        var stats = new RtpReceiveStatistics();
        foreach (var seq in new ushort[] { 1, 2, 3, 3, 3 }) stats.OnPacket(Ssrc, seq, seq * 160u, seq * 160u);
        var block = stats.TakeReportBlock(0, 0);
        Assert.That(block.CumulativeLost, Is.EqualTo(-2), "expected 2 (2..3), received 4");
        Assert.That(block.FractionLost, Is.Zero, "a negative interval loss reports 0 (A.3)");
    }

    [Test]
    public void Far_jump_is_ignored_once_then_two_sequential_packets_resync()
    {
        var stats = new RtpReceiveStatistics();
        foreach (var seq in new ushort[] { 10, 11, 12 }) stats.OnPacket(Ssrc, seq, 0, 0);
        Assert.That(stats.OnPacket(Ssrc, 5000, 0, 0), Is.False, "a jump over MAX_DROPOUT is not counted at first");
        Assert.That(stats.OnPacket(Ssrc, 5001, 0, 0), Is.True, "the next sequential packet re-syncs (A.1)");
        Assert.That(stats.BaseSequence, Is.EqualTo(5001));
        Assert.That(stats.CumulativeLost, Is.Zero);
    }

    [Test]
    public void New_ssrc_restarts_the_statistics()
    {
        var stats = new RtpReceiveStatistics();
        foreach (var seq in new ushort[] { 100, 101, 102, 105 }) stats.OnPacket(Ssrc, seq, 0, 0);
        Assert.That(stats.CumulativeLost, Is.EqualTo(2));
        stats.OnPacket(Ssrc + 1, 7, 0, 0);
        stats.OnPacket(Ssrc + 1, 8, 0, 0);
        Assert.That(stats.Ssrc, Is.EqualTo(Ssrc + 1));
        Assert.That(stats.CumulativeLost, Is.Zero);
        Assert.That(stats.Received, Is.EqualTo(1));
    }

    [Test]
    public void Sender_state_advances_timestamp_by_rtp_clock_and_marks_talk_spurt_starts()
    {
        // G.722: 320 samples per 20 ms at 16 kHz, but the RTP clock counts 8000/s: 160 per frame (RFC 3551 §4.5.2).
        var send = new RtpSendState(rtpClockRate: 8000, ssrc: 1, initialSequence: 65535, initialTimestamp: uint.MaxValue - 100);
        var frame = send.UnitsPer(20);
        var first = send.NextAudio(); send.Advance(frame);
        var second = send.NextAudio(); send.Advance(frame);
        send.EndTalkSpurt(); send.Advance(frame); // a silent frame not sent
        var third = send.NextAudio();
        Assert.Multiple(() =>
        {
            Assert.That(frame, Is.EqualTo(160));
            Assert.That(first, Is.EqualTo(((ushort)65535, uint.MaxValue - 100, true)));
            Assert.That(second, Is.EqualTo(((ushort)0, 59u, false)), "sequence and timestamp wrap");
            Assert.That(third, Is.EqualTo(((ushort)1, 59u + 320, true)), "timestamp counts the silent frame; marker on the new spurt");
        });
    }

    [Test]
    public void Random_ssrc_and_initial_values_differ_between_streams()
    {
        var a = new RtpSendState(8000);
        var b = new RtpSendState(8000);
        Assert.That((a.Ssrc, a.Timestamp, a.NextSequence), Is.Not.EqualTo((b.Ssrc, b.Timestamp, b.NextSequence)));
    }
}
