namespace Telephony.Sip.Message;

/// <summary>CSeq = 1*DIGIT LWS Method (RFC 3261 §20.16); the number is below 2**31 (§8.1.1.5).</summary>
public readonly record struct CSeqHeader(uint Number, string Method)
{
    public static bool TryParse(ReadOnlySpan<char> text, out CSeqHeader cseq, out string? error)
    {
        cseq = default;
        var s = SipGrammar.TrimLws(text);
        var space = s.IndexOfAny(' ', '\t');
        if (space < 0) { error = "CSeq needs a number and a method"; return false; }
        var number = s[..space];
        var method = SipGrammar.TrimLws(s[space..]);
        if (!SipGrammar.IsDigits(number)) { error = "CSeq number is not a number"; return false; }
        if (number.Length > 10 || !uint.TryParse(number, out var n) || n > int.MaxValue) { error = "CSeq number must be less than 2**31"; return false; }
        if (!SipGrammar.IsToken(method)) { error = "CSeq method is not a token"; return false; }
        cseq = new CSeqHeader(n, method.ToString());
        error = null;
        return true;
    }

    public override string ToString() => $"{Number} {Method}";
}
