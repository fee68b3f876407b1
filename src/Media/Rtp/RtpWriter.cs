using System.Buffers.Binary;

namespace Telephony.Media.Rtp;

/// <summary>Writes RTP packets (RFC 3550 §5.1, §5.3.1) into a caller's buffer: one datagram, one send.</summary>
public static class RtpWriter
{
    /// <summary>Bytes a packet with these parts takes.</summary>
    public static int Length(int csrcCount, int extensionLength, int payloadLength, int padding) =>
        RtpHeader.FixedLength + 4 * csrcCount + (extensionLength > 0 ? 4 + extensionLength : 0) + payloadLength + padding;

    /// <summary>The common case: no CSRC, no extension, no padding.</summary>
    public static int Write(Span<byte> destination, bool marker, byte payloadType, ushort sequence, uint timestamp, uint ssrc,
        ReadOnlySpan<byte> payload)
    {
        var length = RtpHeader.FixedLength + payload.Length;
        if (destination.Length < length) throw new ArgumentException("destination too small for the RTP packet", nameof(destination));
        WriteFixed(destination, false, false, 0, marker, payloadType, sequence, timestamp, ssrc);
        payload.CopyTo(destination[RtpHeader.FixedLength..]);
        return length;
    }

    /// <summary>
    /// A packet with CSRCs, a header extension (<paramref name="extension"/> a multiple of 4 bytes) and
    /// <paramref name="padding"/> octets of padding (the last one holding the count, §5.1).
    /// </summary>
    public static int Write(Span<byte> destination, bool marker, byte payloadType, ushort sequence, uint timestamp, uint ssrc,
        ReadOnlySpan<uint> csrcs, ushort extensionProfile, ReadOnlySpan<byte> extension, bool hasExtension,
        ReadOnlySpan<byte> payload, int padding = 0)
    {
        if (payloadType > 127) throw new ArgumentOutOfRangeException(nameof(payloadType));
        if (csrcs.Length > 15) throw new ArgumentOutOfRangeException(nameof(csrcs), "at most 15 CSRCs (§5.1)");
        if (extension.Length % 4 != 0 || extension.Length > 4 * ushort.MaxValue) throw new ArgumentException("extension must be whole 32-bit words", nameof(extension));
        if (padding is < 0 or > 255) throw new ArgumentOutOfRangeException(nameof(padding));
        var length = RtpHeader.FixedLength + 4 * csrcs.Length + (hasExtension ? 4 + extension.Length : 0) + payload.Length + padding;
        if (destination.Length < length) throw new ArgumentException("destination too small for the RTP packet", nameof(destination));

        WriteFixed(destination, padding > 0, hasExtension, csrcs.Length, marker, payloadType, sequence, timestamp, ssrc);
        var offset = RtpHeader.FixedLength;
        foreach (var csrc in csrcs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(offset, 4), csrc);
            offset += 4;
        }
        if (hasExtension)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(offset, 2), extensionProfile);
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(offset + 2, 2), (ushort)(extension.Length / 4));
            extension.CopyTo(destination[(offset + 4)..]);
            offset += 4 + extension.Length;
        }
        payload.CopyTo(destination[offset..]);
        offset += payload.Length;
        if (padding > 0)
        {
            destination.Slice(offset, padding - 1).Clear();
            destination[offset + padding - 1] = (byte)padding;
            offset += padding;
        }
        return offset;
    }

    private static void WriteFixed(Span<byte> d, bool padding, bool extension, int cc, bool marker, byte pt, ushort seq, uint ts, uint ssrc)
    {
        d[0] = (byte)((RtpHeader.Version << 6) | (padding ? 0x20 : 0) | (extension ? 0x10 : 0) | cc);
        d[1] = (byte)((marker ? 0x80 : 0) | (pt & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(d.Slice(2, 2), seq);
        BinaryPrimitives.WriteUInt32BigEndian(d.Slice(4, 4), ts);
        BinaryPrimitives.WriteUInt32BigEndian(d.Slice(8, 4), ssrc);
    }
}
