// RFC 4566 §5.14 (m=) and §6 (rtpmap, fmtp, ptime, maxptime and the direction attributes): one media section.
namespace Telephony.Sip.Sdp;

/// <summary>An m= line with the i=, c=, b=, k= and a= lines under it.</summary>
/// <remarks>
/// Attributes stay one ordered list so that whatever we do not understand is written back exactly where it was;
/// the typed properties below read and write that list.
/// </remarks>
public sealed class MediaDescription
{
    /// <summary>"audio", "video", "application", ...</summary>
    public string Media { get; set; } = "audio";

    /// <summary>0 means the stream is rejected or disabled (RFC 3264 §5.1, §6).</summary>
    public int Port { get; set; }

    /// <summary>The "/&lt;number of ports&gt;" suffix of m=, absent for unicast telephony.</summary>
    public int? PortCount { get; set; }

    /// <summary>"RTP/AVP", "RTP/SAVP", "UDP/TLS/RTP/SAVPF", ...</summary>
    public string Protocol { get; set; } = "RTP/AVP";

    /// <summary>For RTP profiles: payload type numbers, as written.</summary>
    public List<string> Formats { get; } = [];

    public string? Information { get; set; }

    /// <summary>This stream's c= line; when absent the session-level one applies.</summary>
    public ConnectionData? Connection { get; set; }

    /// <summary>b= values such as "AS:64", kept verbatim.</summary>
    public List<string> Bandwidths { get; } = [];

    public string? EncryptionKey { get; set; }

    public List<SdpAttribute> Attributes { get; } = [];

    public bool IsRtpAvpAudio =>
        Media.Equals("audio", StringComparison.OrdinalIgnoreCase)
        && Protocol.Equals("RTP/AVP", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<SdpAttribute> GetAttributes(string name) =>
        Attributes.Where(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    public string? GetAttributeValue(string name)
    {
        foreach (var a in Attributes)
            if (a.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return a.Value;
        return null;
    }

    /// <summary>The rtpmap for a payload type, if the section has one.</summary>
    public AudioCodec? GetRtpMap(string format)
    {
        foreach (var attribute in GetAttributes("rtpmap"))
        {
            if (AudioCodec.TryParseRtpMap(attribute.Value, out var codec)
                && codec.PayloadType.ToString() == format)
                return codec;
        }
        return null;
    }

    /// <summary>The format parameters after "a=fmtp:&lt;pt&gt; ", e.g. "0-16".</summary>
    public string? GetFmtp(string format)
    {
        foreach (var attribute in GetAttributes("fmtp"))
        {
            var value = attribute.Value ?? "";
            var space = value.IndexOf(' ');
            var pt = space < 0 ? value : value[..space];
            if (pt == format)
                return space < 0 ? "" : value[(space + 1)..].Trim();
        }
        return null;
    }

    /// <summary>
    /// What a payload type means here: its rtpmap when there is one, else the RFC 3551 static assignment.
    /// False for a dynamic type without rtpmap, or a format that is not a payload type number.
    /// </summary>
    public bool TryGetCodec(string format, out AudioCodec codec)
    {
        codec = null!;
        if (!int.TryParse(format, out var pt) || pt is < 0 or > 127)
            return false;
        if (GetRtpMap(format) is { } mapped)
        {
            codec = mapped;
            return true;
        }
        return AudioCodec.TryGetStatic(pt, out codec);
    }

    /// <summary>The formats we can name, in the order of the m= line (which is the writer's preference).</summary>
    public IEnumerable<AudioCodec> GetCodecs()
    {
        foreach (var format in Formats)
        {
            if (TryGetCodec(format, out var codec))
                yield return codec;
        }
    }

    /// <summary>a=ptime: milliseconds of audio the writer wants in each packet it receives.</summary>
    public int? Ptime
    {
        get => ReadInt("ptime");
        set => WriteSingle("ptime", value?.ToString());
    }

    /// <summary>a=maxptime: the most milliseconds of audio the writer can take in one packet.</summary>
    public int? MaxPtime
    {
        get => ReadInt("maxptime");
        set => WriteSingle("maxptime", value?.ToString());
    }

    /// <summary>This section's own direction attribute; null when it has none (the session's then applies).</summary>
    public MediaDirection? Direction
    {
        get => ReadDirection(Attributes);
        set => WriteDirection(Attributes, value);
    }

    internal static MediaDirection? ReadDirection(List<SdpAttribute> attributes)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Value is null && MediaDirections.TryParseAttributeName(attribute.Name, out var direction))
                return direction;
        }
        return null;
    }

    internal static void WriteDirection(List<SdpAttribute> attributes, MediaDirection? direction)
    {
        var at = attributes.FindIndex(MediaDirections.IsDirectionAttribute);
        attributes.RemoveAll(MediaDirections.IsDirectionAttribute);
        if (direction is not { } d)
            return;
        var attribute = new SdpAttribute(d.ToAttributeName());
        if (at >= 0)
            attributes.Insert(at, attribute);
        else
            attributes.Add(attribute);
    }

    private int? ReadInt(string name)
    {
        var value = GetAttributeValue(name);
        if (value is null)
            return null;
        // Some devices write "a=ptime:20.0"; the fraction never matters for telephony.
        if (int.TryParse(value, out var whole))
            return whole > 0 ? whole : null;
        return double.TryParse(value, System.Globalization.NumberStyles.Float,
                   System.Globalization.CultureInfo.InvariantCulture, out var real) && real >= 1 && real < 10_000
            ? (int)Math.Round(real)
            : null;
    }

    private void WriteSingle(string name, string? value)
    {
        var at = Attributes.FindIndex(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        Attributes.RemoveAll(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (value is null)
            return;
        var attribute = new SdpAttribute(name, value);
        if (at >= 0)
            Attributes.Insert(at, attribute);
        else
            Attributes.Add(attribute);
    }
}
