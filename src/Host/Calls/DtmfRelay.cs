namespace Telephony.Host.Calls;

/// <summary>
/// The body of a SIP INFO with <c>application/dtmf-relay</c> (the de-facto Cisco format: lines
/// <c>Signal=5</c> and <c>Duration=160</c>); no RFC defines it. Never throws on what a peer sends.
/// </summary>
public static class DtmfRelay
{
    public const string ContentType = "application/dtmf-relay";

    /// <summary>The key of the Signal line (0-9, *, #, A-D; 10 and 11 as * and #), or null.</summary>
    public static char? TryParse(string? contentType, string body)
    {
        if (contentType is null || !contentType.Split(';')[0].Trim().Equals(ContentType, StringComparison.OrdinalIgnoreCase)) return null;
        foreach (var raw in body.Split('\n'))
        {
            var line = raw.Trim();
            var eq = line.IndexOf('=');
            if (eq < 0 || !line[..eq].Trim().Equals("Signal", StringComparison.OrdinalIgnoreCase)) continue;
            var value = line[(eq + 1)..].Trim();
            if (value == "10") return '*';
            if (value == "11") return '#';
            if (value.Length == 1 && (char.IsAsciiDigit(value[0]) || value[0] is '*' or '#' || value[0] is >= 'A' and <= 'D' or >= 'a' and <= 'd'))
                return char.ToUpperInvariant(value[0]);
            return null;
        }
        return null;
    }
}
