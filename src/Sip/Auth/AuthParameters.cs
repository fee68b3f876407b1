// RFC 3261 §25.1 (challenge, credentials, auth-param, quoted-string with quoted-pair escapes) and RFC 7616 §3.3-3.4:
// reads and writes the comma-separated parameter list that follows "Digest". Never throws on input.
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Telephony.Sip.Auth;

internal static class AuthParameters
{
    /// <summary>
    /// Parses "Digest name=value, name="quoted \"value\"", ...". Names are case-insensitive; whitespace around
    /// "=" and "," and empty list elements are tolerated; commas inside quotes belong to the value.
    /// </summary>
    public static bool TryParse(
        string? headerValue, out Dictionary<string, string> parameters, [NotNullWhen(false)] out string? error)
    {
        parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        error = null;
        if (string.IsNullOrWhiteSpace(headerValue))
        {
            error = "empty header value";
            return false;
        }

        var text = headerValue;
        var i = SkipSpace(text, 0);
        var schemeStart = i;
        while (i < text.Length && IsTokenChar(text[i]))
            i++;
        var scheme = text[schemeStart..i];
        if (!scheme.Equals("Digest", StringComparison.OrdinalIgnoreCase))
        {
            error = scheme.Length == 0 ? "missing authentication scheme" : $"scheme \"{Shorten(scheme)}\" is not Digest";
            return false;
        }
        if (i < text.Length && !IsSpace(text[i]))
        {
            error = "expected a space after \"Digest\"";
            return false;
        }

        while (true)
        {
            i = SkipSpace(text, i);
            while (i < text.Length && text[i] == ',')
                i = SkipSpace(text, i + 1);
            if (i >= text.Length)
                break;

            var nameStart = i;
            while (i < text.Length && IsTokenChar(text[i]))
                i++;
            if (i == nameStart)
            {
                error = $"expected a parameter name at position {i}";
                return false;
            }
            var name = text[nameStart..i];
            i = SkipSpace(text, i);
            if (i >= text.Length || text[i] != '=')
            {
                error = $"parameter \"{Shorten(name)}\" has no value";
                return false;
            }
            i = SkipSpace(text, i + 1);

            string value;
            if (i < text.Length && text[i] == '"')
            {
                if (!TryReadQuoted(text, ref i, out value, out error))
                    return false;
            }
            else
            {
                // A token by the grammar; anything up to the next comma or space is taken, because clients send
                // unquoted values (nonces with "/" or "=") that are wrong but unambiguous.
                var valueStart = i;
                while (i < text.Length && text[i] != ',' && !IsSpace(text[i]) && text[i] != '"')
                    i++;
                value = text[valueStart..i];
                if (value.Length == 0)
                {
                    error = $"parameter \"{Shorten(name)}\" has an empty value";
                    return false;
                }
            }

            if (!parameters.TryAdd(name, value))
            {
                error = $"parameter \"{Shorten(name)}\" appears twice";
                return false;
            }
            i = SkipSpace(text, i);
            if (i < text.Length && text[i] != ',')
            {
                error = $"expected \",\" after parameter \"{Shorten(name)}\" at position {i}";
                return false;
            }
        }

        if (parameters.Count == 0)
        {
            error = "no parameters after \"Digest\"";
            return false;
        }
        return true;
    }

    /// <summary>A quoted-string for a header we write; refuses CR and LF so that no value can break a header.</summary>
    public static string Quote(string value)
    {
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            throw new ArgumentException("a header parameter cannot contain CR or LF", nameof(value));
        return "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }

    /// <summary>Appends name=value to a builder that starts with "Digest ", with ", " between parameters.</summary>
    public static void Append(StringBuilder text, string name, string value, bool quoted)
    {
        if (text.Length > "Digest ".Length)
            text.Append(", ");
        text.Append(name).Append('=').Append(quoted ? Quote(value) : value);
    }

    private static bool TryReadQuoted(string text, ref int i, out string value, [NotNullWhen(false)] out string? error)
    {
        var start = i;
        var result = new StringBuilder();
        i++; // opening quote
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"')
            {
                i++;
                value = result.ToString();
                error = null;
                return true;
            }
            if (c == '\\')
            {
                // quoted-pair: any character except CR and LF, taken literally.
                if (i + 1 >= text.Length)
                    break;
                c = text[i + 1];
                i += 2;
            }
            else
            {
                i++;
            }
            if (c is '\r' or '\n' || (c < 0x20 && c != '\t') || c == 0x7f)
            {
                value = "";
                error = $"control character inside the quoted string at position {start}";
                return false;
            }
            result.Append(c);
        }
        value = "";
        error = $"unterminated quoted string at position {start}";
        return false;
    }

    private static int SkipSpace(string text, int i)
    {
        while (i < text.Length && IsSpace(text[i]))
            i++;
        return i;
    }

    // LWS, including CR LF left over from a folded header line.
    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    // RFC 3261 §25.1 token characters.
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
