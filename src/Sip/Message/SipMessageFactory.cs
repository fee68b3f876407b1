namespace Telephony.Sip.Message;

/// <summary>Building responses and new requests the way RFC 3261 §8.1.1 and §8.2.6 prescribe.</summary>
public static class SipMessageFactory
{
    /// <summary>
    /// A response to <paramref name="request"/> (§8.2.6.2): Via (all values, in order), From, Call-ID and CSeq
    /// copied; To copied and, when <paramref name="toTag"/> is given and To has no tag yet, tagged.
    /// A 100 Trying copies Timestamp (§8.2.6.1).
    /// </summary>
    public static SipResponse CreateResponse(SipRequest request, int statusCode, string? reason = null, string? toTag = null)
    {
        var response = new SipResponse { StatusCode = statusCode, ReasonPhrase = reason ?? ReasonPhrases.For(statusCode) };
        CopyResponseHeaders(request.Headers, response.Headers, statusCode, toTag);
        return response;
    }

    /// <summary>The same copy from raw header fields, for answering a request that did not fully parse (400).</summary>
    public static SipResponse CreateResponse(SipHeaders requestHeaders, int statusCode, string reason)
    {
        var response = new SipResponse { StatusCode = statusCode, ReasonPhrase = reason };
        CopyResponseHeaders(requestHeaders, response.Headers, statusCode, toTag: null);
        return response;
    }

    private static void CopyResponseHeaders(SipHeaders from, SipHeaders to, int statusCode, string? toTag)
    {
        foreach (var via in from.GetAll(HeaderNames.Via)) to.Add(HeaderNames.Via, via);
        if (from.Get(HeaderNames.From) is { } f) to.Add(HeaderNames.From, f);
        if (from.Get(HeaderNames.To) is { } t)
        {
            if (toTag is not null && NameAddress.TryParse(t, out var addr, out _) && addr!.Tag is null) t = $"{t};tag={toTag}";
            to.Add(HeaderNames.To, t);
        }
        if (from.Get(HeaderNames.CallId) is { } c) to.Add(HeaderNames.CallId, c);
        if (from.Get(HeaderNames.CSeq) is { } s) to.Add(HeaderNames.CSeq, s);
        if (statusCode == 100 && from.Get(HeaderNames.Timestamp) is { } ts) to.Add(HeaderNames.Timestamp, ts);
    }

    /// <summary>A branch with the RFC 3261 magic cookie (§8.1.1.7), unique across space and time.</summary>
    public static string NewBranch() => ViaHeader.MagicCookie + RandomToken(16);

    /// <summary>A tag for From/To (§19.3): at least 32 bits of randomness.</summary>
    public static string NewTag() => RandomToken(10);

    public static string NewCallId(string host) => $"{RandomToken(20)}@{host}";

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static string RandomToken(int length) =>
        string.Create(length, 0, static (span, _) =>
        {
            Span<byte> bytes = stackalloc byte[span.Length];
            System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
            for (var i = 0; i < span.Length; i++) span[i] = Alphabet[bytes[i] % Alphabet.Length];
        });
}

/// <summary>Default reason phrases (RFC 3261 §21 and the extensions we send).</summary>
public static class ReasonPhrases
{
    public static string For(int code) => code switch
    {
        100 => "Trying", 180 => "Ringing", 181 => "Call Is Being Forwarded", 182 => "Queued", 183 => "Session Progress",
        200 => "OK", 202 => "Accepted",
        300 => "Multiple Choices", 301 => "Moved Permanently", 302 => "Moved Temporarily", 305 => "Use Proxy",
        400 => "Bad Request", 401 => "Unauthorized", 403 => "Forbidden", 404 => "Not Found", 405 => "Method Not Allowed",
        406 => "Not Acceptable", 407 => "Proxy Authentication Required", 408 => "Request Timeout", 410 => "Gone",
        413 => "Request Entity Too Large", 414 => "Request-URI Too Long", 415 => "Unsupported Media Type",
        416 => "Unsupported URI Scheme", 420 => "Bad Extension", 421 => "Extension Required", 422 => "Session Interval Too Small",
        423 => "Interval Too Brief", 480 => "Temporarily Unavailable", 481 => "Call/Transaction Does Not Exist",
        482 => "Loop Detected", 483 => "Too Many Hops", 484 => "Address Incomplete", 485 => "Ambiguous", 486 => "Busy Here",
        487 => "Request Terminated", 488 => "Not Acceptable Here", 491 => "Request Pending", 493 => "Undecipherable",
        500 => "Server Internal Error", 501 => "Not Implemented", 502 => "Bad Gateway", 503 => "Service Unavailable",
        504 => "Server Time-out", 505 => "Version Not Supported", 513 => "Message Too Large",
        600 => "Busy Everywhere", 603 => "Decline", 604 => "Does Not Exist Anywhere", 606 => "Not Acceptable",
        _ => code switch { < 200 => "Progress", < 300 => "OK", < 400 => "Redirect", < 500 => "Client Error", < 600 => "Server Error", _ => "Global Failure" },
    };
}
