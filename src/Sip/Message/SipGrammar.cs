using System.Text;

namespace Telephony.Sip.Message;

/// <summary>Character classes and small lexical rules of RFC 3261 §25.1 shared by the header parsers.</summary>
public static class SipGrammar
{
    /// <summary>token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")</summary>
    public static bool IsTokenChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
            or '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';

    public static bool IsToken(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return false;
        foreach (var c in s) if (!IsTokenChar(c)) return false;
        return true;
    }

    /// <summary>word = 1*(token chars / "(" / ")" / "&lt;" / "&gt;" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}"), used by Call-ID.</summary>
    public static bool IsWord(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return false;
        foreach (var c in s)
            if (!IsTokenChar(c) && c is not ('(' or ')' or '<' or '>' or ':' or '\\' or '"' or '/' or '[' or ']' or '?' or '{' or '}'))
                return false;
        return true;
    }

    public static bool IsWhitespace(char c) => c is ' ' or '\t';

    public static ReadOnlySpan<char> TrimLws(ReadOnlySpan<char> s) => s.Trim(" \t");

    public static bool IsDigits(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return false;
        foreach (var c in s) if (c is < '0' or > '9') return false;
        return true;
    }

    /// <summary>
    /// Reads a quoted-string starting at <paramref name="start"/> (which must be a DQUOTE). Returns the index
    /// just past the closing quote, or -1 when it is unterminated; <paramref name="content"/> gets the
    /// unescaped text (§25.1 quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)).
    /// </summary>
    public static int ReadQuoted(ReadOnlySpan<char> s, int start, out string content)
    {
        var sb = new StringBuilder();
        for (var i = start + 1; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\\')
            {
                if (i + 1 >= s.Length || s[i + 1] is '\r' or '\n') break;
                sb.Append(s[++i]);
            }
            else if (c == '"')
            {
                content = sb.ToString();
                return i + 1;
            }
            else if (c is '\r' or '\n') break;
            else sb.Append(c);
        }
        content = "";
        return -1;
    }

    /// <summary>Writes <paramref name="text"/> as a quoted-string, escaping DQUOTE and backslash.</summary>
    public static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\') sb.Append('\\');
            sb.Append(c);
        }
        return sb.Append('"').ToString();
    }

    /// <summary>True when every "%" in <paramref name="s"/> starts a valid escape (§25.1 escaped = "%" HEXDIG HEXDIG).</summary>
    public static bool EscapesValid(ReadOnlySpan<char> s)
    {
        for (var i = 0; i < s.Length; i++)
            if (s[i] == '%' && (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2])))
                return false;
        return true;
    }

    /// <summary>Decodes %XX escapes (for comparisons, §19.1.4); bytes are taken as UTF-8.</summary>
    public static string Unescape(string s)
    {
        if (!s.Contains('%')) return s;
        var bytes = new List<byte>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && i + 2 < s.Length && char.IsAsciiHexDigit(s[i + 1]) && char.IsAsciiHexDigit(s[i + 2]))
            {
                bytes.Add(Convert.ToByte(s.Substring(i + 1, 2), 16));
                i += 2;
            }
            else bytes.AddRange(Encoding.UTF8.GetBytes(s[i].ToString()));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Index of <paramref name="target"/> outside quoted strings, or -1.</summary>
    public static int IndexOfUnquoted(ReadOnlySpan<char> s, char target, int start = 0)
    {
        var quoted = false;
        for (var i = start; i < s.Length; i++)
        {
            var c = s[i];
            if (quoted)
            {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == target) return i;
        }
        return -1;
    }
}
