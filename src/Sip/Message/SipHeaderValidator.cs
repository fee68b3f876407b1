namespace Telephony.Sip.Message;

/// <summary>
/// The header checks a parsed message must pass before a transaction sees it: the mandatory fields of
/// RFC 3261 §8.1.1 (Via, From, To, Call-ID, CSeq) are present and well formed, CSeq matches the method
/// (§8.2.? via RFC 4475 §3.1.2.? mismatch), scalar fields are in range (RFC 4475 §3.1.2 scalar02), and the
/// address-valued fields parse. Anything else is carried as text and checked by whoever reads it.
/// </summary>
internal static class SipHeaderValidator
{
    private static readonly string[] Mandatory = [HeaderNames.Via, HeaderNames.From, HeaderNames.To, HeaderNames.CallId, HeaderNames.CSeq];
    private static readonly string[] SingleFields = [HeaderNames.From, HeaderNames.To, HeaderNames.CallId, HeaderNames.CSeq, HeaderNames.MaxForwards];

    public static bool Validate(SipMessage message, out SipParseError error, out string? detail)
    {
        var h = message.Headers;
        error = SipParseError.BadHeaderValue;
        foreach (var name in Mandatory)
            if (!h.Contains(name)) { error = SipParseError.MissingHeader; detail = $"missing {name}"; return false; }

        // The values every layer reads (top Via, From, To, CSeq) are parsed through the message's cached views,
        // so validating them is the only parse they get; a failure is parsed again only to word the reason.
        if (h.CountFields(HeaderNames.Via) == 1 && message.TopVia is not null && h.Get(HeaderNames.Via)!.IndexOf(',') < 0)
        {
            // One Via field with one value, already parsed: nothing more to check.
        }
        else
        {
            var vias = h.GetAll(HeaderNames.Via);
            // "Via:" fields that are empty or only commas hold no via-parm: the message has no Via at all (§20.42 needs 1).
            if (vias.Count == 0) { error = SipParseError.MissingHeader; detail = "Via has no value"; return false; }
            foreach (var v in vias)
                if (!ViaHeader.TryParse(v, out _, out var e)) { detail = $"Via: {e}"; return false; }
        }

        foreach (var name in SingleFields)
            if (h.CountFields(name) > 1) { detail = $"{name} appears more than once"; return false; }

        if (message.From is null) { NameAddress.TryParse(h.Get(HeaderNames.From)!, out _, out var e); detail = $"{HeaderNames.From}: {e}"; return false; }
        if (message.To is null) { NameAddress.TryParse(h.Get(HeaderNames.To)!, out _, out var e); detail = $"{HeaderNames.To}: {e}"; return false; }

        var callId = h.Get(HeaderNames.CallId)!;
        var at = callId.IndexOf('@');
        if (!(at < 0 ? SipGrammar.IsWord(callId) : SipGrammar.IsWord(callId.AsSpan(0, at)) && SipGrammar.IsWord(callId.AsSpan(at + 1))))
        { detail = "Call-ID is not word[@word]"; return false; }

        var cseq = message.CSeq;
        if (cseq.Method is null && !CSeqHeader.TryParse(h.Get(HeaderNames.CSeq)!, out cseq, out var cseqError)) { detail = cseqError; return false; }
        if (message is SipRequest request && cseq.Method != request.Method)
        { detail = $"CSeq method {cseq.Method} does not match {request.Method}"; return false; }

        if (h.Get(HeaderNames.MaxForwards) is { } mf && !IsNumberAtMost(mf, 255)) { detail = "Max-Forwards must be 0-255"; return false; }

        string? length = null;
        foreach (var cl in h.GetAll(HeaderNames.ContentLength))
        {
            if (!IsNumberAtMost(cl, int.MaxValue)) { error = SipParseError.BadContentLength; detail = $"bad Content-Length '{cl}'"; return false; }
            if (length is not null && int.Parse(length) != int.Parse(cl)) { error = SipParseError.BadContentLength; detail = "conflicting Content-Length values"; return false; }
            length = cl;
        }

        if (h.Get(HeaderNames.Expires) is { } exp && !IsNumberAtMost(exp, uint.MaxValue)) { detail = "Expires is not delta-seconds"; return false; }

        foreach (var contact in h.GetAll(HeaderNames.Contact))
        {
            if (contact == "*") continue;
            if (!NameAddress.TryParse(contact, out var c, out var e)) { detail = $"Contact: {e}"; return false; }
            if (c!.Parameters["expires"] is { } ce && !IsNumberAtMost(ce, uint.MaxValue)) { detail = "Contact expires is not delta-seconds"; return false; }
        }
        foreach (var name in (string[])[HeaderNames.Route, HeaderNames.RecordRoute])
            foreach (var v in h.GetAll(name))
                if (!NameAddress.TryParse(v, out var r, out var e) || !r!.Bracketed) { detail = $"{name}: {e ?? "must be <name-addr>"}"; return false; }

        if (h.Get(HeaderNames.ContentType) is { } ct && !IsMediaType(ct)) { detail = $"bad Content-Type '{ct}'"; return false; }

        error = SipParseError.None;
        detail = null;
        return true;
    }

    private static bool IsNumberAtMost(string text, ulong max)
    {
        var s = text.AsSpan().Trim(" \t");
        return SipGrammar.IsDigits(s) && s.Length <= 20 && ulong.TryParse(s, out var n) && n <= max;
    }

    /// <summary>media-type = m-type SLASH m-subtype *(SEMI m-parameter) (§20.15).</summary>
    private static bool IsMediaType(string value)
    {
        var s = value.AsSpan();
        var semi = SipGrammar.IndexOfUnquoted(s, ';');
        var type = SipGrammar.TrimLws(semi >= 0 ? s[..semi] : s);
        var slash = type.IndexOf('/');
        if (slash <= 0) return false;
        if (!SipGrammar.IsToken(SipGrammar.TrimLws(type[..slash])) || !SipGrammar.IsToken(SipGrammar.TrimLws(type[(slash + 1)..]))) return false;
        return semi < 0 || SipParameters.TryParse(s[semi..], uriStyle: false, out _, out _);
    }
}
