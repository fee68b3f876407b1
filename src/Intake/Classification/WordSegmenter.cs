namespace Telephony.Intake.Classification;

/// <summary>
/// A word segmenter of our own, learned from the training texts alone: a 2–4-character string inside a run of
/// letters and digits is a word when it is frequent (in at least <c>minCount</c> places) and cohesive, its
/// pointwise mutual information ln(c(w)·N / (c(a)·c(b))) at least <c>minPmi</c> at every split into a + b
/// (a string whose halves are common on their own, such as 的问, is not a word). Segmentation is forward
/// maximum matching: at each position the longest known word, else one character. Word features are keys in
/// their own namespace (length + 8 in the top bits), so 物业 the word is not 物业 the bigram.
/// </summary>
public sealed class WordSegmenter
{
    public const int MaxWordLength = 4;
    private readonly HashSet<ulong> _words;

    public WordSegmenter(IEnumerable<ulong> wordKeys) => _words = [.. wordKeys];

    public int Count => _words.Count;
    public IEnumerable<ulong> WordKeys => _words;

    /// <summary>The key of a string of 1 to 4 characters (as <see cref="CharNgrams"/> spells it: 4 characters hashed).</summary>
    public static ulong Key(ReadOnlySpan<char> s)
    {
        if (s.Length == 4) return CharNgrams.FourGramKey(s);
        ulong k = 0;
        for (var j = s.Length - 1; j >= 0; j--) k = k << 16 | s[j];
        return k | ((ulong)s.Length << 48);
    }

    public static WordSegmenter Learn(IReadOnlyList<string> prepared, int minCount = 5, double minPmi = 3.0)
    {
        var counts = new Dictionary<ulong, int>();
        long chars = 0;
        foreach (var text in prepared)
            foreach (var (start, length) in Runs(text))
            {
                chars += length;
                for (var i = start; i < start + length; i++)
                    for (var n = 1; n <= MaxWordLength && i + n <= start + length; n++)
                    {
                        var key = Key(text.AsSpan(i, n));
                        counts[key] = counts.GetValueOrDefault(key) + 1;
                    }
            }
        var words = new List<ulong>();
        var seen = new HashSet<ulong>();
        foreach (var text in prepared)
            foreach (var (start, length) in Runs(text))
                for (var i = start; i < start + length; i++)
                    for (var n = 2; n <= MaxWordLength && i + n <= start + length; n++)
                    {
                        var s = text.AsSpan(i, n);
                        var key = Key(s);
                        if (!seen.Add(key)) continue;
                        var c = counts[key];
                        if (c < minCount) continue;
                        var cohesive = true;
                        for (var split = 1; split < n && cohesive; split++)
                        {
                            var pmi = Math.Log(c * (double)chars / ((double)counts[Key(s[..split])] * counts[Key(s[split..])]));
                            cohesive = pmi >= minPmi;
                        }
                        if (cohesive) words.Add(key);
                    }
        return new WordSegmenter(words);
    }

    /// <summary>The words of a prepared text by forward maximum matching (single characters included).</summary>
    public List<string> Segment(string prepared)
    {
        var result = new List<string>();
        foreach (var (start, length) in Runs(prepared))
            for (var i = start; i < start + length;)
            {
                var n = Longest(prepared.AsSpan(i, Math.Min(MaxWordLength, start + length - i)));
                result.Add(prepared.Substring(i, n));
                i += n;
            }
        return result;
    }

    /// <summary>Appends the keys of the text's words of 2 or more characters (namespace: length + 8) to <paramref name="keys"/> from <paramref name="n"/>; returns the new count.</summary>
    public int AppendWordKeys(ReadOnlySpan<char> text, ref ulong[] keys, int n)
    {
        if (keys.Length < n + text.Length) Array.Resize(ref keys, Math.Max(n + text.Length, keys.Length * 2));
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetterOrDigit(text[i])) { i++; continue; }
            var end = i;
            while (end < text.Length && end - i < MaxWordLength && char.IsLetterOrDigit(text[end])) end++;
            var len = Longest(text[i..end]);
            if (len >= 2) keys[n++] = (Key(text.Slice(i, len)) & 0xFFFFFFFFFFFFUL) | ((ulong)(len + 8) << 48);
            i += len;
        }
        return n;
    }

    private int Longest(ReadOnlySpan<char> window)
    {
        for (var n = window.Length; n >= 2; n--)
            if (_words.Contains(Key(window[..n]))) return n;
        return 1;
    }

    private static IEnumerable<(int Start, int Length)> Runs(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inRun = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inRun && start < 0) start = i;
            else if (!inRun && start >= 0) { yield return (start, i - start); start = -1; }
        }
    }
}
