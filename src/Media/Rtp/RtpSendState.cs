using System.Security.Cryptography;

namespace Telephony.Media.Rtp;

/// <summary>
/// The sending side of one RTP stream (RFC 3550 §5.1): a random SSRC (§8.1) and random initial sequence
/// number and timestamp, the sequence advanced by one per packet, the timestamp by the frame length in the
/// codec's RTP clock (RFC 3551 §4.5.2: G.722 counts 8000/s on the wire although it samples at 16 kHz), and the
/// marker bit on the first packet of a talk spurt (RFC 3551 §4.1). Counts for the sender report (§6.4.1).
/// </summary>
public sealed class RtpSendState
{
    private bool _inSpurt;

    public RtpSendState(int rtpClockRate, uint? ssrc = null, ushort? initialSequence = null, uint? initialTimestamp = null)
    {
        if (rtpClockRate <= 0) throw new ArgumentOutOfRangeException(nameof(rtpClockRate));
        RtpClockRate = rtpClockRate;
        Ssrc = ssrc ?? RandomUInt32();
        NextSequence = initialSequence ?? (ushort)RandomNumberGenerator.GetInt32(0, 65536);
        Timestamp = initialTimestamp ?? RandomUInt32();
    }

    public int RtpClockRate { get; }
    public uint Ssrc { get; private set; }
    public ushort NextSequence { get; private set; }
    /// <summary>The timestamp of the frame that will be sent next (the media clock's position in RTP units).</summary>
    public uint Timestamp { get; private set; }
    public uint PacketCount { get; private set; }
    public uint OctetCount { get; private set; }
    /// <summary>Whether anything was sent since the last RTCP report (§6.4: an SR only then).</summary>
    public bool SentSinceReport { get; set; }

    /// <summary>RTP timestamp units in <paramref name="milliseconds"/> of media (160 for 20 ms at 8000 Hz).</summary>
    public int UnitsPer(int milliseconds) => RtpClockRate * milliseconds / 1000;

    /// <summary>
    /// Claims the header fields of the next audio packet: a new sequence number, the current timestamp, and the
    /// marker when this is the first packet after silence. The caller then calls <see cref="Advance"/>.
    /// </summary>
    public (ushort Sequence, uint Timestamp, bool Marker) NextAudio()
    {
        var marker = !_inSpurt;
        _inSpurt = true;
        return (NextSequence++, Timestamp, marker);
    }

    /// <summary>A packet of another payload (telephone-event) in the same sequence space (RFC 4733 §2.1).</summary>
    public ushort NextPacketSequence() => NextSequence++;

    /// <summary>The media clock moved one frame: the timestamp advances whether or not a packet went out (§5.1).</summary>
    public void Advance(int rtpUnits) => Timestamp = unchecked(Timestamp + (uint)rtpUnits);

    /// <summary>Nothing was sent for this frame (silence suppressed, on hold, an event): the next audio packet starts a spurt.</summary>
    public void EndTalkSpurt() => _inSpurt = false;

    public void Count(int payloadBytes)
    {
        PacketCount++;
        OctetCount += (uint)payloadBytes;
        SentSinceReport = true;
    }

    /// <summary>A new SSRC after a collision (§8.2); counts restart.</summary>
    public void ChangeSsrc()
    {
        Ssrc = RandomUInt32();
        PacketCount = 0;
        OctetCount = 0;
        _inSpurt = false;
    }

    private static uint RandomUInt32()
    {
        Span<byte> b = stackalloc byte[4];
        RandomNumberGenerator.Fill(b);
        return BitConverter.ToUInt32(b);
    }
}
