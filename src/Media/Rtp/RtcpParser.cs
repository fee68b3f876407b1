using System.Buffers.Binary;
using System.Text;

namespace Telephony.Media.Rtp;

/// <summary>
/// Parses RTCP compound packets (RFC 3550 §6.1, §6.4-§6.6) with the validity checks of appendix A.2;
/// never throws on bad input. RTCP arrives once every few seconds per call, so the result is a list of
/// small records rather than a span view.
/// </summary>
public static class RtcpParser
{
    public static bool TryParse(ReadOnlySpan<byte> datagram, out IReadOnlyList<RtcpPacket> packets, out RtcpParseError error)
    {
        var list = new List<RtcpPacket>(3);
        packets = list;
        if (datagram.Length < 4) { error = RtcpParseError.TooShort; return false; }
        var offset = 0;
        var first = true;
        while (offset < datagram.Length)
        {
            var rest = datagram[offset..];
            if (rest.Length < 4) { error = RtcpParseError.BadLength; return false; }
            var b0 = rest[0];
            if (b0 >> 6 != 2) { error = RtcpParseError.BadVersion; return false; }
            var count = b0 & 0x1F;
            var type = rest[1];
            // §6.4.1: length in 32-bit words minus one, header included.
            var length = (BinaryPrimitives.ReadUInt16BigEndian(rest.Slice(2, 2)) + 1) * 4;
            if (length > rest.Length) { error = RtcpParseError.BadLength; return false; }
            if (first && type is not (RtcpPacket.SenderReportType or RtcpPacket.ReceiverReportType))
            {
                error = RtcpParseError.FirstNotReport;
                return false;
            }
            var body = rest.Slice(4, length - 4);
            if ((b0 & 0x20) != 0)
            {
                if (offset + length != datagram.Length) { error = RtcpParseError.PaddingNotLast; return false; }
                var pad = body.Length == 0 ? 0 : body[^1];
                if (pad == 0 || pad > body.Length) { error = RtcpParseError.BadPadding; return false; }
                body = body[..^pad];
            }
            if (!ParseOne(type, count, body, length, out var packet, out error)) return false;
            list.Add(packet!);
            offset += length;
            first = false;
        }
        error = RtcpParseError.None;
        return true;
    }

    private static bool ParseOne(byte type, int count, ReadOnlySpan<byte> body, int length, out RtcpPacket? packet, out RtcpParseError error)
    {
        packet = null;
        error = RtcpParseError.None;
        switch (type)
        {
            case RtcpPacket.SenderReportType:
            {
                // SSRC + NTP (8) + RTP ts + packet count + octet count = 24 bytes, then 24 per block.
                if (body.Length < 24 + 24 * count) { error = RtcpParseError.CountBeyondLength; return false; }
                var blocks = ReadBlocks(body[24..], count);
                packet = new SenderReport(U32(body, 0), BinaryPrimitives.ReadUInt64BigEndian(body.Slice(4, 8)),
                    U32(body, 12), U32(body, 16), U32(body, 20), blocks);
                return true;
            }
            case RtcpPacket.ReceiverReportType:
            {
                if (body.Length < 4 + 24 * count) { error = RtcpParseError.CountBeyondLength; return false; }
                packet = new ReceiverReport(U32(body, 0), ReadBlocks(body[4..], count));
                return true;
            }
            case RtcpPacket.SourceDescriptionType:
                return ParseSdes(body, count, out packet, out error);
            case RtcpPacket.ByeType:
            {
                if (body.Length < 4 * count) { error = RtcpParseError.CountBeyondLength; return false; }
                var ssrcs = new uint[count];
                for (var i = 0; i < count; i++) ssrcs[i] = U32(body, 4 * i);
                string? reason = null;
                var rest = body[(4 * count)..];
                if (rest.Length > 0)
                {
                    var n = rest[0];
                    if (1 + n > rest.Length) { error = RtcpParseError.CountBeyondLength; return false; }
                    reason = Encoding.UTF8.GetString(rest.Slice(1, n));
                }
                packet = new Goodbye(ssrcs, reason);
                return true;
            }
            default:
                packet = new RtcpOther(type, length);
                return true;
        }
    }

    private static bool ParseSdes(ReadOnlySpan<byte> body, int count, out RtcpPacket? packet, out RtcpParseError error)
    {
        packet = null;
        var chunks = new List<SdesChunk>(count);
        var offset = 0;
        for (var c = 0; c < count; c++)
        {
            if (offset + 4 > body.Length) { error = RtcpParseError.CountBeyondLength; return false; }
            var ssrc = U32(body, offset);
            offset += 4;
            string? cname = null;
            // §6.5: items (type, length, text) until a null octet; the chunk then pads to a 32-bit boundary.
            while (true)
            {
                if (offset >= body.Length) { error = RtcpParseError.CountBeyondLength; return false; }
                var itemType = body[offset];
                if (itemType == 0) break;
                if (offset + 2 > body.Length) { error = RtcpParseError.CountBeyondLength; return false; }
                var n = body[offset + 1];
                if (offset + 2 + n > body.Length) { error = RtcpParseError.CountBeyondLength; return false; }
                if (itemType == 1) cname = Encoding.UTF8.GetString(body.Slice(offset + 2, n));
                offset += 2 + n;
            }
            offset = (offset + 4) & ~3; // the null octet and padding up to the next word
            chunks.Add(new SdesChunk(ssrc, cname));
        }
        packet = new SourceDescription(chunks);
        error = RtcpParseError.None;
        return true;
    }

    private static ReportBlock[] ReadBlocks(ReadOnlySpan<byte> data, int count)
    {
        var blocks = new ReportBlock[count];
        for (var i = 0; i < count; i++)
        {
            var b = data.Slice(24 * i, 24);
            // Cumulative lost: signed 24 bits (§6.4.1).
            var lost = (b[5] << 16) | (b[6] << 8) | b[7];
            if ((lost & 0x800000) != 0) lost -= 0x1000000;
            blocks[i] = new ReportBlock(U32(b, 0), b[4], lost, U32(b, 8), U32(b, 12), U32(b, 16), U32(b, 20));
        }
        return blocks;
    }

    private static uint U32(ReadOnlySpan<byte> s, int offset) => BinaryPrimitives.ReadUInt32BigEndian(s.Slice(offset, 4));
}
