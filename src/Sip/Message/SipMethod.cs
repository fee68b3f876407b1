namespace Telephony.Sip.Message;

/// <summary>Request methods: RFC 3261 §7.1, plus the extensions a PBX meets (INFO RFC 6086, PRACK RFC 3262,
/// UPDATE RFC 3311, SUBSCRIBE/NOTIFY RFC 6665, REFER RFC 3515, MESSAGE RFC 3428, PUBLISH RFC 3903).</summary>
public static class SipMethod
{
    public const string Invite = "INVITE";
    public const string Ack = "ACK";
    public const string Bye = "BYE";
    public const string Cancel = "CANCEL";
    public const string Options = "OPTIONS";
    public const string Register = "REGISTER";
    public const string Info = "INFO";
    public const string Prack = "PRACK";
    public const string Update = "UPDATE";
    public const string Subscribe = "SUBSCRIBE";
    public const string Notify = "NOTIFY";
    public const string Refer = "REFER";
    public const string Message = "MESSAGE";
    public const string Publish = "PUBLISH";

    private static readonly string[] Known = [Invite, Ack, Bye, Cancel, Options, Register, Info, Prack, Update, Subscribe, Notify, Refer, Message, Publish];

    /// <summary>Methods are case-sensitive (§7.1): returns the interned constant for a known one, else a new string.</summary>
    public static string FromBytes(ReadOnlySpan<byte> bytes)
    {
        foreach (var m in Known)
            if (bytes.Length == m.Length && Matches(bytes, m)) return m;
        return System.Text.Encoding.ASCII.GetString(bytes);
    }

    public static bool IsKnown(string method) => Array.IndexOf(Known, method) >= 0;

    private static bool Matches(ReadOnlySpan<byte> bytes, string m)
    {
        for (var i = 0; i < m.Length; i++) if (bytes[i] != m[i]) return false;
        return true;
    }
}
