namespace Telephony.Intake.Similar;

/// <summary>
/// Per-thread buffers of <see cref="SimilarCaseIndex"/>: the distinct bigrams of a text with their counts,
/// the score accumulators (one per order) and the orders a query touched. A search allocates only its result.
/// </summary>
internal sealed class SimilarScratch
{
    public ulong[] Keys = new ulong[512];
    public int[] Counts = new int[512];
    public float[] Dots = [];
    public int[] Touched = [];
    private (int Doc, double Score)[] _best = new (int, double)[8];

    // Open addressing over a power-of-two table; a slot belongs to this text when its stamp is the current one,
    // so the table never needs clearing between texts.
    private ulong[] _slotKey = new ulong[1024];
    private int[] _slotStamp = new int[1024];
    private int[] _slotIndex = new int[1024];
    private int _stamp;

    public void EnsureDocuments(int n)
    {
        if (Dots.Length >= n) return;
        var size = Math.Max(n, Dots.Length * 2);
        var dots = new float[size]; // fresh accumulators are zero; old ones were left zero by the last query
        Dots = dots;
        Touched = new int[size + 1]; // one spare: the branch-free loop writes a slot ahead
    }

    public (int Doc, double Score)[] Best(int top)
    {
        if (_best.Length < top) _best = new (int, double)[top];
        return _best;
    }

    /// <summary>Starts a new text of at most <paramref name="bigrams"/> bigrams.</summary>
    public void Begin(int bigrams)
    {
        if (Keys.Length < bigrams) { Keys = new ulong[bigrams]; Counts = new int[bigrams]; }
        var needed = 1;
        while (needed < bigrams * 2) needed <<= 1;
        if (_slotKey.Length < needed) { _slotKey = new ulong[needed]; _slotStamp = new int[needed]; _slotIndex = new int[needed]; _stamp = 0; }
        if (++_stamp == int.MaxValue) { Array.Clear(_slotStamp); _stamp = 1; }
    }

    /// <summary>Counts one occurrence of <paramref name="key"/>; <paramref name="unique"/> grows when it is new.</summary>
    public void Add(ulong key, ref int unique)
    {
        var mask = _slotKey.Length - 1;
        var slot = (int)((key * 0x9E3779B97F4A7C15UL) >> 40) & mask; // Fibonacci hashing: bigram keys are far from uniform
        while (_slotStamp[slot] == _stamp)
        {
            if (_slotKey[slot] == key) { Counts[_slotIndex[slot]]++; return; }
            slot = (slot + 1) & mask;
        }
        _slotStamp[slot] = _stamp;
        _slotKey[slot] = key;
        _slotIndex[slot] = unique;
        Keys[unique] = key;
        Counts[unique++] = 1;
    }
}

/// <summary>Character bigrams of the letters, digits and CJK ideographs of a text (case folded), with counts.</summary>
internal static class CaseBigrams
{
    /// <summary>Fills <see cref="SimilarScratch.Keys"/> and <see cref="SimilarScratch.Counts"/> in order of first appearance; returns how many distinct bigrams.</summary>
    public static int Count(string text, SimilarScratch s)
    {
        s.Begin(text.Length);
        var unique = 0;
        var prev = '\0';
        foreach (var raw in text)
        {
            var c = char.ToLowerInvariant(raw);
            if (!char.IsLetterOrDigit(c)) continue;
            if (prev != '\0') s.Add(((ulong)prev << 16) | c, ref unique);
            prev = c;
        }
        return unique;
    }
}
