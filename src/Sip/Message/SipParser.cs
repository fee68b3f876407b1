using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Telephony.Sip.Message;

/// <summary>
/// Parses one SIP message from bytes (RFC 3261 §7, §25; RFC 5118 for IPv6 hosts). Works on the byte span,
/// decoding only the strings the message keeps. Never throws on network input: every refusal is a
/// <see cref="SipParseResult"/> with a reason. Framing: on a datagram the body is what follows the headers,
/// cut to Content-Length (§18.3); on a stream the caller has already framed the message by Content-Length
/// (<see cref="SipFraming"/>).
/// </summary>
public static class SipParser
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static SipParseResult Parse(ReadOnlySpan<byte> data)
    {
        try
        {
            return ParseCore(data);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            // A parser bug must not take the transport down; report it as a malformed message.
            return SipParseResult.Fail(SipParseError.BadHeaderValue, "unparseable: " + e.Message);
        }
    }

    public static SipParseResult Parse(string text) => Parse(Encoding.UTF8.GetBytes(text));

    private static SipParseResult ParseCore(ReadOnlySpan<byte> data)
    {
        var pos = 0;
        // §7.5: CRLFs before the start line are ignored (they are also RFC 5626 keep-alives).
        while (pos < data.Length && data[pos] is (byte)'\r' or (byte)'\n') pos++;
        if (pos == data.Length) return SipParseResult.Fail(SipParseError.Empty, "no message");

        if (!NextLine(data, ref pos, out var startLine))
            return SipParseResult.Fail(SipParseError.Incomplete, "no end of the start line");
        if (startLine.IndexOf((byte)'\r') >= 0) return SipParseResult.Fail(SipParseError.BadStartLine, "bare CR in the start line");

        var headers = new SipHeaders();
        var headerError = ReadHeaders(data, ref pos, headers, out var headerDetail, out var sawBlankLine);

        var isRequest = !(startLine.Length >= 4 && Ascii.EqualsIgnoreCase(startLine[..4], "SIP/"u8));
        string? method = null;
        if (isRequest && startLine.IndexOf((byte)' ') is > 0 and var msp) method = SipMethod.FromBytes(startLine[..msp]);
        SipParseResult Fail(SipParseError e, string d) => SipParseResult.Fail(e, d, isRequest, method, headers);

        if (headerError != SipParseError.None) return Fail(headerError, headerDetail!);
        // A datagram that stops at the end of a header line has lost only its empty line: still refused (§7: "the
        // empty line MUST be present"), but after the checks below, so the reason names a worse defect when
        // there is one (RFC 4475 §3.1.2.15 baddn ends that way). A datagram cut inside a line is refused now.
        if (!sawBlankLine && pos < data.Length) return Fail(SipParseError.Incomplete, "no empty line after the header fields");

        SipMessage message;
        if (isRequest)
        {
            if (!TryParseRequestLine(startLine, out var m, out var uri, out var version, out var error, out var detail)) return Fail(error, detail!);
            message = new SipRequest { Method = m!, RequestUri = uri!, Headers = headers, Version = version! };
        }
        else
        {
            if (!TryParseStatusLine(startLine, out var code, out var reason, out var error, out var detail)) return Fail(error, detail!);
            message = new SipResponse { StatusCode = code, ReasonPhrase = reason!, Headers = headers };
        }

        if (!SipHeaderValidator.Validate(message, out var invalid, out var why)) return Fail(invalid, why!);
        if (!sawBlankLine) return Fail(SipParseError.Incomplete, "no empty line after the header fields");

        var available = data.Length - pos;
        var declared = headers.Get(HeaderNames.ContentLength);
        var length = available;
        if (declared is not null)
        {
            var n = int.Parse(declared.AsSpan().Trim()); // validated above
            if (n > available) return Fail(SipParseError.BodyTooShort, $"Content-Length {n} but only {available} body bytes");
            length = n;
        }
        message.Body = length == 0 ? ReadOnlyMemory<byte>.Empty : data.Slice(pos, length).ToArray();
        return SipParseResult.Ok(message);
    }

    /// <summary>
    /// Reads header lines up to the empty line, unfolding continuation lines (§7.3.1). A value is decoded
    /// once, straight from the bytes; only a folded value goes through a builder.
    /// </summary>
    private static SipParseError ReadHeaders(ReadOnlySpan<byte> data, ref int pos, SipHeaders headers, out string? detail, out bool sawBlankLine)
    {
        detail = null;
        sawBlankLine = false;
        string? pendingName = null;
        int valueStart = 0, valueLength = 0;
        StringBuilder? folded = null;
        while (NextLine(data, ref pos, out var line))
        {
            if (line.IsEmpty)
            {
                sawBlankLine = true;
                break;
            }
            // CR only ends a line (§7.3.1, §25.1: no rule admits a bare CR, not even quoted-pair); copied into a
            // 400 it would split the response's own header lines.
            if (line.IndexOf((byte)'\r') >= 0) { detail = "bare CR in a header line"; return SipParseError.BadHeaderLine; }
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (pendingName is null) { detail = "continuation line before any header"; return SipParseError.BadHeaderLine; }
                folded ??= new StringBuilder(Utf8.GetString(data.Slice(valueStart, valueLength)));
                folded.Append(' ').Append(Utf8.GetString(Trim(line)));
                continue;
            }
            if (pendingName is not null) AddPending(data, headers, pendingName, valueStart, valueLength, ref folded);
            var colon = line.IndexOf((byte)':');
            if (colon <= 0) { detail = $"header line without a name and ':' ({Excerpt(line)})"; return SipParseError.BadHeaderLine; }
            var name = TrimEnd(line[..colon]);
            foreach (var b in name)
                if (!SipGrammar.IsTokenChar((char)b)) { detail = $"bad header name '{Excerpt(name)}'"; return SipParseError.BadHeaderLine; }
            if (name.IsEmpty) { detail = "empty header name"; return SipParseError.BadHeaderLine; }
            pendingName = HeaderNames.Canonical(name);
            // Where the trimmed value sits in data (line is a slice of it), so it is decoded once at the end.
            var value = Trim(line[(colon + 1)..]);
            valueStart = (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(data), ref MemoryMarshal.GetReference(value));
            valueLength = value.Length;
        }
        if (pendingName is not null) AddPending(data, headers, pendingName, valueStart, valueLength, ref folded);
        return SipParseError.None;
    }

    private static void AddPending(ReadOnlySpan<byte> data, SipHeaders headers, string name, int start, int length, ref StringBuilder? folded)
    {
        if (folded is null)
        {
            headers.Add(name, length == 0 ? "" : Utf8.GetString(data.Slice(start, length)));
            return;
        }
        headers.Add(name, folded.ToString().Trim(' ', '\t'));
        folded = null;
    }

    /// <summary>Request-Line = Method SP Request-URI SP SIP-Version: single spaces, nothing else (§7.1, §25.1).</summary>
    private static bool TryParseRequestLine(ReadOnlySpan<byte> line, out string? method, out SipUri? uri, out string? version, out SipParseError error, out string? detail)
    {
        method = null; uri = null; version = null;
        var first = line.IndexOf((byte)' ');
        var last = line.LastIndexOf((byte)' ');
        error = SipParseError.BadStartLine;
        if (first <= 0 || last == first) { detail = "Request-Line needs Method SP Request-URI SP SIP-Version"; return false; }
        var m = line[..first];
        foreach (var b in m)
            if (!SipGrammar.IsTokenChar((char)b)) { detail = "method is not a token"; return false; }
        var uriBytes = line[(first + 1)..last];
        var versionBytes = line[(last + 1)..];
        if (uriBytes.IsEmpty || uriBytes.IndexOfAny((byte)' ', (byte)'\t') >= 0 || versionBytes.IsEmpty)
        { detail = "extra whitespace in the Request-Line"; return false; }
        if (!IsVersion(versionBytes, out version, out error, out detail)) return false;
        method = SipMethod.FromBytes(m);
        var uriText = Utf8.GetString(uriBytes);
        if (!SipUri.TryParse(uriText, out uri, out var uriError))
        { error = SipParseError.BadRequestUri; detail = "Request-URI: " + uriError; return false; }
        if (uri!.IsSip && uri.Headers is not null)
        { error = SipParseError.BadRequestUri; detail = "Request-URI may not carry headers (§19.1.1)"; return false; }
        detail = null;
        error = SipParseError.None;
        return true;
    }

    /// <summary>Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2); the reason may be empty.</summary>
    private static bool TryParseStatusLine(ReadOnlySpan<byte> line, out int code, out string? reason, out SipParseError error, out string? detail)
    {
        code = 0; reason = null;
        var first = line.IndexOf((byte)' ');
        if (first < 0) { error = SipParseError.BadStartLine; detail = "Status-Line needs a status code"; return false; }
        if (!IsVersion(line[..first], out _, out error, out detail)) return false;
        var rest = line[(first + 1)..];
        var second = rest.IndexOf((byte)' ');
        var codeBytes = second >= 0 ? rest[..second] : rest;
        if (codeBytes.Length != 3 || !IsDigits(codeBytes) || codeBytes[0] is < (byte)'1' or > (byte)'6')
        { error = SipParseError.BadStatusCode; detail = $"status code '{Excerpt(codeBytes)}' is not 100-699"; return false; }
        code = (codeBytes[0] - '0') * 100 + (codeBytes[1] - '0') * 10 + (codeBytes[2] - '0');
        reason = second >= 0 ? Utf8.GetString(rest[(second + 1)..]) : "";
        error = SipParseError.None;
        detail = null;
        return true;
    }

    private static bool IsVersion(ReadOnlySpan<byte> v, out string? version, out SipParseError error, out string? detail)
    {
        version = null;
        // SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT, case-insensitive (§7.1).
        if (v.Length < 7 || !Ascii.EqualsIgnoreCase(v[..4], "SIP/"u8))
        { error = SipParseError.BadStartLine; detail = "missing SIP-Version"; return false; }
        var dot = v.IndexOf((byte)'.');
        if (dot < 5 || !IsDigits(v[4..dot]) || !IsDigits(v[(dot + 1)..]))
        { error = SipParseError.BadStartLine; detail = "malformed SIP-Version"; return false; }
        if (!Ascii.EqualsIgnoreCase(v, "SIP/2.0"u8))
        { error = SipParseError.UnsupportedVersion; detail = $"version {Excerpt(v)} not supported"; return false; }
        version = "SIP/2.0";
        error = SipParseError.None;
        detail = null;
        return true;
    }

    /// <summary>The next line (without CR LF or bare LF); false when no line terminator follows.</summary>
    private static bool NextLine(ReadOnlySpan<byte> data, ref int pos, out ReadOnlySpan<byte> line)
    {
        var lf = data[pos..].IndexOf((byte)'\n');
        if (lf < 0) { line = default; return false; }
        line = data.Slice(pos, lf);
        if (!line.IsEmpty && line[^1] == '\r') line = line[..^1];
        pos += lf + 1;
        return true;
    }

    private static bool IsDigits(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty) return false;
        foreach (var b in s) if (b is < (byte)'0' or > (byte)'9') return false;
        return true;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s) => s.Trim(" \t"u8);
    private static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> s) => s.TrimEnd(" \t"u8);

    private static string Excerpt(ReadOnlySpan<byte> s) => Encoding.Latin1.GetString(s[..Math.Min(s.Length, 40)]);
}
