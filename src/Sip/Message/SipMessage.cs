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

    // Parsed views of the headers every layer reads. Each is cached with the header text it came from and the
    // headers' version: while nothing changed it is returned as is; after a change (a Via stamped, a To tag
    // added) only a view whose own text changed is parsed again. Each is an immutable snapshot swapped whole,
    // so readers on other threads never see half of one.
    private sealed record Parsed<T>(int Version, string? Raw, T Value);
    private Parsed<CSeqHeader>? _cseq;
    private Parsed<NameAddress?>? _from, _to;
    private Parsed<ViaHeader?>? _topVia;

    private T Cached<T>(ref Parsed<T>? slot, string header, Func<string, T> parse, T missing)
    {
        var version = Headers.Version;
        var cached = Volatile.Read(ref slot);
        if (cached is not null && cached.Version == version) return cached.Value;
        var raw = Headers.Get(header);
        var value = cached is not null && ReferenceEquals(cached.Raw, raw) ? cached.Value : raw is null ? missing : parse(raw);
        Volatile.Write(ref slot, new Parsed<T>(version, raw, value));
        return value;
    }

    /// <summary>The topmost Via, keyed by the first Via field's text (a stamped received/rport replaces it).</summary>
    private ViaHeader? ReadTopVia()
    {
        var version = Headers.Version;
        var cached = Volatile.Read(ref _topVia);
        if (cached is not null && cached.Version == version) return cached.Value;
        var raw = Headers.Get(HeaderNames.Via);
        if (cached is not null && raw is not null && ReferenceEquals(cached.Raw, raw))
        {
            Volatile.Write(ref _topVia, cached with { Version = version });
            return cached.Value;
        }
        // An empty first field ("Via: ,") leaves the value to a later one: then no text key is kept.
        var first = Headers.GetFirstValue(HeaderNames.Via);
        var via = first is not null && ViaHeader.TryParse(first, out var v, out _) ? v : null;
        var keyed = first is not null && raw is not null && raw.AsSpan().Trim().StartsWith(first) ? raw : null;
        Volatile.Write(ref _topVia, new Parsed<ViaHeader?>(version, keyed, via));
        return via;
    }

    /// <summary>
    /// Drops the cached views (they are parsed again if read). A transaction that lingers for 64·T1 only to
    /// absorb retransmissions calls it, so the tens of thousands of them at a busy hour hold text, not objects.
    /// </summary>
    internal void ForgetParsed()
    {
        Volatile.Write(ref _cseq, null);
        Volatile.Write(ref _from, null);
        Volatile.Write(ref _to, null);
        Volatile.Write(ref _topVia, null);
    }

    private static CSeqHeader ParseCSeq(string raw) => CSeqHeader.TryParse(raw, out var c, out _) ? c : default;
    private static NameAddress? ParseAddress(string raw) => NameAddress.TryParse(raw, out var a, out _) ? a : null;

    public CSeqHeader CSeq => Cached(ref _cseq, HeaderNames.CSeq, ParseCSeq, default);
    public NameAddress? From => Cached(ref _from, HeaderNames.From, ParseAddress, null);
    public NameAddress? To => Cached(ref _to, HeaderNames.To, ParseAddress, null);

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
    public ViaHeader? TopVia => ReadTopVia();

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
