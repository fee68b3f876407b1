namespace Telephony.Intake.Classification;

/// <summary>Per-thread buffers of <see cref="NgramFeatureSpace.Featurize"/>: a prediction allocates nothing once they have grown.</summary>
public sealed class FeatureScratch
{
    internal ulong[] Keys = new ulong[1024];
    public int[] Ids = new int[1024];
    public float[] Values = new float[1024];
    public int Count;
}

/// <summary>
/// The vocabulary of character n-grams kept for the model (seen in at least a few training messages: the
/// rest are mostly names and typos) and their inverse document frequencies. A message becomes a sparse
/// vector of sublinear TF-IDF values, (1 + ln tf) · idf, L2-normalised: a word said five times counts
/// more than once but not five times, and a long post weighs as much as a short one.
/// </summary>
public sealed class NgramFeatureSpace
{
    private readonly Dictionary<ulong, int> _ids;
    private readonly ulong[] _keys;
    private readonly float[] _idf;

    public int Count => _keys.Length;
    public ReadOnlySpan<ulong> Keys => _keys;
    public ReadOnlySpan<float> Idf => _idf;

    public NgramFeatureSpace(ulong[] keys, float[] idf)
    {
        if (keys.Length != idf.Length) throw new ArgumentException("one idf per key");
        _keys = keys;
        _idf = idf;
        _ids = new Dictionary<ulong, int>(keys.Length);
        for (var i = 0; i < keys.Length; i++) _ids.Add(keys[i], i);
    }

    /// <summary>Builds the vocabulary from prepared training texts: n-grams in at least <paramref name="minimumMessages"/> messages, smoothed idf ln((1 + N) / (1 + df)) + 1.</summary>
    public static NgramFeatureSpace Fit(IReadOnlyList<string> prepared, int minimumMessages)
    {
        var df = new Dictionary<ulong, int>();
        var seen = new HashSet<ulong>();
        var keys = new ulong[1024];
        foreach (var text in prepared)
        {
            seen.Clear();
            var n = CharNgrams.Extract(text, ref keys);
            for (var i = 0; i < n; i++)
                if (seen.Add(keys[i])) df[keys[i]] = df.GetValueOrDefault(keys[i]) + 1;
        }
        var kept = df.Where(kv => kv.Value >= minimumMessages).OrderBy(kv => kv.Key).ToArray();
        var total = prepared.Count;
        return new NgramFeatureSpace(
            kept.Select(kv => kv.Key).ToArray(),
            kept.Select(kv => (float)(Math.Log((1.0 + total) / (1.0 + kv.Value)) + 1)).ToArray());
    }

    /// <summary>Fills <paramref name="s"/> with the message's features, ids ascending. Unknown n-grams are skipped.</summary>
    public void Featurize(ReadOnlySpan<char> prepared, FeatureScratch s)
    {
        var n = CharNgrams.Extract(prepared, ref s.Keys);
        if (s.Ids.Length < n) { s.Ids = new int[s.Keys.Length]; s.Values = new float[s.Keys.Length]; }
        var m = 0;
        for (var i = 0; i < n; i++)
            if (_ids.TryGetValue(s.Keys[i], out var id)) s.Ids[m++] = id;
        var ids = s.Ids.AsSpan(0, m);
        ids.Sort();
        // Run-length over the sorted ids gives each n-gram's count.
        var count = 0;
        var norm = 0.0;
        for (var i = 0; i < m;)
        {
            var j = i + 1;
            while (j < m && ids[j] == ids[i]) j++;
            var v = (1 + MathF.Log(j - i)) * _idf[ids[i]];
            s.Ids[count] = ids[i];
            s.Values[count++] = v;
            norm += v * v;
            i = j;
        }
        if (norm > 0)
        {
            var scale = (float)(1 / Math.Sqrt(norm));
            for (var i = 0; i < count; i++) s.Values[i] *= scale;
        }
        s.Count = count;
    }
}
