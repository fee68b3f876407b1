// RFC 4566 §5: an SDP session description (session-level fields, then the media sections), and the
// RFC 3264 §5.1 / §8.4 rules for which direction and connection apply to a media section.
using System.Diagnostics.CodeAnalysis;

namespace Telephony.Sip.Sdp;

public sealed class SessionDescription
{
    /// <summary>v=; always 0 (RFC 4566 §5.1).</summary>
    public int Version { get; set; }

    public Origin Origin { get; set; } = new("-", "0", 0, "IN", SdpAddressType.IP4, "0.0.0.0");

    /// <summary>s=; RFC 4566 §5.3 suggests "-" when there is nothing to say.</summary>
    public string SessionName { get; set; } = "-";

    public string? Information { get; set; }

    public string? Uri { get; set; }

    public List<string> Emails { get; } = [];

    public List<string> Phones { get; } = [];

    /// <summary>Session-level c=, used by every media section that has none of its own.</summary>
    public ConnectionData? Connection { get; set; }

    public List<string> Bandwidths { get; } = [];

    /// <summary>t= lines with their r= lines. SIP sessions have exactly one, "t=0 0" (RFC 3264 §5).</summary>
    public List<Timing> Timings { get; } = [];

    /// <summary>z=, carried verbatim.</summary>
    public string? TimeZones { get; set; }

    public string? EncryptionKey { get; set; }

    public List<SdpAttribute> Attributes { get; } = [];

    public List<MediaDescription> MediaDescriptions { get; } = [];

    /// <summary>The session-level direction attribute, null when there is none.</summary>
    public MediaDirection? Direction
    {
        get => MediaDescription.ReadDirection(Attributes);
        set => MediaDescription.WriteDirection(Attributes, value);
    }

    public ConnectionData? EffectiveConnection(MediaDescription media) => media.Connection ?? Connection;

    /// <summary>
    /// The direction the writer of this SDP wants for a stream: the media attribute, else the session attribute,
    /// else sendrecv (RFC 3264 §5.1). A connection address of 0.0.0.0 (the RFC 2543 hold, RFC 3264 §8.4) means
    /// the writer receives nothing whatever the attribute says, so the receive half is taken away: a sendrecv
    /// stream on 0.0.0.0 is effectively sendonly, i.e. on hold.
    /// </summary>
    public MediaDirection EffectiveDirection(MediaDescription media)
    {
        var direction = media.Direction ?? Direction ?? MediaDirection.SendRecv;
        if (EffectiveConnection(media)?.IsUnspecified == true)
            direction = direction.Intersect(MediaDirection.SendOnly);
        return direction;
    }

    /// <summary>Parses SDP; never throws. LF-only line ends are accepted.</summary>
    public static bool TryParse(
        string? text,
        [NotNullWhen(true)] out SessionDescription? sdp,
        [NotNullWhen(false)] out string? error) =>
        SdpParser.TryParse(text, out sdp, out error);

    /// <summary>The description as SDP text: CRLF line ends, lines in RFC 4566 §5 order.</summary>
    public override string ToString() => SdpWriter.Write(this);
}
