namespace Telephony.Sip.Message;

/// <summary>Why a message was refused (the Kestrel <c>RequestRejectionReason</c> idea): a parser never throws on network input.</summary>
public enum SipParseError
{
    None,
    /// <summary>Nothing but whitespace, or a CRLF keep-alive (RFC 5626 §4.4.1).</summary>
    Empty,
    /// <summary>No empty line ends the header section: framing cannot be determined.</summary>
    Incomplete,
    BadStartLine,
    /// <summary>A SIP-Version other than SIP/2.0: a UAS answers 505 (§8.2.? and RFC 4475 §3.1.2.? badvers).</summary>
    UnsupportedVersion,
    BadRequestUri,
    BadStatusCode,
    BadHeaderLine,
    BadHeaderValue,
    MissingHeader,
    BadContentLength,
    /// <summary>The datagram holds fewer body bytes than Content-Length says (§18.3).</summary>
    BodyTooShort,
    TooLarge,
}

/// <summary>
/// The outcome of parsing one message. On failure <see cref="Headers"/> still holds what could be read
/// (when the start line and header lines were readable), so the transport can copy Via, From, To, Call-ID
/// and CSeq into a 400 (§8.2: a UAS answers a malformed request) instead of dropping it.
/// </summary>
public sealed class SipParseResult
{
    public SipMessage? Message { get; private init; }
    public SipParseError Error { get; private init; }
    public string? Detail { get; private init; }
    public bool IsRequest { get; private init; }
    public string? Method { get; private init; }
    public SipHeaders? Headers { get; private init; }

    public bool Success => Error == SipParseError.None;

    /// <summary>The response a UAS sends for this failure (400, or 505 for a bad version).</summary>
    public int ResponseStatus => Error == SipParseError.UnsupportedVersion ? 505 : 400;

    /// <summary>
    /// True when the failure is on a request (not ACK, which is never answered, §17.2.1) with a Via to echo, so a
    /// response can reach the client. From/To/Call-ID/CSeq are copied when present (§8.2.6.2) but not required:
    /// RFC 4475 §3.3.1 (insuf) has none of From, To, Call-ID and says the element "Ideally, it will respond with
    /// a 400 Bad Request error."
    /// </summary>
    public bool CanAnswer =>
        !Success && IsRequest && Method != SipMethod.Ack && Headers is { } h && h.Contains(HeaderNames.Via);

    public static SipParseResult Ok(SipMessage message) => new() { Message = message, IsRequest = message is SipRequest };

    /// <summary>Longest <see cref="Detail"/> kept: a reason quotes the offending text, which may be a 70 KB header value.</summary>
    public const int MaxDetailLength = 200;

    public static SipParseResult Fail(SipParseError error, string detail, bool isRequest = false, string? method = null, SipHeaders? headers = null) =>
        new()
        {
            Error = error, Detail = detail.Length <= MaxDetailLength ? detail : string.Concat(detail.AsSpan(0, MaxDetailLength - 1), "…"),
            IsRequest = isRequest, Method = method, Headers = headers,
        };

    public override string ToString() => Success ? "ok" : $"{Error}: {Detail}";
}
