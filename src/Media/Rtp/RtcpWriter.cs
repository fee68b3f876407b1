using System.Buffers.Binary;
using System.Text;

namespace Telephony.Media.Rtp;

/// <summary>
/// Writes RTCP packets (RFC 3550 §6.4-§6.6) into a caller's buffer; a compound packet is these written one
/// after the other, a report first (§6.1), sent as one datagram.
/// </summary>
public static class RtcpWriter
{
    public const int MaxBlocks = 31;

    /// <summary>Writes the packets in order; returns the bytes written.</summary>
    public static int WriteCompound(Span<byte> destination, IEnumerable<RtcpPacket> packets)
    {
        var offset = 0;
        foreach (var p in packets) offset += Write(destination[offset..], p);
        return offset;
    }

    public static int Write(Span<byte> d, RtcpPacket packet) => packet switch
    {
        SenderReport sr => WriteSenderReport(d, sr),
        ReceiverReport rr => WriteReceiverReport(d, rr),
        SourceDescription sdes => WriteSdes(d, sdes),
        Goodbye bye => WriteBye(d, bye),
        _ => throw new ArgumentException($"cannot write {packet.GetType().Name}", nameof(packet)),
    };

    public static int WriteSenderReport(Span<byte> d, SenderReport sr)
    {
        CheckBlocks(sr.Blocks);
        var length = 28 + 24 * sr.Blocks.Count;
        Header(d, sr.Blocks.Count, RtcpPacket.SenderReportType, length);
        U32(d, 4, sr.Ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(d.Slice(8, 8), sr.NtpTimestamp);
        U32(d, 16, sr.RtpTimestamp);
        U32(d, 20, sr.PacketCount);
        U32(d, 24, sr.OctetCount);
        WriteBlocks(d[28..], sr.Blocks);
        return length;
    }

    public static int WriteReceiverReport(Span<byte> d, ReceiverReport rr)
    {
        CheckBlocks(rr.Blocks);
        var length = 8 + 24 * rr.Blocks.Count;
        Header(d, rr.Blocks.Count, RtcpPacket.ReceiverReportType, length);
        U32(d, 4, rr.Ssrc);
        WriteBlocks(d[8..], rr.Blocks);
        return length;
    }

    public static int WriteSdes(Span<byte> d, SourceDescription sdes)
    {
        if (sdes.Chunks.Count > 31) throw new ArgumentException("at most 31 SDES chunks", nameof(sdes));
        var offset = 4;
        foreach (var chunk in sdes.Chunks)
        {
            U32(d, offset, chunk.Ssrc);
            offset += 4;
            if (chunk.Cname is { } cname)
            {
                var n = Encoding.UTF8.GetByteCount(cname);
                if (n > 255) throw new ArgumentException("CNAME longer than 255 octets", nameof(sdes));
                d[offset] = 1; // CNAME (§6.5.1)
                d[offset + 1] = (byte)n;
                Encoding.UTF8.GetBytes(cname, d.Slice(offset + 2, n));
                offset += 2 + n;
            }
            // A null item ends the chunk; pad with nulls to the next 32-bit boundary (at least one null).
            var end = (offset + 4) & ~3;
            d[offset..end].Clear();
            offset = end;
        }
        Header(d, sdes.Chunks.Count, RtcpPacket.SourceDescriptionType, offset);
        return offset;
    }

    public static int WriteBye(Span<byte> d, Goodbye bye)
    {
        if (bye.Ssrcs.Count > 31) throw new ArgumentException("at most 31 SSRCs in a BYE", nameof(bye));
        var offset = 4;
        foreach (var ssrc in bye.Ssrcs) { U32(d, offset, ssrc); offset += 4; }
        if (bye.Reason is { } reason)
        {
            var n = Encoding.UTF8.GetByteCount(reason);
            if (n > 255) throw new ArgumentException("BYE reason longer than 255 octets", nameof(bye));
            d[offset] = (byte)n;
            Encoding.UTF8.GetBytes(reason, d.Slice(offset + 1, n));
            offset += 1 + n;
            var end = (offset + 3) & ~3;
            d[offset..end].Clear();
            offset = end;
        }
        Header(d, bye.Ssrcs.Count, RtcpPacket.ByeType, offset);
        return offset;
    }

    private static void Header(Span<byte> d, int count, byte type, int length)
    {
        d[0] = (byte)(0x80 | count);
        d[1] = type;
        BinaryPrimitives.WriteUInt16BigEndian(d.Slice(2, 2), (ushort)(length / 4 - 1));
    }

    private static void WriteBlocks(Span<byte> d, IReadOnlyList<ReportBlock> blocks)
    {
        for (var i = 0; i < blocks.Count; i++)
        {
            var b = blocks[i];
            var s = d.Slice(24 * i, 24);
            U32(s, 0, b.Ssrc);
            var lost = Math.Clamp(b.CumulativeLost, -0x800000, 0x7FFFFF) & 0xFFFFFF;
            U32(s, 4, ((uint)b.FractionLost << 24) | (uint)lost);
            U32(s, 8, b.ExtendedHighestSequence);
            U32(s, 12, b.Jitter);
            U32(s, 16, b.LastSenderReport);
            U32(s, 20, b.DelaySinceLastSenderReport);
        }
    }

    private static void CheckBlocks(IReadOnlyList<ReportBlock> blocks)
    {
        if (blocks.Count > MaxBlocks) throw new ArgumentException("at most 31 report blocks (§6.4.1)");
    }

    private static void U32(Span<byte> d, int offset, uint value) => BinaryPrimitives.WriteUInt32BigEndian(d.Slice(offset, 4), value);
}
