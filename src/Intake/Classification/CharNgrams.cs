namespace Telephony.Intake.Classification;

/// <summary>
/// Character n-grams of prepared text (see <see cref="TextPreparation"/>), as 64-bit keys: up to three
/// UTF-16 characters of 16 bits each and the length in the top bits, so a lookup needs no string (a 4-gram,
/// 64 bits of characters, is hashed into the 48 low bits instead: <see cref="Text"/> cannot spell it). Chinese
/// has no spaces, so a run of letters and digits between punctuation is one segment and the n-grams
/// (lengths 1 to 3 by default, or 4; most Chinese words are one to four characters) stay inside it:
/// "漏水，物业" gives 漏 水 漏水 物 业 物业 but not 水物.
/// </summary>
public static class CharNgrams
{
    public const int DefaultMaxLength = 3;
    public const int LongestSupported = 4;

    /// <summary>Writes the keys of every n-gram (lengths 1 to <paramref name="maxLength"/>) of <paramref name="text"/> to <paramref name="keys"/> (grown when short); returns how many.</summary>
    public static int Extract(ReadOnlySpan<char> text, ref ulong[] keys, int maxLength = DefaultMaxLength)
    {
        if (maxLength is < 1 or > LongestSupported) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"n-grams of 1 to {LongestSupported} characters");
        var needed = text.Length * maxLength;
        if (keys.Length < needed) keys = new ulong[Math.Max(needed, keys.Length * 2)];
        var n = 0;
        var run = 0; // characters of the current segment seen so far
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsLetterOrDigit(c)) { run = 0; continue; }
            run++;
            ulong key = c;
            keys[n++] = key | (1UL << 48);
            if (run >= 2 && maxLength >= 2)
            {
                key = key << 16 | text[i - 1];
                keys[n++] = key | (2UL << 48);
            }
            if (run >= 3 && maxLength >= 3)
            {
                key = key << 16 | text[i - 2];
                keys[n++] = key | (3UL << 48);
            }
            if (run >= 4 && maxLength >= 4)
            {
                var all = key << 16 | text[i - 3];
                keys[n++] = Hash48(all) | (4UL << 48);
            }
        }
        return n;
    }

    /// <summary>The characters of a key, for model inspection and tests.</summary>
    public static string Text(ulong key)
    {
        var length = (int)(key >> 48);
        if (length == 4) return $"#{key & 0xFFFFFFFFFFFFUL:x12}";
        var chars = new char[length];
        for (var j = 0; j < length; j++) chars[j] = (char)(key >> (16 * j) & 0xFFFF); // the earliest character in the lowest bits
        return new string(chars);
    }

    /// <summary>A 4-gram's key: its 64 bits of characters mixed (splitmix64 finaliser) into 48 bits.</summary>
    internal static ulong Hash48(ulong x)
    {
        x ^= x >> 30; x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27; x *= 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return x & 0xFFFFFFFFFFFFUL;
    }

    /// <summary>The key of a 4-gram written out (tests, inspection).</summary>
    public static ulong FourGramKey(ReadOnlySpan<char> four)
    {
        if (four.Length != 4) throw new ArgumentException("four characters", nameof(four));
        ulong k = 0;
        for (var j = 0; j < 4; j++) k = k << 16 | four[3 - j];
        return Hash48(k) | (4UL << 48);
    }
}
