using NUnit.Framework;
using Telephony.Media.Rtp;

namespace Telephony.Media.Tests.Rtp;

public class RtpHeaderTests
{
    [Test]
    public void Packet_with_csrcs_extension_and_padding_round_trips()
    {
        var buffer = new byte[200];
        uint[] csrcs = [0x11111111, 0x22222222, 0x33333333];
        byte[] extension = [1, 2, 3, 4, 5, 6, 7, 8];
        byte[] payload = [9, 8, 7, 6, 5];
        var n = RtpWriter.Write(buffer, marker: true, payloadType: 101, sequence: 65535, timestamp: 0xDEADBEEF, ssrc: 0xCAFEBABE,
            csrcs, extensionProfile: 0xBEDE, extension, hasExtension: true, payload, padding: 3);

        Assert.That(n, Is.EqualTo(RtpWriter.Length(3, 8, 5, 3)));
        Assert.That(RtpHeader.TryParse(buffer.AsSpan(0, n), out var h, out var error), Is.True, error.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(h.Marker, Is.True);
            Assert.That(h.PayloadType, Is.EqualTo(101));
            Assert.That(h.SequenceNumber, Is.EqualTo(65535));
            Assert.That(h.Timestamp, Is.EqualTo(0xDEADBEEF));
            Assert.That(h.Ssrc, Is.EqualTo(0xCAFEBABE));
            Assert.That(h.CsrcCount, Is.EqualTo(3));
            Assert.That(h.CsrcOf(buffer.AsSpan(0, n), 2), Is.EqualTo(0x33333333));
            Assert.That(h.HasExtension && h.Padding, Is.True);
            Assert.That(h.ExtensionProfile, Is.EqualTo(0xBEDE));
            Assert.That(h.ExtensionOf(buffer.AsSpan(0, n)).ToArray(), Is.EqualTo(extension));
            Assert.That(h.PayloadOf(buffer.AsSpan(0, n)).ToArray(), Is.EqualTo(payload));
            Assert.That(h.PaddingLength, Is.EqualTo(3));
        });
    }

    [Test]
    public void Fixed_header_is_laid_out_as_rfc3550_section_5_1_draws_it()
    {
        var buffer = new byte[20];
        var n = RtpWriter.Write(buffer, marker: false, payloadType: 0, sequence: 0x1234, timestamp: 0x01020304, ssrc: 0xA0B0C0D0, [0xFF, 0xEE]);
        Assert.That(buffer.AsSpan(0, n).ToArray(), Is.EqualTo(new byte[]
        {
            0x80, 0x00, 0x12, 0x34, 0x01, 0x02, 0x03, 0x04, 0xA0, 0xB0, 0xC0, 0xD0, 0xFF, 0xEE,
        }));
    }

    private static IEnumerable<TestCaseData> Malformed()
    {
        yield return new TestCaseData(new byte[] { 0x80, 0, 0, 1 }, RtpParseError.TooShort).SetName("Shorter_than_12_bytes_is_rejected");
        yield return new TestCaseData(new byte[] { 0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 }, RtpParseError.BadVersion).SetName("Version_1_is_rejected");
        yield return new TestCaseData(new byte[] { 0x82, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1 }, RtpParseError.CsrcListTruncated).SetName("Csrc_count_beyond_datagram_is_rejected");
        yield return new TestCaseData(new byte[] { 0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE, 0, 2, 1, 2, 3, 4 }, RtpParseError.ExtensionTruncated).SetName("Extension_length_beyond_datagram_is_rejected");
        yield return new TestCaseData(new byte[] { 0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE }, RtpParseError.ExtensionTruncated).SetName("Extension_header_cut_short_is_rejected");
        yield return new TestCaseData(new byte[] { 0xA0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 5, 0 }, RtpParseError.BadPadding).SetName("Padding_count_zero_is_rejected");
        yield return new TestCaseData(new byte[] { 0xA0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 5, 9 }, RtpParseError.BadPadding).SetName("Padding_count_beyond_payload_is_rejected");
        yield return new TestCaseData(new byte[] { 0x80, 0xC8, 0, 6, 0, 0, 0, 0, 0, 0, 0, 1 }, RtpParseError.RtcpOnRtpPort).SetName("Rtcp_sender_report_on_rtp_port_is_rejected");
    }

    [TestCaseSource(nameof(Malformed))]
    public void Malformed_packet_is_rejected_with_its_reason(byte[] datagram, RtpParseError expected)
    {
        Assert.That(RtpHeader.TryParse(datagram, out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo(expected));
    }

    [Test]
    public void Every_truncation_and_random_datagram_is_refused_or_parsed_without_exception()
    {
        var random = new Random(4);
        var buffer = new byte[100];
        var good = new byte[172];
        var n = RtpWriter.Write(good, true, 0, 7, 8, 9, [1u], 1, new byte[8], true, new byte[100], 4);
        var parsed = 0;
        Assert.DoesNotThrow(() =>
        {
            for (var len = 0; len <= n; len++)
                if (RtpHeader.TryParse(good.AsSpan(0, len), out var h, out _))
                {
                    parsed++;
                    _ = h.PayloadOf(good.AsSpan(0, len)).Length; // offsets stay inside the datagram
                }
            for (var i = 0; i < 100_000; i++)
            {
                var len = random.Next(buffer.Length);
                random.NextBytes(buffer.AsSpan(0, len));
                if (RtpHeader.TryParse(buffer.AsSpan(0, len), out var h, out _))
                    _ = h.PayloadOf(buffer.AsSpan(0, len)).Length + h.ExtensionOf(buffer.AsSpan(0, len)).Length;
            }
        });
        Assert.That(parsed, Is.GreaterThan(0), "the full packet and some truncations parse");
    }
}
