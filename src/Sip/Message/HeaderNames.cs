namespace Telephony.Sip.Message;

/// <summary>
/// Header field names (RFC 3261 §20) and their compact forms (§7.3.3, plus the ones later RFCs added).
/// Names compare case-insensitively (§7.3.1); <see cref="Canonical"/> maps any spelling to one string so a
/// parsed message allocates no name.
/// </summary>
public static class HeaderNames
{
    public const string Accept = "Accept";
    public const string AcceptEncoding = "Accept-Encoding";
    public const string AcceptLanguage = "Accept-Language";
    public const string Allow = "Allow";
    public const string Authorization = "Authorization";
    public const string CallId = "Call-ID";
    public const string Contact = "Contact";
    public const string ContentDisposition = "Content-Disposition";
    public const string ContentEncoding = "Content-Encoding";
    public const string ContentLength = "Content-Length";
    public const string ContentType = "Content-Type";
    public const string CSeq = "CSeq";
    public const string Date = "Date";
    public const string Event = "Event";
    public const string Expires = "Expires";
    public const string From = "From";
    public const string MaxForwards = "Max-Forwards";
    public const string MinExpires = "Min-Expires";
    public const string MinSE = "Min-SE";
    public const string ProxyAuthenticate = "Proxy-Authenticate";
    public const string ProxyAuthorization = "Proxy-Authorization";
    public const string ProxyRequire = "Proxy-Require";
    public const string RecordRoute = "Record-Route";
    public const string ReferTo = "Refer-To";
    public const string Require = "Require";
    public const string RetryAfter = "Retry-After";
    public const string Route = "Route";
    public const string Server = "Server";
    public const string SessionExpires = "Session-Expires";
    public const string Subject = "Subject";
    public const string Supported = "Supported";
    public const string Timestamp = "Timestamp";
    public const string To = "To";
    public const string Unsupported = "Unsupported";
    public const string UserAgent = "User-Agent";
    public const string Via = "Via";
    public const string Warning = "Warning";
    public const string WwwAuthenticate = "WWW-Authenticate";
    public const string AllowEvents = "Allow-Events";
    public const string ReferredBy = "Referred-By";
    public const string AcceptContact = "Accept-Contact";
    public const string RejectContact = "Reject-Contact";
    public const string RequestDisposition = "Request-Disposition";
    public const string Identity = "Identity";
    public const string IdentityInfo = "Identity-Info";
    public const string Reason = "Reason";

    private static readonly Dictionary<string, string> Known = BuildKnown();

    /// <summary>Compact forms: RFC 3261 §7.3.3 (i m e l c f s k t v), RFC 3515 (r b), RFC 6665 (o u),
    /// RFC 4028 (x), RFC 3841 (a j d), RFC 8224 (y n).</summary>
    private static readonly Dictionary<char, string> Compact = new()
    {
        ['i'] = CallId, ['m'] = Contact, ['e'] = ContentEncoding, ['l'] = ContentLength, ['c'] = ContentType,
        ['f'] = From, ['s'] = Subject, ['k'] = Supported, ['t'] = To, ['v'] = Via, ['r'] = ReferTo,
        ['b'] = ReferredBy, ['o'] = Event, ['u'] = AllowEvents, ['x'] = SessionExpires, ['a'] = AcceptContact,
        ['j'] = RejectContact, ['d'] = RequestDisposition, ['y'] = Identity, ['n'] = IdentityInfo,
    };

    /// <summary>
    /// Headers whose value is a comma-separated list (§7.3.1: <c>header = name: value *(COMMA value)</c>).
    /// Only these are split; in the others a comma is content (Date, WWW-Authenticate, Subject...).
    /// </summary>
    private static readonly HashSet<string> ListValued = new(StringComparer.OrdinalIgnoreCase)
    {
        Accept, AcceptEncoding, AcceptLanguage, Allow, Contact, ContentEncoding, ProxyRequire, RecordRoute,
        Require, Route, Supported, Unsupported, Via, AllowEvents, AcceptContact, RejectContact,
        RequestDisposition, "Alert-Info", "Call-Info", "Error-Info", "In-Reply-To", "Path", "Service-Route",
        "Security-Client", "Security-Server", "Security-Verify", "Privacy", "P-Asserted-Identity",
        "History-Info", "Reason", Warning,
    };

    private static Dictionary<string, string> BuildKnown()
    {
        var names = typeof(HeaderNames).GetFields()
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);
        return names.ToDictionary(n => n, n => n, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The canonical spelling of a header name, expanding compact forms; unknown names as given.</summary>
    public static string Canonical(string name)
    {
        if (name.Length == 1 && Compact.TryGetValue(char.ToLowerInvariant(name[0]), out var full)) return full;
        return Known.TryGetValue(name, out var known) ? known : name;
    }

    /// <summary>Same as <see cref="Canonical(string)"/> but from the wire bytes, allocating only for unknown names.</summary>
    public static string Canonical(ReadOnlySpan<byte> name)
    {
        if (name.Length == 1 && Compact.TryGetValue(char.ToLowerInvariant((char)name[0]), out var full)) return full;
        Span<char> chars = stackalloc char[Math.Min(name.Length, 128)];
        if (name.Length <= 128)
        {
            for (var i = 0; i < name.Length; i++) chars[i] = (char)name[i];
            var lookup = Known.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(chars[..name.Length], out var known)) return known;
        }
        return System.Text.Encoding.Latin1.GetString(name);
    }

    public static bool IsListValued(string canonicalName) => ListValued.Contains(canonicalName);

    public static bool Equal(string a, string b) => string.Equals(Canonical(a), Canonical(b), StringComparison.OrdinalIgnoreCase);
}
