namespace Telephony.Media.Codecs;

/// <summary>
/// The codecs this engine speaks, by SDP encoding name (RFC 4566 rtpmap, RFC 3551 table 4) or static payload
/// type, in the order we prefer them in an offer or answer: G.722 first (wideband is better input for speech
/// recognition), then PCMU, then PCMA.
/// </summary>
public static class AudioCodecs
{
    /// <summary>Encoding names, most preferred first.</summary>
    public static IReadOnlyList<string> Preference { get; } = ["G722", "PCMU", "PCMA"];

    /// <summary>A new codec instance (own state) for <paramref name="encodingName"/>; case-insensitive.</summary>
    public static IAudioCodec Create(string encodingName) =>
        TryCreate(encodingName, out var codec)
            ? codec
            : throw new ArgumentException($"Unsupported audio codec '{encodingName}': supported are {string.Join(", ", Preference)}.", nameof(encodingName));

    public static bool TryCreate(string? encodingName, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IAudioCodec? codec)
    {
        codec = encodingName?.ToUpperInvariant() switch
        {
            "G722" => new G722Codec(),
            "PCMU" => new PcmuCodec(),
            "PCMA" => new PcmaCodec(),
            _ => null,
        };
        return codec is not null;
    }

    /// <summary>A new codec for a static payload type (RFC 3551 table 4: 0 PCMU, 8 PCMA, 9 G722).</summary>
    public static bool TryCreate(int staticPayloadType, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IAudioCodec? codec)
    {
        codec = staticPayloadType switch
        {
            9 => new G722Codec(),
            0 => new PcmuCodec(),
            8 => new PcmaCodec(),
            _ => null,
        };
        return codec is not null;
    }

    public static IAudioCodec Create(int staticPayloadType) =>
        TryCreate(staticPayloadType, out var codec)
            ? codec
            : throw new ArgumentException($"No static audio payload type {staticPayloadType} here: supported are 0 (PCMU), 8 (PCMA), 9 (G722).", nameof(staticPayloadType));

    /// <summary>
    /// The most preferred of <paramref name="offeredEncodingNames"/> we support, or null when none is.
    /// Our preference wins over the offer's order, as RFC 3264 §6.1 allows the answerer.
    /// </summary>
    public static string? Choose(IEnumerable<string> offeredEncodingNames)
    {
        var offered = new HashSet<string>(offeredEncodingNames, StringComparer.OrdinalIgnoreCase);
        foreach (var name in Preference)
            if (offered.Contains(name)) return name;
        return null;
    }

    /// <summary>The preference rank of a name (0 best), or −1 when unsupported.</summary>
    public static int Rank(string encodingName)
    {
        for (int i = 0; i < Preference.Count; i++)
            if (string.Equals(Preference[i], encodingName, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }
}
