// RFC 3551 §6 (static audio payload types, table 4), §4.5.2 (G.722's 8000 Hz RTP clock) and
// RFC 4733 §7.1.1 (the audio/telephone-event media type).
namespace Telephony.Sip.Sdp;

/// <summary>An RTP audio format: its encoding name, the payload type it is sent with, its RTP clock rate, channels.</summary>
public sealed record AudioCodec(string Name, int PayloadType, int ClockRate, int Channels = 1)
{
    public static AudioCodec Pcmu { get; } = new("PCMU", 0, 8000);

    public static AudioCodec Pcma { get; } = new("PCMA", 8, 8000);

    /// <summary>
    /// G.722 samples at 16 kHz but its RTP clock is 8000 Hz: RFC 3551 §4.5.2 kept an error of RFC 1890 so that
    /// existing implementations would interoperate, and every SDP since says "G722/8000".
    /// </summary>
    public static AudioCodec G722 { get; } = new("G722", 9, 8000);

    /// <summary>RFC 4733 named telephone events (DTMF). Dynamic; 101 is the customary number, not a rule.</summary>
    public static AudioCodec TelephoneEvent { get; } = new("telephone-event", 101, 8000);

    /// <summary>
    /// The events we accept in a=fmtp: the 16 DTMF digits 0-9 * # A-D (0-15) and flash (16), RFC 4733 §3.2.
    /// </summary>
    public const string TelephoneEventRange = "0-16";

    public bool IsTelephoneEvent => Name.Equals("telephone-event", StringComparison.OrdinalIgnoreCase);

    public bool IsDynamic => PayloadType is >= 96 and <= 127;

    /// <summary>
    /// Whether two descriptions name the same format whatever payload type carries it. Encoding names are
    /// case-insensitive (RFC 4566 §6, rtpmap). For G.722 a clock rate of 16000 is accepted as well: some devices
    /// "correct" the RFC 3551 quirk and the audio is the same.
    /// </summary>
    public bool IsSameFormat(AudioCodec other)
    {
        if (!Name.Equals(other.Name, StringComparison.OrdinalIgnoreCase) || Channels != other.Channels)
            return false;
        if (ClockRate == other.ClockRate)
            return true;
        return Name.Equals("G722", StringComparison.OrdinalIgnoreCase)
            && ClockRate is 8000 or 16000 && other.ClockRate is 8000 or 16000;
    }

    public AudioCodec WithPayloadType(int payloadType) => this with { PayloadType = payloadType };

    /// <summary>The a=rtpmap value, e.g. "9 G722/8000" or "96 opus/48000/2".</summary>
    public string ToRtpMapValue() =>
        Channels == 1 ? $"{PayloadType} {Name}/{ClockRate}" : $"{PayloadType} {Name}/{ClockRate}/{Channels}";

    public override string ToString() => Channels == 1 ? $"{Name}/{ClockRate}" : $"{Name}/{ClockRate}/{Channels}";

    /// <summary>RFC 3551 table 4: the audio payload types that need no rtpmap.</summary>
    public static bool TryGetStatic(int payloadType, out AudioCodec codec)
    {
        codec = payloadType switch
        {
            0 => Pcmu,
            3 => new("GSM", 3, 8000),
            4 => new("G723", 4, 8000),
            5 => new("DVI4", 5, 8000),
            6 => new("DVI4", 6, 16000),
            7 => new("LPC", 7, 8000),
            8 => Pcma,
            9 => G722,
            10 => new("L16", 10, 44100, 2),
            11 => new("L16", 11, 44100),
            12 => new("QCELP", 12, 8000),
            13 => new("CN", 13, 8000),
            14 => new("MPA", 14, 90000),
            15 => new("G728", 15, 8000),
            16 => new("DVI4", 16, 11025),
            17 => new("DVI4", 17, 22050),
            18 => new("G729", 18, 8000),
            _ => null!,
        };
        return codec is not null;
    }

    /// <summary>
    /// Reads an a=rtpmap value "&lt;pt&gt; &lt;name&gt;/&lt;clock&gt;[/&lt;channels&gt;]" (RFC 4566 §6). Channels default to 1.
    /// </summary>
    public static bool TryParseRtpMap(string? value, out AudioCodec codec)
    {
        codec = null!;
        if (string.IsNullOrWhiteSpace(value))
            return false;
        var space = value.IndexOf(' ');
        if (space <= 0 || !int.TryParse(value.AsSpan(0, space), out var pt) || pt is < 0 or > 127)
            return false;
        var parts = value[(space + 1)..].Trim().Split('/');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0)
            return false;
        if (!int.TryParse(parts[1], out var clock) || clock <= 0)
            return false;
        var channels = 1;
        if (parts.Length == 3 && (!int.TryParse(parts[2], out channels) || channels <= 0))
            return false;
        codec = new AudioCodec(parts[0], pt, clock, channels);
        return true;
    }
}
