namespace Telephony.Media.Rtp;

/// <summary>
/// One reception report block (RFC 3550 §6.4.1): the loss, highest sequence and jitter we saw from one source,
/// and the LSR/DLSR pair the source uses to compute the round-trip time.
/// </summary>
public readonly record struct ReportBlock(
    uint Ssrc, byte FractionLost, int CumulativeLost, uint ExtendedHighestSequence, uint Jitter,
    uint LastSenderReport, uint DelaySinceLastSenderReport);

/// <summary>One packet of an RTCP compound packet (RFC 3550 §6.1).</summary>
public abstract record RtcpPacket
{
    public const byte SenderReportType = 200;
    public const byte ReceiverReportType = 201;
    public const byte SourceDescriptionType = 202;
    public const byte ByeType = 203;
    public const byte AppType = 204;
}

/// <summary>SR (§6.4.1): sender info and up to 31 report blocks.</summary>
public sealed record SenderReport(uint Ssrc, ulong NtpTimestamp, uint RtpTimestamp, uint PacketCount, uint OctetCount,
    IReadOnlyList<ReportBlock> Blocks) : RtcpPacket;

/// <summary>RR (§6.4.2): report blocks from a participant that has not sent since the last report.</summary>
public sealed record ReceiverReport(uint Ssrc, IReadOnlyList<ReportBlock> Blocks) : RtcpPacket;

/// <summary>One SDES chunk (§6.5): the CNAME is kept, other items are skipped.</summary>
public sealed record SdesChunk(uint Ssrc, string? Cname);

/// <summary>SDES (§6.5).</summary>
public sealed record SourceDescription(IReadOnlyList<SdesChunk> Chunks) : RtcpPacket;

/// <summary>BYE (§6.6): the sources leaving and an optional reason.</summary>
public sealed record Goodbye(IReadOnlyList<uint> Ssrcs, string? Reason) : RtcpPacket;

/// <summary>A packet type we carry but do not interpret (APP, RTPFB, PSFB, XR...).</summary>
public sealed record RtcpOther(byte PacketType, int Length) : RtcpPacket;

/// <summary>Why a datagram is not a valid RTCP compound packet (RFC 3550 §6.1 and the checks of A.2).</summary>
public enum RtcpParseError
{
    None,
    TooShort,
    BadVersion,
    /// <summary>A.2: the first packet of a compound must be SR or RR.</summary>
    FirstNotReport,
    /// <summary>A.2: only the last packet of a compound may carry padding.</summary>
    PaddingNotLast,
    /// <summary>A packet's length field runs past the datagram, or the lengths do not add up to it.</summary>
    BadLength,
    /// <summary>The report count or chunk count needs more bytes than the packet's length gives.</summary>
    CountBeyondLength,
    BadPadding,
}
