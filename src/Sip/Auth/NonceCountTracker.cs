// RFC 2617 §3.2.2 and RFC 7616 §3.4 (nc: "the server can detect request replays by maintaining its own copy of
// this count"): remembers the highest nonce-count accepted per nonce, in bounded memory.
namespace Telephony.Sip.Auth;

/// <summary>Thread-safe. Entries are only added after a successful verification, so strangers cannot fill it.</summary>
internal sealed class NonceCountTracker(int capacity)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
                return _entries.Count;
        }
    }

    /// <summary>
    /// Records <paramref name="count"/> for the nonce if it is above the last one seen; false for a replay.
    /// </summary>
    public bool TryAdvance(string nonce, uint count, DateTimeOffset expires, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(nonce, out var entry))
            {
                if (count <= entry.Count)
                    return false;
                _entries[nonce] = entry with { Count = count };
                return true;
            }
            if (_entries.Count >= capacity)
                MakeRoom(now);
            _entries[nonce] = new Entry(count, expires);
            return true;
        }
    }

    private void MakeRoom(DateTimeOffset now)
    {
        // An expired nonce is answered Stale before its count is looked at, so forgetting it loses nothing.
        foreach (var (nonce, entry) in _entries)
        {
            if (entry.Expires <= now)
                _entries.Remove(nonce);
        }
        if (_entries.Count < capacity)
            return;
        // Still full of live nonces: forget the one closest to expiry. Its replay window is the shortest left.
        var oldest = _entries.MinBy(e => e.Value.Expires).Key;
        _entries.Remove(oldest);
    }

    private readonly record struct Entry(uint Count, DateTimeOffset Expires);
}
