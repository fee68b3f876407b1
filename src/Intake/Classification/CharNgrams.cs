namespace Telephony.Intake.Classification;

/// <summary>
/// Character n-grams of prepared text (see <see cref="TextPreparation"/>), as 64-bit keys: up to three
/// UTF-16 characters of 16 bits each and the length in the top bits, so a lookup needs no string. Chinese
/// has no spaces, so a run of letters and digits between punctuation is one segment and the n-grams
/// (lengths 1 to <see cref="MaxLength"/>; most Chinese words are one to three characters) stay inside it:
/// "漏水，物业" gives 漏 水 漏水 物 业 物业 but not 水物.
/// </summary>
public static class CharNgrams
{
    public const int MaxLength = 3;

    /// <summary>Writes the keys of every n-gram of <paramref name="text"/> to <paramref name="keys"/> (grown when short); returns how many.</summary>
    public static int Extract(ReadOnlySpan<char> text, ref ulong[] keys)
    {
        var needed = text.Length * MaxLength;
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
            if (run >= 2)
            {
                key = key << 16 | text[i - 1];
                keys[n++] = key | (2UL << 48);
            }
            if (run >= 3)
            {
                key = key << 16 | text[i - 2];
                keys[n++] = key | (3UL << 48);
            }
        }
        return n;
    }

    /// <summary>The characters of a key, for model inspection and tests.</summary>
    public static string Text(ulong key)
    {
        var length = (int)(key >> 48);
        var chars = new char[length];
        for (var j = 0; j < length; j++) chars[j] = (char)(key >> (16 * j) & 0xFFFF); // the earliest character in the lowest bits
        return new string(chars);
    }
}
