// RFC 3264 §5 (what an offer or answer says about the writer) and RFC 4566 §5.2 (o= session id and version):
// our side of a negotiation.
using System.Net;
using System.Security.Cryptography;

namespace Telephony.Sip.Sdp;

/// <summary>Where we receive RTP, which codecs we take in which order, and how we sign our SDP.</summary>
public sealed record LocalMedia
{
    /// <summary>G.722 first: wideband makes speech recognition and agents' hearing better; then the G.711 pair.</summary>
    public static IReadOnlyList<AudioCodec> DefaultCodecs { get; } = [AudioCodec.G722, AudioCodec.Pcmu, AudioCodec.Pcma];

    public required IPAddress Address { get; init; }

    public required int RtpPort { get; init; }

    /// <summary>Our preference order. Payload types here are only used when we write an offer.</summary>
    public IReadOnlyList<AudioCodec> Codecs { get; init; } = DefaultCodecs;

    /// <summary>The dynamic payload type we offer RFC 4733 events on; null to neither offer nor accept them.</summary>
    public int? TelephoneEventPayloadType { get; init; } = 101;

    /// <summary>o= sess-id: RFC 4566 §5.2 wants it unique; a random 62-bit number is.</summary>
    public ulong SessionId { get; init; } = NewSessionId();

    /// <summary>o= sess-version of the first SDP we write; RFC 3264 §8 then increments it on each change.</summary>
    public ulong SessionVersion { get; init; }

    public string Username { get; init; } = "-";

    /// <summary>The packet time we ask the peer to send us (a=ptime).</summary>
    public int Ptime { get; init; } = 20;

    /// <summary>What we are willing to do; SendOnly puts the peer on hold (RFC 3264 §8.4).</summary>
    public MediaDirection Direction { get; init; } = MediaDirection.SendRecv;

    /// <summary>62 random bits: positive even for peers that read the id as a signed 64-bit number.</summary>
    public static ulong NewSessionId()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return Math.Max(1, BitConverter.ToUInt64(bytes) >> 2);
    }
}
