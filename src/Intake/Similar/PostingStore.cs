using System.Runtime.InteropServices;

namespace Telephony.Intake.Similar;

/// <summary>An order holding a bigram, with its 1 + ln tf (so a query takes no logarithm per posting).</summary>
internal readonly record struct Posting(int Doc, float LogTf);

/// <summary>
/// The inverted index of <see cref="SimilarCaseIndex"/>, laid out for a query's memory reads. A search over
/// 1,000 orders touches about 240 bigrams and 6,000 postings; with a list object and two arrays per bigram
/// (100,000 of them) it spent its time on cache misses, not arithmetic. So most postings sit in one frozen
/// array, bigram after bigram, found through one open-addressing table whose slot holds the key, the start
/// and the count (one cache line per bigram, then a sequential run). Orders added since the last freeze sit
/// in a small per-bigram delta, merged into the frozen part when it outgrows an eighth of it (amortised
/// linear). A bigram's document frequency is its posting count: an order adds one posting per distinct bigram.
/// Not thread-safe: <see cref="SimilarCaseIndex"/> locks around it.
/// </summary>
internal sealed class PostingStore
{
    private struct Slot { public ulong Key; public int Start; public int Count; }

    private Slot[] _slots = new Slot[16];
    private Posting[] _frozen = [];
    private int _frozenCount;
    private readonly Dictionary<ulong, List<Posting>> _delta = new();
    private int _deltaPostings;

    /// <summary>How many orders hold the bigram.</summary>
    public int DocumentFrequency(ulong key)
    {
        var df = 0;
        var slot = Find(key);
        if (slot >= 0) df = _slots[slot].Count;
        if (_delta.Count > 0 && _delta.TryGetValue(key, out var list)) df += list.Count;
        return df;
    }

    public void Add(ulong key, Posting posting)
    {
        ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(_delta, key, out _);
        (list ??= new List<Posting>(1)).Add(posting);
        _deltaPostings++;
    }

    /// <summary>Merges the delta into the frozen array when it has grown past an eighth of it (or always, when <paramref name="force"/>).</summary>
    public void MaybeFreeze(bool force = false)
    {
        if (_deltaPostings == 0 || (!force && _deltaPostings < Math.Max(4096, _frozenCount / 8))) return;
        // Every bigram, frozen or new, with its postings: old frozen run first (lower order numbers), then the delta.
        var terms = new List<(ulong Key, int Start, int Count, List<Posting>? Delta)>(_delta.Count + 1024);
        foreach (var s in _slots)
            if (s.Count > 0) terms.Add((s.Key, s.Start, s.Count, _delta.GetValueOrDefault(s.Key)));
        foreach (var (key, list) in _delta)
            if (Find(key) < 0) terms.Add((key, 0, 0, list));
        var postings = new Posting[_frozenCount + _deltaPostings];
        var size = 16;
        while (size < terms.Count * 2) size <<= 1;
        var slots = new Slot[size];
        var at = 0;
        foreach (var (key, start, count, delta) in terms)
        {
            var begin = at;
            Array.Copy(_frozen, start, postings, at, count);
            at += count;
            if (delta is not null) { CollectionsMarshal.AsSpan(delta).CopyTo(postings.AsSpan(at)); at += delta.Count; }
            var slot = Hash(key, size - 1);
            while (slots[slot].Count > 0) slot = (slot + 1) & (size - 1);
            slots[slot] = new Slot { Key = key, Start = begin, Count = at - begin };
        }
        _slots = slots;
        _frozen = postings;
        _frozenCount = at;
        _delta.Clear();
        _deltaPostings = 0;
    }

    /// <summary>The postings of a bigram: the frozen run, and those added since the last freeze (often none).</summary>
    public (ReadOnlyMemory<Posting> Frozen, List<Posting>? Delta) Postings(ulong key)
    {
        var slot = Find(key);
        var frozen = slot >= 0 ? new ReadOnlyMemory<Posting>(_frozen, _slots[slot].Start, _slots[slot].Count) : ReadOnlyMemory<Posting>.Empty;
        return (frozen, _delta.Count > 0 ? _delta.GetValueOrDefault(key) : null);
    }

    private int Find(ulong key)
    {
        var mask = _slots.Length - 1;
        for (var slot = Hash(key, mask); ; slot = (slot + 1) & mask)
        {
            ref var s = ref _slots[slot];
            if (s.Count == 0) return -1;
            if (s.Key == key) return slot;
        }
    }

    private static int Hash(ulong key, int mask) => (int)((key * 0x9E3779B97F4A7C15UL) >> 32) & mask; // Fibonacci hashing: bigram keys are far from uniform
}
