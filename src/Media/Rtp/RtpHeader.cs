using System.Buffers.Binary;

namespace Telephony.Media.Rtp;

/// <summary>Why a datagram is not an RTP packet we accept (RFC 3550 §5.1, and the checks of appendix A.1).</summary>
public enum RtpParseError
{
    None,
    /// <summary>Shorter than the 12-byte fixed header.</summary>
    TooShort,
    /// <summary>Version field is not 2.</summary>
    BadVersion,
    /// <summary>The CSRC list runs past the end of the datagram.</summary>
    CsrcListTruncated,
    /// <summary>The header extension (§5.3.1) runs past the end of the datagram.</summary>
    ExtensionTruncated,
    /// <summary>The P bit is set but the last octet's padding count is 0 or larger than what follows the header.</summary>
    BadPadding,
    /// <summary>Payload type 72-76: an RTCP SR/RR/SDES/BYE/APP multiplexed on the RTP port (RFC 5761 §4).</summary>
    RtcpOnRtpPort,
}

/// <summary>
/// The fixed RTP header (RFC 3550 §5.1) of one datagram, and where its CSRC list, extension and payload lie
/// in it. A value type read from a span: parsing allocates nothing.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// |                           timestamp                           |
/// |           synchronization source (SSRC) identifier            |
/// |            contributing source (CSRC) identifiers             | (CC of them)
/// </code>
/// </remarks>
public readonly record struct RtpHeader
{
    public const int FixedLength = 12;
    public const int Version = 2;

    public bool Padding { get; init; }
    public bool HasExtension { get; init; }
    public int CsrcCount { get; init; }
    public bool Marker { get; init; }
    public byte PayloadType { get; init; }
    public ushort SequenceNumber { get; init; }
    public uint Timestamp { get; init; }
    public uint Ssrc { get; init; }

    /// <summary>The "defined by profile" 16 bits of the extension header (§5.3.1), when <see cref="HasExtension"/>.</summary>
    public ushort ExtensionProfile { get; init; }
    /// <summary>Offset and length (bytes, without the 4-byte extension header) of the extension data.</summary>
    public int ExtensionOffset { get; init; }
    public int ExtensionLength { get; init; }
    public int PayloadOffset { get; init; }
    public int PayloadLength { get; init; }
    /// <summary>Padding octets at the end, including the count octet itself (0 without the P bit).</summary>
    public int PaddingLength { get; init; }

    public ReadOnlySpan<byte> PayloadOf(ReadOnlySpan<byte> packet) => packet.Slice(PayloadOffset, PayloadLength);

    public ReadOnlySpan<byte> ExtensionOf(ReadOnlySpan<byte> packet) => packet.Slice(ExtensionOffset, ExtensionLength);

    public uint CsrcOf(ReadOnlySpan<byte> packet, int index)
    {
        if ((uint)index >= (uint)CsrcCount) throw new ArgumentOutOfRangeException(nameof(index));
        return BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(FixedLength + 4 * index, 4));
    }

    /// <summary>Parses the header of <paramref name="packet"/>; never throws on bad input.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtpHeader header, out RtpParseError error)
    {
        header = default;
        if (packet.Length < FixedLength) { error = RtpParseError.TooShort; return false; }
        var b0 = packet[0];
        if (b0 >> 6 != Version) { error = RtpParseError.BadVersion; return false; }
        var padding = (b0 & 0x20) != 0;
        var extension = (b0 & 0x10) != 0;
        var cc = b0 & 0x0F;
        var b1 = packet[1];
        var pt = (byte)(b1 & 0x7F);
        // RFC 5761 §4: PT 72-76 with the marker bit are RTCP packet types 200-204.
        if (pt is >= 72 and <= 76) { error = RtpParseError.RtcpOnRtpPort; return false; }

        var offset = FixedLength + 4 * cc;
        if (offset > packet.Length) { error = RtpParseError.CsrcListTruncated; return false; }

        ushort profile = 0;
        int extOffset = 0, extLength = 0;
        if (extension)
        {
            // §5.3.1: 16 bits profile-defined, 16 bits length in 32-bit words excluding this 4-byte header.
            if (offset + 4 > packet.Length) { error = RtpParseError.ExtensionTruncated; return false; }
            profile = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(offset, 2));
            extLength = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(offset + 2, 2)) * 4;
            extOffset = offset + 4;
            if (extOffset + extLength > packet.Length) { error = RtpParseError.ExtensionTruncated; return false; }
            offset = extOffset + extLength;
        }

        var paddingLength = 0;
        if (padding)
        {
            // §5.1: the last octet counts the padding octets, itself included; 0 is not valid (A.1).
            paddingLength = packet[^1];
            if (paddingLength == 0 || offset + paddingLength > packet.Length) { error = RtpParseError.BadPadding; return false; }
        }

        header = new RtpHeader
        {
            Padding = padding,
            HasExtension = extension,
            CsrcCount = cc,
            Marker = (b1 & 0x80) != 0,
            PayloadType = pt,
            SequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2, 2)),
            Timestamp = BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4, 4)),
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(8, 4)),
            ExtensionProfile = profile,
            ExtensionOffset = extOffset,
            ExtensionLength = extLength,
            PayloadOffset = offset,
            PayloadLength = packet.Length - offset - paddingLength,
            PaddingLength = paddingLength,
        };
        error = RtpParseError.None;
        return true;
    }
}
