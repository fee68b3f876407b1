using System.Text;

namespace Telephony.Sip.Message;

/// <summary>
/// <c>[display-name] &lt;addr-spec&gt; *(;param)</c> or a bare addr-spec (RFC 3261 §20.10, §20.20, §20.39, §25.1):
/// the value of From, To, Contact, Route, Record-Route, Refer-To. In the bare form every ';' after the URI
/// starts a header parameter, never a URI parameter (§20.10), and the URI may not contain ',', '?' or ';'
/// of its own.
/// </summary>
public sealed class NameAddress
{
    public string? DisplayName { get; init; }
    public required SipUri Uri { get; init; }
    public SipParameters Parameters { get; init; } = new();
    /// <summary>True when the value used angle brackets; serialization always does.</summary>
    public bool Bracketed { get; init; } = true;

    public string? Tag => Parameters["tag"] is { Length: > 0 } t ? t : null;

    public NameAddress WithTag(string tag)
    {
        var p = Parameters.Clone();
        p.Set("tag", tag);
        return new NameAddress { DisplayName = DisplayName, Uri = Uri, Parameters = p, Bracketed = Bracketed };
    }

    public static NameAddress Parse(string text) =>
        TryParse(text, out var value, out var error) ? value! : throw new FormatException(error);

    public static bool TryParse(ReadOnlySpan<char> text, out NameAddress? value, out string? error)
    {
        value = null;
        var s = SipGrammar.TrimLws(text);
        if (s.IsEmpty) { error = "empty address"; return false; }
        string? display = null;
        var lt = SipGrammar.IndexOfUnquoted(s, '<');
        if (lt >= 0)
        {
            var before = SipGrammar.TrimLws(s[..lt]);
            if (!before.IsEmpty)
            {
                if (before[0] == '"')
                {
                    var end = SipGrammar.ReadQuoted(before, 0, out var quoted);
                    if (end < 0) { error = "unterminated quoted display name"; return false; }
                    if (end != before.Length) { error = "text after the quoted display name"; return false; }
                    display = quoted;
                }
                else
                {
                    // display-name = *(token LWS): anything else (unquoted specials) is malformed.
                    foreach (var c in before)
                        if (!SipGrammar.IsTokenChar(c) && !SipGrammar.IsWhitespace(c))
                        { error = $"display name needs quotes for '{c}'"; return false; }
                    display = before.ToString();
                }
            }
            var gt = s[lt..].IndexOf('>');
            if (gt < 0) { error = "'<' without '>'"; return false; }
            gt += lt;
            if (!SipUri.TryParse(s[(lt + 1)..gt], out var uri, out error)) return false;
            if (!SipParameters.TryParse(s[(gt + 1)..], uriStyle: false, out var parameters, out error)) return false;
            value = new NameAddress { DisplayName = display, Uri = uri!, Parameters = parameters };
            return true;
        }
        if (s[0] == '"') { error = "quoted display name without <addr-spec>"; return false; }
        var semi = s.IndexOf(';');
        // LWS may precede the SEMI of a header parameter (RFC 4475 §3.1.1.1 wsinv: "sip:a@b ;   tag = 1").
        var spec = SipGrammar.TrimLws(semi >= 0 ? s[..semi] : s);
        if (spec.IndexOfAny(' ', '\t') >= 0) { error = "spaces in an addr-spec (display name without <>?)"; return false; }
        if (spec.IndexOfAny(',', '?') >= 0) { error = "',' or '?' in an addr-spec outside <>"; return false; }
        if (!SipUri.TryParse(spec, out var bare, out error)) return false;
        SipParameters headerParams = new();
        if (semi >= 0 && !SipParameters.TryParse(s[semi..], uriStyle: false, out headerParams, out error)) return false;
        value = new NameAddress { Uri = bare!, Parameters = headerParams, Bracketed = false };
        return true;
    }

    public override string ToString()
    {
        var sb = new StringBuilder(96);
        if (!string.IsNullOrEmpty(DisplayName)) sb.Append(SipGrammar.Quote(DisplayName)).Append(' ');
        sb.Append('<').Append(Uri).Append('>').Append(Parameters.ToString());
        return sb.ToString();
    }
}
