namespace Telephony.Intake.Classification;

/// <summary>Per-thread buffers of <see cref="NgramFeatureSpace.Featurize"/>: a prediction allocates nothing once they have grown.</summary>
public sealed class FeatureScratch
{
    internal ulong[] Keys = new ulong[1024];
    public int[] Ids = new int[1024];
    public float[] Values = new float[1024];
    public int Count;
    // Per feature id: how often the current text has it, valid while its stamp is the current one (no clearing per text).
    internal (int Stamp, int Count)[] Terms = [];
    internal int Stamp;
}

/// <summary>
/// The vocabulary of character n-grams kept for the model (seen in at least a few training messages: the
/// rest are mostly names and typos) and their inverse document frequencies. A message becomes a sparse
/// vector of sublinear TF-IDF values, (1 + ln tf) · idf, L2-normalised: a word said five times counts
/// more than once but not five times, and a long post weighs as much as a short one.
/// </summary>
public sealed class NgramFeatureSpace
{
    private readonly ulong[] _keys;
    // Open addressing (linear probing, Fibonacci hashing) over a power-of-two table at most half full:
    // a probe costs a multiply and one or two array reads, a third of a Dictionary lookup on this path.
    // Key and id side by side: one cache line per n-gram looked up (the table is megabytes, and a
    // prediction's lookups are misses more often than not).
    private readonly (ulong Key, int Id)[] _slots;
    private readonly float[] _idf;

    /// <summary>1 + ln tf for the counts a message has (a logarithm per distinct n-gram was a tenth of a long post's time).</summary>
    private static readonly float[] SublinearTf = Enumerable.Range(0, 64).Select(c => c == 0 ? 0f : 1 + MathF.Log(c)).ToArray();

    public int Count => _keys.Length;
    /// <summary>The longest n-gram, in characters (3 or 4).</summary>
    public int MaxLength { get; }
    /// <summary>Word features beside the n-grams (an experiment, cross-validation only: not in the model file yet), or null.</summary>
    public WordSegmenter? Words { get; init; }
    /// <summary>When above 0, the n-grams of the text's first this many characters count a second time, in their own key
    /// namespace (length + <see cref="LeadNamespace"/>): the opening (the subject line, or a transcript's first words) may say
    /// more than the rest. An experiment, cross-validation only (docs/intake.md: within noise): not in the model file.</summary>
    public int LeadCharacters { get; init; }
    public ReadOnlySpan<ulong> Keys => _keys;
    public ReadOnlySpan<float> Idf => _idf;

    public NgramFeatureSpace(ulong[] keys, float[] idf, int maxLength = CharNgrams.DefaultMaxLength)
    {
        if (keys.Length != idf.Length) throw new ArgumentException("one idf per key");
        if (maxLength is < 1 or > CharNgrams.LongestSupported) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"n-grams of 1 to {CharNgrams.LongestSupported} characters");
        MaxLength = maxLength;
        _keys = keys;
        _idf = idf;
        var size = 16;
        while (size < keys.Length * 2) size <<= 1;
        _slots = new (ulong, int)[size];
        _slots.AsSpan().Fill((0, -1));
        for (var i = 0; i < keys.Length; i++)
        {
            var slot = Slot(keys[i]);
            while (_slots[slot].Id >= 0)
            {
                if (_slots[slot].Key == keys[i]) throw new ArgumentException($"n-gram key {keys[i]:x} given twice");
                slot = (slot + 1) & (size - 1);
            }
            _slots[slot] = (keys[i], i);
        }
    }

    private int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> 32) & (_slots.Length - 1);

    /// <summary>The feature id of an n-gram key, or −1 when it is not in the vocabulary.</summary>
    public int IdOf(ulong key)
    {
        var mask = _slots.Length - 1;
        for (var slot = Slot(key); ; slot = (slot + 1) & mask)
        {
            ref var s = ref _slots[slot];
            if (s.Id < 0 || s.Key == key) return s.Id;
        }
    }

    /// <summary>Builds the vocabulary from prepared training texts: n-grams in at least <paramref name="minimumMessages"/> messages, smoothed idf ln((1 + N) / (1 + df)) + 1.</summary>
    public static NgramFeatureSpace Fit(IReadOnlyList<string> prepared, int minimumMessages, int maxLength = CharNgrams.DefaultMaxLength, WordSegmenter? words = null, int leadCharacters = 0)
    {
        var df = new Dictionary<ulong, int>();
        var seen = new HashSet<ulong>();
        var keys = new ulong[1024];
        foreach (var text in prepared)
        {
            seen.Clear();
            var n = CharNgrams.Extract(text, ref keys, maxLength);
            if (words is not null) n = words.AppendWordKeys(text, ref keys, n);
            n = AppendLead(text, ref keys, n, maxLength, leadCharacters);
            for (var i = 0; i < n; i++)
                if (seen.Add(keys[i])) df[keys[i]] = df.GetValueOrDefault(keys[i]) + 1;
        }
        var kept = df.Where(kv => kv.Value >= minimumMessages).OrderBy(kv => kv.Key).ToArray();
        var total = prepared.Count;
        return new NgramFeatureSpace(
            kept.Select(kv => kv.Key).ToArray(),
            kept.Select(kv => (float)(Math.Log((1.0 + total) / (1.0 + kv.Value)) + 1)).ToArray(), maxLength) { Words = words, LeadCharacters = leadCharacters };
    }

    /// <summary>
    /// Appends the n-grams of the first <paramref name="lead"/> characters again, in the lead namespace (length + 16).
    /// <see cref="CharNgrams.Extract"/> emits keys left to right, so they are the first keys already written:
    /// counted here and copied, with no second extraction and no allocation.
    /// </summary>
    private static int AppendLead(ReadOnlySpan<char> text, ref ulong[] keys, int n, int maxLength, int lead)
    {
        if (lead <= 0) return n;
        var m = 0;
        var run = 0;
        for (var i = 0; i < Math.Min(lead, text.Length); i++)
        {
            if (!char.IsLetterOrDigit(text[i])) { run = 0; continue; }
            run++;
            m += Math.Min(run, maxLength);
        }
        if (keys.Length < n + m) Array.Resize(ref keys, Math.Max(n + m, keys.Length * 2));
        for (var i = 0; i < m; i++) keys[n + i] = (keys[i] & 0xFFFFFFFFFFFFUL) | ((keys[i] >> 48) + LeadNamespace) << 48;
        return n + m;
    }

    /// <summary>Added to the length in a lead n-gram's top bits (words use + 8: <see cref="WordSegmenter"/>).</summary>
    public const ulong LeadNamespace = 16;

    /// <summary>
    /// Fills <paramref name="s"/> with the message's features. Unknown n-grams are skipped. Ids come in order of
    /// first appearance (the dot products do not care), ascending when <paramref name="sortIds"/> (ML.NET's
    /// sparse vectors need that for training).
    /// </summary>
    public void Featurize(ReadOnlySpan<char> prepared, FeatureScratch s, bool sortIds = false)
    {
        var n = CharNgrams.Extract(prepared, ref s.Keys, MaxLength);
        if (Words is not null) n = Words.AppendWordKeys(prepared, ref s.Keys, n);
        n = AppendLead(prepared, ref s.Keys, n, MaxLength, LeadCharacters);
        if (s.Ids.Length < n) { s.Ids = new int[s.Keys.Length]; s.Values = new float[s.Keys.Length]; }
        if (s.Terms.Length < _keys.Length) { s.Terms = new (int, int)[_keys.Length]; s.Stamp = 0; }
        if (++s.Stamp == int.MaxValue) { Array.Clear(s.Terms); s.Stamp = 1; }
        var terms = s.Terms;
        // Counting through a per-id array is linear in the text; sorting every n-gram to run-length them was not.
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            var id = IdOf(s.Keys[i]);
            if (id < 0) continue;
            ref var t = ref terms[id];
            if (t.Stamp != s.Stamp) { t = (s.Stamp, 1); s.Ids[count++] = id; }
            else t.Count++;
        }
        if (sortIds) s.Ids.AsSpan(0, count).Sort();
        var norm = 0.0;
        for (var i = 0; i < count; i++)
        {
            var id = s.Ids[i];
            var c = terms[id].Count;
            var v = (c < SublinearTf.Length ? SublinearTf[c] : 1 + MathF.Log(c)) * _idf[id];
            s.Values[i] = v;
            norm += v * v;
        }
        if (norm > 0)
        {
            var scale = (float)(1 / Math.Sqrt(norm));
            for (var i = 0; i < count; i++) s.Values[i] *= scale;
        }
        s.Count = count;
    }
}
