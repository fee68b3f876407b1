namespace Telephony.Sip.Message;

/// <summary>
/// A SIP request or response (RFC 3261 §7): start line, header fields, body. The typed accessors parse a
/// header on demand; the parser has already checked that the ones a transaction needs are well formed.
/// </summary>
public abstract class SipMessage
{
    public SipHeaders Headers { get; init; } = new();
    public ReadOnlyMemory<byte> Body { get; set; } = ReadOnlyMemory<byte>.Empty;
    public string Version { get; init; } = "SIP/2.0";

    public string? CallId => Headers.Get(HeaderNames.CallId);

    // Parsed views of the headers every layer reads, cached until the headers change (SipHeaders.Version).
    // One immutable snapshot swapped whole, so readers on other threads never see half of one.
    private sealed record ParsedView(int Version, CSeqHeader CSeq, NameAddress? From, NameAddress? To, ViaHeader? TopVia);
    private ParsedView? _view;

    private ParsedView View
    {
        get
        {
            var view = Volatile.Read(ref _view);
            if (view is not null && view.Version == Headers.Version) return view;
            view = new ParsedView(
                Headers.Version,
                CSeqHeader.TryParse(Headers.Get(HeaderNames.CSeq) ?? "", out var c, out _) ? c : default,
                ParseAddress(HeaderNames.From),
                ParseAddress(HeaderNames.To),
                Headers.GetFirstValue(HeaderNames.Via) is { } first && ViaHeader.TryParse(first, out var via, out _) ? via : null);
            Volatile.Write(ref _view, view);
            return view;
        }
    }

    public CSeqHeader CSeq => View.CSeq;
    public NameAddress? From => View.From;
    public NameAddress? To => View.To;

    /// <summary>All Via values, topmost first (§8.1.1.7, §18.2.1).</summary>
    public List<ViaHeader> Vias
    {
        get
        {
            var list = new List<ViaHeader>();
            foreach (var v in Headers.GetAll(HeaderNames.Via))
                if (ViaHeader.TryParse(v, out var via, out _)) list.Add(via!);
            return list;
        }
    }

    /// <summary>The topmost Via value; only the first one is split off, so a message with 500 Via values costs no more.</summary>
    public ViaHeader? TopVia => View.TopVia;

    /// <summary>Contact values (name-addr list); empty for "*" or none.</summary>
    public List<NameAddress> Contacts
    {
        get
        {
            var list = new List<NameAddress>();
            foreach (var v in Headers.GetAll(HeaderNames.Contact))
                if (v != "*" && NameAddress.TryParse(v, out var a, out _)) list.Add(a!);
            return list;
        }
    }

    public string? ContentType => Headers.Get(HeaderNames.ContentType);

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body.Span);

    /// <summary>Tokens of the list headers Require, Supported, Allow... (option tags compare case-insensitively).</summary>
    public List<string> Tokens(string header) => Headers.GetAll(header);

    public bool HasToken(string header, string token) =>
        Headers.GetAll(header).Exists(t => string.Equals(t, token, StringComparison.OrdinalIgnoreCase));

    private NameAddress? ParseAddress(string header) =>
        Headers.Get(header) is { } v && NameAddress.TryParse(v, out var a, out _) ? a : null;

    public void SetBody(string contentType, string body)
    {
        Headers.Set(HeaderNames.ContentType, contentType);
        Body = System.Text.Encoding.UTF8.GetBytes(body);
    }

    public abstract string StartLine { get; }

    public override string ToString() => System.Text.Encoding.UTF8.GetString(SipSerializer.ToBytes(this));
}

/// <summary>Request = Request-Line *(message-header) CRLF [message-body] (§7.1).</summary>
public sealed class SipRequest : SipMessage
{
    public required string Method { get; init; }
    public required SipUri RequestUri { get; set; }

    /// <summary>Max-Forwards (§8.1.1.6); a request that lacks it is treated as carrying 70.</summary>
    public int MaxForwards => int.TryParse(Headers.Get(HeaderNames.MaxForwards), out var m) ? m : 70;

    public override string StartLine => $"{Method} {RequestUri} {Version}";
}

/// <summary>Response = Status-Line *(message-header) CRLF [message-body] (§7.2).</summary>
public sealed class SipResponse : SipMessage
{
    public required int StatusCode { get; init; }
    public string ReasonPhrase { get; init; } = "";

    public bool IsProvisional => StatusCode < 200;
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public override string StartLine => $"{Version} {StatusCode} {ReasonPhrase}";
}
