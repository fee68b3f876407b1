using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Telephony.Sip.Message;

/// <summary>
/// A SIP or SIPS URI (RFC 3261 §19.1), or any other absolute URI kept opaque (tel:, urn:, http:...; §19.1.6
/// and the Request-URI rule of §8.2.2.1, which answers 416 to schemes we do not serve).
/// IPv6 hosts are references in brackets (RFC 5118); <see cref="Host"/> keeps the brackets.
/// </summary>
public sealed class SipUri
{
    public string Scheme { get; init; } = "sip";
    public string? User { get; init; }
    public string? Password { get; init; }
    public string Host { get; init; } = "";
    public int? Port { get; init; }
    public SipParameters Parameters { get; init; } = new();
    /// <summary>The <c>?hname=hvalue&amp;...</c> part without the '?', or null.</summary>
    public string? Headers { get; init; }
    /// <summary>For a non-SIP scheme: everything after <c>scheme:</c>.</summary>
    public string? Opaque { get; init; }

    public bool IsSip => Scheme is "sip" or "sips";
    public bool IsSecure => Scheme == "sips";

    /// <summary>The host without IPv6 brackets, as a socket address family would want it.</summary>
    public string HostWithoutBrackets => Host.StartsWith('[') ? Host[1..^1] : Host;

    public string? Transport => Parameters["transport"]?.ToLowerInvariant();

    public static SipUri Create(string? user, string host, int? port = null, string scheme = "sip") =>
        new() { Scheme = scheme, User = user, Host = FormatHost(host), Port = port };

    /// <summary>Brackets an IPv6 literal (RFC 5118 §4.1); other hosts unchanged.</summary>
    public static string FormatHost(string host) =>
        host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;

    public static SipUri Parse(string text) =>
        TryParse(text, out var uri, out var error) ? uri! : throw new FormatException(error);

    public static bool TryParse(ReadOnlySpan<char> text, out SipUri? uri, out string? error)
    {
        uri = null;
        var colon = text.IndexOf(':');
        if (colon <= 0) { error = "URI has no scheme"; return false; }
        var scheme = text[..colon];
        if (!char.IsAsciiLetter(scheme[0])) { error = "URI scheme must start with a letter"; return false; }
        foreach (var c in scheme)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.')) { error = "bad character in URI scheme"; return false; }
        var schemeText = scheme.ToString().ToLowerInvariant();
        var rest = text[(colon + 1)..];
        foreach (var c in rest)
            if (c <= ' ' || c >= 127 || c is '<' or '>' or '"') { error = $"character 0x{(int)c:x2} not allowed in a URI"; return false; }
        if (schemeText is not ("sip" or "sips"))
        {
            if (rest.IsEmpty) { error = "empty URI after scheme"; return false; }
            uri = new SipUri { Scheme = schemeText, Opaque = rest.ToString() };
            error = null;
            return true;
        }
        return TryParseSip(schemeText, rest, out uri, out error);
    }

    private static bool TryParseSip(string scheme, ReadOnlySpan<char> rest, out SipUri? uri, out string? error)
    {
        uri = null;
        string? user = null, password = null, headers = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            var userinfo = rest[..at];
            rest = rest[(at + 1)..];
            var pc = userinfo.IndexOf(':');
            var u = pc >= 0 ? userinfo[..pc] : userinfo;
            if (u.IsEmpty) { error = "empty user part before '@'"; return false; }
            if (!SipGrammar.EscapesValid(u)) { error = "bad escape in URI user part"; return false; }
            user = u.ToString();
            if (pc >= 0)
            {
                password = userinfo[(pc + 1)..].ToString();
                if (!SipGrammar.EscapesValid(password)) { error = "bad escape in URI password"; return false; }
            }
        }
        var q = rest.IndexOf('?');
        if (q >= 0)
        {
            headers = rest[(q + 1)..].ToString();
            if (!SipGrammar.EscapesValid(headers)) { error = "bad escape in URI headers"; return false; }
            rest = rest[..q];
        }
        var semi = rest.IndexOf(';');
        var hostport = semi >= 0 ? rest[..semi] : rest;
        var parameters = new SipParameters();
        if (semi >= 0 && !SipParameters.TryParse(rest[semi..], uriStyle: true, out parameters, out var perr))
        {
            error = perr;
            return false;
        }
        if (!TryParseHostPort(hostport, out var host, out var port, out error)) return false;
        uri = new SipUri { Scheme = scheme, User = user, Password = password, Host = host, Port = port, Parameters = parameters, Headers = headers };
        return true;
    }

    /// <summary>hostport = host [ ":" port ]; host = hostname / IPv4address / IPv6reference (§25.1, RFC 5118).</summary>
    public static bool TryParseHostPort(ReadOnlySpan<char> s, out string host, out int? port, out string? error)
    {
        host = "";
        port = null;
        ReadOnlySpan<char> portText = default;
        if (s.IsEmpty) { error = "missing host"; return false; }
        if (s[0] == '[')
        {
            var close = s.IndexOf(']');
            if (close < 0) { error = "IPv6 reference without ']'"; return false; }
            var literal = s[1..close];
            var canonical = TolerateAbnfBug(literal);
            if (!IPAddress.TryParse(canonical, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6 || literal.Contains('%'))
            { error = $"bad IPv6 address '{literal}'"; return false; }
            host = canonical.Length == literal.Length ? s[..(close + 1)].ToString() : $"[{canonical}]";
            var after = s[(close + 1)..];
            if (!after.IsEmpty)
            {
                if (after[0] != ':') { error = "unexpected text after IPv6 reference"; return false; }
                portText = after[1..];
                if (portText.IsEmpty) { error = "empty port"; return false; }
            }
        }
        else
        {
            var colon = s.IndexOf(':');
            var h = colon >= 0 ? s[..colon] : s;
            if (colon >= 0) { portText = s[(colon + 1)..]; if (portText.IsEmpty) { error = "empty port"; return false; } }
            if (!IsHostname(h)) { error = $"bad host '{h}'"; return false; }
            host = h.ToString();
        }
        if (!portText.IsEmpty)
        {
            if (!SipGrammar.IsDigits(portText) || portText.Length > 5 || int.Parse(portText) > 65535)
            { error = $"bad port '{portText}'"; return false; }
            port = int.Parse(portText);
        }
        error = null;
        return true;
    }

    /// <summary>
    /// RFC 5118 §4.10: the IPv6reference ABNF of RFC 3261 (fixed by RFC 5954) admits an extra colon before an
    /// IPv4 tail (<c>2001:db8:::192.0.2.1</c>). A receiver "may exhibit robustness by successfully parsing the
    /// IPv6 reference (it can choose to ignore the extra colon ...)": the host is kept without it.
    /// </summary>
    private static ReadOnlySpan<char> TolerateAbnfBug(ReadOnlySpan<char> literal)
    {
        var triple = literal.IndexOf(":::");
        if (triple < 0 || literal[(triple + 3)..].IndexOf(':') >= 0 || literal[(triple + 3)..].Count('.') != 3) return literal;
        return string.Concat(literal[..(triple + 2)], literal[(triple + 3)..]);
    }

    /// <summary>hostname = *( domainlabel "." ) toplabel [ "." ], or an IPv4 address (dotted digits).</summary>
    private static bool IsHostname(ReadOnlySpan<char> h)
    {
        if (h.IsEmpty || h.Length > 255) return false;
        foreach (var c in h)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.')) return false;
        if (h[0] is '.' or '-') return false;
        var allDigits = true;
        foreach (var c in h) if (!char.IsAsciiDigit(c) && c != '.') allDigits = false;
        return !allDigits || IsDottedQuad(h);
    }

    /// <summary>IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT (§25.1), each at most 255; no allocation.</summary>
    private static bool IsDottedQuad(ReadOnlySpan<char> h)
    {
        var parts = 0;
        while (true)
        {
            var dot = h.IndexOf('.');
            var part = dot < 0 ? h : h[..dot];
            if (part.Length is < 1 or > 3) return false;
            var n = 0;
            foreach (var c in part) n = n * 10 + (c - '0');
            if (n > 255) return false;
            parts++;
            if (dot < 0) return parts == 4;
            h = h[(dot + 1)..];
        }
    }

    public override string ToString()
    {
        if (!IsSip) return $"{Scheme}:{Opaque}";
        var sb = new StringBuilder(64).Append(Scheme).Append(':');
        if (User is not null)
        {
            sb.Append(User);
            if (Password is not null) sb.Append(':').Append(Password);
            sb.Append('@');
        }
        sb.Append(Host);
        if (Port is { } p) sb.Append(':').Append(p);
        sb.Append(Parameters.ToString());
        if (Headers is not null) sb.Append('?').Append(Headers);
        return sb.ToString();
    }

    public SipUri With(string? user = null, string? host = null, int? port = null, SipParameters? parameters = null, bool dropHeaders = false) => new()
    {
        Scheme = Scheme, User = user ?? User, Password = Password, Host = host is null ? Host : FormatHost(host),
        Port = port ?? Port, Parameters = parameters ?? Parameters.Clone(), Headers = dropHeaders ? null : Headers, Opaque = Opaque,
    };

    /// <summary>
    /// URI equivalence of RFC 3261 §19.1.4: scheme, user and password compared after unescaping and
    /// case-sensitively, host case-insensitively, ports literally (absent ≠ 5060); user, ttl, method, maddr
    /// and transport must agree when either side has them, other parameters only when both have them;
    /// headers must agree.
    /// </summary>
    public bool IsEquivalentTo(SipUri other)
    {
        if (!IsSip || !other.IsSip) return Scheme == other.Scheme && string.Equals(Opaque, other.Opaque, StringComparison.OrdinalIgnoreCase);
        if (Scheme != other.Scheme) return false;
        if (!string.Equals(User is null ? null : SipGrammar.Unescape(User), other.User is null ? null : SipGrammar.Unescape(other.User), StringComparison.Ordinal)) return false;
        if (!string.Equals(Password, other.Password, StringComparison.Ordinal)) return false;
        if (!string.Equals(HostWithoutBrackets, other.HostWithoutBrackets, StringComparison.OrdinalIgnoreCase))
        {
            if (!(IPAddress.TryParse(HostWithoutBrackets, out var a) && IPAddress.TryParse(other.HostWithoutBrackets, out var b) && a.Equals(b))) return false;
        }
        if (Port != other.Port) return false;
        foreach (var name in new[] { "user", "ttl", "method", "maddr", "transport" })
            if (!string.Equals(Parameters[name], other.Parameters[name], StringComparison.OrdinalIgnoreCase)) return false;
        foreach (var p in Parameters)
            if (other.Parameters[p.Name] is { } theirs && !string.Equals(Parameters[p.Name], theirs, StringComparison.OrdinalIgnoreCase)) return false;
        return string.Equals(Headers, other.Headers, StringComparison.OrdinalIgnoreCase);
    }
}
