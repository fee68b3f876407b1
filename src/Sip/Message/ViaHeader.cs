namespace Telephony.Sip.Message;

/// <summary>
/// One Via value (RFC 3261 §20.42, §18.2.1; RFC 3581 rport; RFC 5118 IPv6 sent-by):
/// <c>SIP/2.0/UDP host[:port];branch=z9hG4bK...;received=...;rport[=n]</c>.
/// </summary>
public sealed class ViaHeader
{
    /// <summary>The branch prefix of RFC 3261 §8.1.1.7; a branch without it comes from an RFC 2543 element.</summary>
    public const string MagicCookie = "z9hG4bK";

    public string Protocol { get; init; } = "SIP/2.0";
    public required string Transport { get; init; }
    public required string Host { get; init; }
    public int? Port { get; init; }
    public SipParameters Parameters { get; init; } = new();

    public string? Branch => Parameters["branch"] is { Length: > 0 } b ? b : null;
    public string? Received => Parameters["received"];
    public bool HasRport => Parameters.Contains("rport");
    public int? Rport => int.TryParse(Parameters["rport"], out var p) ? p : null;
    public bool IsRfc3261Branch => Branch?.StartsWith(MagicCookie, StringComparison.Ordinal) == true;

    public static bool TryParse(ReadOnlySpan<char> text, out ViaHeader? via, out string? error)
    {
        via = null;
        var s = SipGrammar.TrimLws(text);
        // sent-protocol = protocol-name SLASH protocol-version SLASH transport, LWS allowed around SLASH (§25.1).
        var parts = new string[3];
        var i = 0;
        for (var part = 0; part < 3; part++)
        {
            while (i < s.Length && SipGrammar.IsWhitespace(s[i])) i++;
            var start = i;
            while (i < s.Length && SipGrammar.IsTokenChar(s[i])) i++;
            if (i == start) { error = "malformed sent-protocol"; return false; }
            parts[part] = s[start..i].ToString();
            while (i < s.Length && SipGrammar.IsWhitespace(s[i])) i++;
            if (part < 2)
            {
                if (i >= s.Length || s[i] != '/') { error = "malformed sent-protocol"; return false; }
                i++;
            }
        }
        var rest = s[i..];
        var semi = rest.IndexOf(';');
        var sentBy = SipGrammar.TrimLws(semi >= 0 ? rest[..semi] : rest);
        // LWS is allowed around the colon of sent-by (HCOLON-like in the grammar's sent-by = host [COLON port]).
        if (!SipUri.TryParseHostPort(RemoveColonSpace(sentBy), out var host, out var port, out error))
        {
            error = "Via sent-by: " + error;
            return false;
        }
        var parameters = new SipParameters();
        if (semi >= 0 && !SipParameters.TryParse(rest[semi..], uriStyle: false, out parameters, out error)) return false;
        if (parameters["branch"] is "") { error = "Via branch without a value"; return false; }
        if (parameters["ttl"] is { } ttl && (!SipGrammar.IsDigits(ttl) || ttl.Length > 3 || int.Parse(ttl) > 255)) { error = "Via ttl out of range"; return false; }
        if (parameters["rport"] is { Length: > 0 } rp && (!SipGrammar.IsDigits(rp) || rp.Length > 5 || int.Parse(rp) > 65535)) { error = "Via rport out of range"; return false; }
        if (parameters["received"] is { } received && !System.Net.IPAddress.TryParse(received.Trim('[', ']'), out _)) { error = "Via received is not an address"; return false; }
        via = new ViaHeader { Protocol = $"{parts[0]}/{parts[1]}", Transport = parts[2].ToUpperInvariant(), Host = host, Port = port, Parameters = parameters };
        return true;
    }

    private static ReadOnlySpan<char> RemoveColonSpace(ReadOnlySpan<char> s)
    {
        if (s.IndexOfAny(' ', '\t') < 0) return s;
        var sb = new System.Text.StringBuilder(s.Length);
        foreach (var c in s) if (!SipGrammar.IsWhitespace(c)) sb.Append(c);
        return sb.ToString();
    }

    public override string ToString() =>
        $"{Protocol}/{Transport} {Host}{(Port is { } p ? ":" + p : "")}{Parameters}";
}
