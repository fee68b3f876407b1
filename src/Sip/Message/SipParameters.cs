namespace Telephony.Sip.Message;

/// <summary>One <c>;name[=value]</c> parameter. A value that was a quoted-string keeps its quotes in <see cref="Value"/>.</summary>
public readonly record struct SipParameter(string Name, string? Value);

/// <summary>
/// An ordered, case-insensitive list of parameters (URI parameters §19.1.1, header parameters §7.3.1 generic-param).
/// </summary>
public sealed class SipParameters : IEnumerable<SipParameter>
{
    // Created on the first parameter: most URIs and many header values carry none, and every message
    // parses several of them.
    private List<SipParameter>? _list;
    private static readonly List<SipParameter> None = new(0);

    private List<SipParameter> _items => _list ?? None;
    private List<SipParameter> Items => _list ??= new List<SipParameter>(2);

    public int Count => _items.Count;

    public bool Contains(string name)
    {
        foreach (var p in _items)
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>The value of <paramref name="name"/> with surrounding quotes removed, "" for a flag, null when absent.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var p in _items)
                if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                    return p.Value is null ? "" : Unquote(p.Value);
            return null;
        }
    }

    public void Set(string name, string? value)
    {
        var at = _items.FindIndex(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        if (at >= 0) _items[at] = new SipParameter(_items[at].Name, value);
        else Items.Add(new SipParameter(name, value));
    }

    public bool Remove(string name) => _list is not null && _list.RemoveAll(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) > 0;

    public SipParameters Clone()
    {
        var copy = new SipParameters();
        if (_items.Count > 0) copy.Items.AddRange(_items);
        return copy;
    }

    public override string ToString()
    {
        if (_items.Count == 0) return "";
        var sb = new System.Text.StringBuilder();
        foreach (var p in _items)
        {
            sb.Append(';').Append(p.Name);
            if (p.Value is not null) sb.Append('=').Append(p.Value);
        }
        return sb.ToString();
    }

    public IEnumerator<SipParameter> GetEnumerator() => _items.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private static string Unquote(string v) =>
        v.Length >= 2 && v[0] == '"' && SipGrammar.ReadQuoted(v, 0, out var content) == v.Length ? content : v;

    /// <summary>
    /// Parses <c>;a=1;b;c="x;y"</c> (starting at a ';' or at the end). Header parameter values are token,
    /// quoted-string or an IPv6 reference (§20.42 via-received, RFC 5118); <paramref name="uriStyle"/> allows the
    /// wider paramchar set of URI parameters instead. Returns false with a reason on malformed input.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> s, bool uriStyle, out SipParameters parameters, out string? error)
    {
        parameters = new SipParameters();
        error = null;
        var i = 0;
        while (i < s.Length)
        {
            i = SkipLws(s, i);
            if (i >= s.Length) break;
            if (s[i] != ';') { error = $"expected ';' before parameter at '{Excerpt(s, i)}'"; return false; }
            i = SkipLws(s, i + 1);
            var nameStart = i;
            while (i < s.Length && (uriStyle ? IsParamChar(s[i]) : SipGrammar.IsTokenChar(s[i]))) i++;
            if (i == nameStart) { error = $"empty parameter name at '{Excerpt(s, nameStart)}'"; return false; }
            var name = s[nameStart..i].ToString();
            i = SkipLws(s, i);
            string? value = null;
            if (i < s.Length && s[i] == '=')
            {
                i = SkipLws(s, i + 1);
                if (i < s.Length && s[i] == '"' && !uriStyle)
                {
                    var end = SipGrammar.ReadQuoted(s, i, out _);
                    if (end < 0) { error = $"unterminated quoted value of parameter '{name}'"; return false; }
                    value = s[i..end].ToString();
                    i = end;
                }
                else if (i < s.Length && s[i] == '[')
                {
                    var close = s[i..].IndexOf(']');
                    if (close < 0) { error = $"unterminated IPv6 reference in parameter '{name}'"; return false; }
                    value = s.Slice(i, close + 1).ToString();
                    if (!System.Net.IPAddress.TryParse(value.AsSpan(1, value.Length - 2), out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
                    { error = $"bad IPv6 reference {value} in parameter '{name}'"; return false; }
                    i += close + 1;
                }
                else
                {
                    var valueStart = i;
                    while (i < s.Length && (uriStyle ? IsParamChar(s[i]) : SipGrammar.IsTokenChar(s[i]) || s[i] == ':')) i++;
                    if (i == valueStart) { error = $"empty value of parameter '{name}'"; return false; }
                    value = s[valueStart..i].ToString();
                    if (uriStyle && !SipGrammar.EscapesValid(value)) { error = $"bad escape in parameter '{name}'"; return false; }
                }
            }
            parameters.Items.Add(new SipParameter(name, value));
            i = SkipLws(s, i);
            if (i < s.Length && s[i] != ';') { error = $"unexpected '{s[i]}' after parameter '{name}'"; return false; }
        }
        return true;
    }

    /// <summary>paramchar = param-unreserved / unreserved / escaped (§25.1).</summary>
    internal static bool IsParamChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '[' or ']' or '/' or ':' or '&' or '+' or '$'
            or '-' or '_' or '.' or '!' or '~' or '*' or '\'' or '(' or ')' or '%';

    private static int SkipLws(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && SipGrammar.IsWhitespace(s[i])) i++;
        return i;
    }

    private static string Excerpt(ReadOnlySpan<char> s, int i) => s[i..Math.Min(s.Length, i + 20)].ToString();
}
