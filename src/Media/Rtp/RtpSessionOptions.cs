using System.Net;
using Telephony.Media.Codecs;

namespace Telephony.Media.Rtp;

/// <summary>Which first packet the session latches on to (symmetric RTP, RFC 4961; NAT latching).</summary>
public enum RtpLatching
{
    /// <summary>The first valid packet from the SDP's address (any port: a NAT may have changed it).</summary>
    SdpAddress,
    /// <summary>The first valid packet from anywhere (peers behind NATs that rewrite the address too).</summary>
    AnySource,
}

/// <summary>The negotiated media of one session, from the SDP offer/answer.</summary>
public sealed record RtpSessionOptions
{
    /// <summary>Encoder for what we send; its own instance (codec state is per direction).</summary>
    public required IAudioCodec Encoder { get; init; }
    /// <summary>Decoder for what we receive; its own instance.</summary>
    public required IAudioCodec Decoder { get; init; }
    /// <summary>The audio payload type from the SDP (may differ from the codec's static one for dynamic codecs).</summary>
    public required byte AudioPayloadType { get; init; }
    /// <summary>The telephone-event payload type (RFC 4733 §7), or null when the peer offered none.</summary>
    public byte? TelephoneEventPayloadType { get; init; }
    /// <summary>The c=/m= address of the peer's SDP; null to wait for its first packet.</summary>
    public IPEndPoint? Remote { get; init; }
    public RtpLatching Latching { get; init; } = RtpLatching.SdpAddress;
    /// <summary>SDES CNAME (§6.5.1): user@host of this engine.</summary>
    public string Cname { get; init; } = "telephony@localhost";
    public int FrameMs { get; init; } = 20;
    /// <summary>The mean RTCP report interval (§6.2 minimum 5 s), randomized ×0.5-1.5 per §6.3.1.</summary>
    public TimeSpan RtcpInterval { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Send encoded silence when the source has nothing (keeps NAT bindings and the peer's jitter buffer fed).</summary>
    public bool SendSilenceWhenIdle { get; init; } = true;
    public int MinJitterFrames { get; init; } = 2;
    public int MaxJitterFrames { get; init; } = 10;
}

/// <summary>What the session sends: one frame of PCM at the encoder's rate per tick.</summary>
public interface IOutboundAudio
{
    /// <summary>Fills <paramref name="frame"/>; false when there is nothing to send (silence).</summary>
    bool Read(Span<short> frame);
}

/// <summary>A received frame, played out by the jitter buffer on the media clock's thread: copy it, don't block.</summary>
public delegate void AudioFrameHandler(RtpSession session, ReadOnlySpan<short> pcm, bool concealed);
