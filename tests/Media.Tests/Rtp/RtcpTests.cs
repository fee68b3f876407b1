using NUnit.Framework;
using Telephony.Media.Rtp;

namespace Telephony.Media.Tests.Rtp;

public class RtcpTests
{
    private static readonly ReportBlock Block = new(0x01020304, 46, -3, 0x0001FFF5, 37, 0xAABBCCDD, 0x00010000);

    [Test]
    public void Compound_sr_sdes_bye_round_trips()
    {
        var sr = new SenderReport(0xCAFEBABE, 0xE5F1_0000_8000_0000, 123456, 250, 40000, [Block, Block with { Ssrc = 9, CumulativeLost = 5 }]);
        var sdes = new SourceDescription([new SdesChunk(0xCAFEBABE, "telephony@127.0.0.1")]);
        var bye = new Goodbye([0xCAFEBABE], "call ended");
        var buffer = new byte[1500];
        var n = RtcpWriter.WriteCompound(buffer, [sr, sdes, bye]);

        Assert.That(n % 4, Is.Zero, "every RTCP packet is whole 32-bit words (§6.4.1)");
        Assert.That(RtcpParser.TryParse(buffer.AsSpan(0, n), out var packets, out var error), Is.True, error.ToString());
        Assert.That(packets, Has.Count.EqualTo(3));
        var sr2 = (SenderReport)packets[0];
        Assert.That(sr2 with { Blocks = [] }, Is.EqualTo(sr with { Blocks = [] }));
        Assert.That(sr2.Blocks, Is.EqualTo(sr.Blocks));
        Assert.That(((SourceDescription)packets[1]).Chunks.Single(), Is.EqualTo(sdes.Chunks[0]));
        var bye2 = (Goodbye)packets[2];
        Assert.That(bye2.Ssrcs, Is.EqualTo(bye.Ssrcs));
        Assert.That(bye2.Reason, Is.EqualTo("call ended"));
    }

    [Test]
    public void Receiver_report_without_blocks_round_trips()
    {
        var buffer = new byte[64];
        var n = RtcpWriter.WriteCompound(buffer, [new ReceiverReport(77, []), new SourceDescription([new SdesChunk(77, "abc")])]);
        Assert.That(RtcpParser.TryParse(buffer.AsSpan(0, n), out var packets, out _), Is.True);
        Assert.That(((ReceiverReport)packets[0]).Ssrc, Is.EqualTo(77));
        Assert.That(((SourceDescription)packets[1]).Chunks[0].Cname, Is.EqualTo("abc"));
    }

    [Test]
    public void Negative_cumulative_loss_keeps_its_sign_in_24_bits()
    {
        var buffer = new byte[64];
        var n = RtcpWriter.Write(buffer, new ReceiverReport(1, [Block with { CumulativeLost = -2 }]));
        Assert.That(buffer[13..16], Is.EqualTo(new byte[] { 0xFF, 0xFF, 0xFE }));
        RtcpParser.TryParse(buffer.AsSpan(0, n), out var packets, out _);
        Assert.That(((ReceiverReport)packets[0]).Blocks[0].CumulativeLost, Is.EqualTo(-2));
    }

    [Test]
    public void Compound_starting_with_bye_is_rejected()
    {
        var buffer = new byte[64];
        var n = RtcpWriter.Write(buffer, new Goodbye([1], null));
        Assert.That(RtcpParser.TryParse(buffer.AsSpan(0, n), out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo(RtcpParseError.FirstNotReport));
    }

    [Test]
    public void Length_field_past_the_datagram_is_rejected()
    {
        var buffer = new byte[64];
        var n = RtcpWriter.Write(buffer, new ReceiverReport(1, [Block]));
        Assert.That(RtcpParser.TryParse(buffer.AsSpan(0, n - 4), out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo(RtcpParseError.BadLength));
    }

    [Test]
    public void Report_count_larger_than_the_packet_is_rejected()
    {
        var buffer = new byte[64];
        var n = RtcpWriter.Write(buffer, new ReceiverReport(1, [Block]));
        buffer[0] = 0x80 | 2;
        Assert.That(RtcpParser.TryParse(buffer.AsSpan(0, n), out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo(RtcpParseError.CountBeyondLength));
    }

    [Test]
    public void Padding_on_a_packet_that_is_not_last_is_rejected()
    {
        var buffer = new byte[64];
        var n = RtcpWriter.WriteCompound(buffer, [new ReceiverReport(1, []), new Goodbye([1], null)]);
        buffer[0] |= 0x20;
        Assert.That(RtcpParser.TryParse(buffer.AsSpan(0, n), out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo(RtcpParseError.PaddingNotLast));
    }

    [Test]
    public void Sdes_item_running_past_the_packet_is_rejected()
    {
        var buffer = new byte[64];
        var n = RtcpWriter.WriteCompound(buffer, [new ReceiverReport(1, []), new SourceDescription([new SdesChunk(1, "abcdef")])]);
        buffer[8 + 4 + 4 + 1] = 200; // CNAME length (after the SDES header and the chunk SSRC)
        Assert.That(RtcpParser.TryParse(buffer.AsSpan(0, n), out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo(RtcpParseError.CountBeyondLength));
    }

    [Test]
    public void Random_and_truncated_datagrams_never_throw()
    {
        var random = new Random(3550);
        var good = new byte[200];
        var n = RtcpWriter.WriteCompound(good, [new SenderReport(1, 2, 3, 4, 5, [Block]), new SourceDescription([new SdesChunk(1, "x@y")]), new Goodbye([1], "bye")]);
        var buffer = new byte[120];
        var accepted = 0;
        Assert.DoesNotThrow(() =>
        {
            for (var len = 0; len <= n; len++)
                if (RtcpParser.TryParse(good.AsSpan(0, len), out _, out _)) accepted++;
            for (var i = 0; i < 50_000; i++)
            {
                good.AsSpan(0, n).CopyTo(buffer);
                buffer[random.Next(n)] ^= (byte)(1 << random.Next(8));
                RtcpParser.TryParse(buffer.AsSpan(0, random.Next(n + 1)), out _, out _);
            }
        });
        Assert.That(accepted, Is.GreaterThanOrEqualTo(1), "the whole compound parses; its prefixes on packet boundaries too");
    }

    [Test]
    public void Ntp_timestamp_middle_bits_and_dlsr_units_follow_section_4_and_6_4_1()
    {
        var t = new DateTimeOffset(1900, 1, 1, 0, 0, 10, TimeSpan.Zero).AddMilliseconds(500);
        var ntp = NtpTimestamp.From(t);
        Assert.That(ntp, Is.EqualTo((10UL << 32) | 0x8000_0000UL));
        Assert.That(NtpTimestamp.Middle32(ntp), Is.EqualTo((10u << 16) | 0x8000u));
        Assert.That(NtpTimestamp.ToDlsrUnits(TimeSpan.FromSeconds(1.5)), Is.EqualTo(98304u));
    }
}
