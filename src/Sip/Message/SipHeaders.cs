namespace Telephony.Sip.Message;

/// <summary>One header field line as it stood in the message (name canonicalized, value unfolded and trimmed).</summary>
public readonly record struct SipHeader(string Name, string Value);

/// <summary>
/// The header fields of a message, in order. RFC 3261 §7.3.1: names are case-insensitive, a list-valued
/// header may be repeated or comma-separated and both mean the same; the relative order of fields with the
/// same name is significant (Via, Route, Record-Route), so it is kept.
/// </summary>
public sealed class SipHeaders : IEnumerable<SipHeader>
{
    private readonly List<SipHeader> _fields;

    public SipHeaders() => _fields = new List<SipHeader>(12);
    public SipHeaders(IEnumerable<SipHeader> fields) => _fields = new List<SipHeader>(fields);

    public int Count => _fields.Count;
    public SipHeader this[int index] => _fields[index];

    /// <summary>The value of the first field named <paramref name="name"/> (any spelling or compact form), or null.</summary>
    public string? this[string name] => Get(name);

    public string? Get(string name)
    {
        var canonical = HeaderNames.Canonical(name);
        foreach (var f in _fields)
            if (string.Equals(f.Name, canonical, StringComparison.OrdinalIgnoreCase)) return f.Value;
        return null;
    }

    public bool Contains(string name) => Get(name) is not null;

    /// <summary>How many fields (lines) are named <paramref name="name"/>, without splitting their values.</summary>
    public int CountFields(string name)
    {
        var canonical = HeaderNames.Canonical(name);
        var n = 0;
        foreach (var f in _fields)
            if (string.Equals(f.Name, canonical, StringComparison.OrdinalIgnoreCase)) n++;
        return n;
    }

    /// <summary>
    /// Every value of <paramref name="name"/> in order: repeated fields, and for list-valued headers each
    /// comma-separated element (commas inside quotes, angle brackets or parentheses do not split).
    /// </summary>
    public List<string> GetAll(string name)
    {
        var canonical = HeaderNames.Canonical(name);
        var list = HeaderNames.IsListValued(canonical);
        var values = new List<string>();
        foreach (var f in _fields)
        {
            if (!string.Equals(f.Name, canonical, StringComparison.OrdinalIgnoreCase)) continue;
            if (list) SplitList(f.Value, values);
            else values.Add(f.Value);
        }
        return values;
    }

    /// <summary>The first element of <paramref name="name"/> (of its first field, split at the first top-level comma for a list header), or null.</summary>
    public string? GetFirstValue(string name)
    {
        var canonical = HeaderNames.Canonical(name);
        var list = HeaderNames.IsListValued(canonical);
        var values = new List<string>(1);
        foreach (var f in _fields)
        {
            if (!string.Equals(f.Name, canonical, StringComparison.OrdinalIgnoreCase)) continue;
            if (!list) return f.Value;
            SplitList(f.Value, values, max: 1);
            if (values.Count > 0) return values[0];
        }
        return null;
    }

    /// <summary>Rises with every change, so parsed views of a header (<see cref="SipMessage.TopVia"/>...) can be cached.</summary>
    public int Version { get; private set; }

    public void Add(string name, string value)
    {
        _fields.Add(new SipHeader(HeaderNames.Canonical(name), value));
        Version++;
    }

    /// <summary>Adds a field before every other one (a proxy or UAC prepends its Via, §16.6 step 8).</summary>
    public void Prepend(string name, string value)
    {
        _fields.Insert(0, new SipHeader(HeaderNames.Canonical(name), value));
        Version++;
    }

    /// <summary>Replaces every field named <paramref name="name"/> by one with <paramref name="value"/>, at the first one's place.</summary>
    public void Set(string name, string value)
    {
        var canonical = HeaderNames.Canonical(name);
        var at = _fields.FindIndex(f => string.Equals(f.Name, canonical, StringComparison.OrdinalIgnoreCase));
        Remove(canonical);
        if (at < 0 || at > _fields.Count) _fields.Add(new SipHeader(canonical, value));
        else _fields.Insert(at, new SipHeader(canonical, value));
        Version++;
    }

    public int Remove(string name)
    {
        var canonical = HeaderNames.Canonical(name);
        Version++;
        return _fields.RemoveAll(f => string.Equals(f.Name, canonical, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Removes the first element of a list-valued header (the topmost Via or Route), splitting a combined line.</summary>
    public bool RemoveFirstValue(string name)
    {
        var canonical = HeaderNames.Canonical(name);
        var at = _fields.FindIndex(f => string.Equals(f.Name, canonical, StringComparison.OrdinalIgnoreCase));
        if (at < 0) return false;
        var parts = new List<string>();
        SplitList(_fields[at].Value, parts);
        _fields.RemoveAt(at);
        Version++;
        if (parts.Count > 1) _fields.Insert(at, new SipHeader(canonical, string.Join(", ", parts.Skip(1))));
        return true;
    }

    public SipHeaders Clone() => new(_fields);

    public IEnumerator<SipHeader> GetEnumerator() => _fields.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Splits <c>a, "b,c" &lt;sip:d,e&gt;, f</c> at the top-level commas (§7.3.1, §25.1 quoted-string).</summary>
    public static void SplitList(string value, List<string> into) => SplitList(value, into, int.MaxValue);

    private static void SplitList(string value, List<string> into, int max)
    {
        var limit = (long)into.Count + max;
        int depthAngle = 0, depthParen = 0, start = 0;
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (quoted)
            {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
                continue;
            }
            switch (c)
            {
                case '"': quoted = true; break;
                case '<': depthAngle++; break;
                case '>': if (depthAngle > 0) depthAngle--; break;
                case '(': depthParen++; break;
                case ')': if (depthParen > 0) depthParen--; break;
                case ',' when depthAngle == 0 && depthParen == 0:
                    AddTrimmed(value, start, i, into);
                    if (into.Count >= limit) return;
                    start = i + 1;
                    break;
            }
        }
        AddTrimmed(value, start, value.Length, into);
    }

    private static void AddTrimmed(string value, int start, int end, List<string> into)
    {
        var part = value.AsSpan(start, end - start).Trim();
        if (part.Length > 0) into.Add(part.Length == value.Length ? value : part.ToString());
    }
}
