namespace Telephony.Speech.Recognition;

/// <summary>
/// Whisper's best-known hallucination on noise or clipped audio is a loop: the same character, word or
/// phrase over and over to the end of the window ("谢谢谢谢谢谢…", "我们我们我们…"). A unit of 2–
/// <see cref="MaxUnit"/> characters repeated more than <see cref="MaxRepeats"/> times in a row is kept once;
/// a single character needs more than <see cref="MaxSingleRepeats"/>. Real speech does repeat ("好好好",
/// "喂喂"), and a phone number can hold a run of one digit ("一三八八八八八…"), hence the allowances.
/// </summary>
public static class RepetitionGuard
{
    public const int MaxRepeats = 3;
    public const int MaxSingleRepeats = 6;
    public const int MaxUnit = 24;

    /// <summary>The text with every run longer than <see cref="MaxRepeats"/> collapsed to one occurrence.</summary>
    public static string Cut(string text, out bool cut)
    {
        cut = false;
        if (text.Length < MaxRepeats + 1) return text;
        var output = new System.Text.StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var (unit, repeats) = LongestRunAt(text, i);
            if (repeats > Allowed(unit))
            {
                output.Append(text, i, unit);
                i += unit * repeats;
                cut = true;
                continue;
            }
            output.Append(text[i]);
            i++;
        }
        return output.ToString();
    }

    private static int Allowed(int unit) => unit == 1 ? MaxSingleRepeats : MaxRepeats;

    /// <summary>The unit length (smallest first) and count of the longest run of a repeated unit starting at <paramref name="start"/>.</summary>
    private static (int Unit, int Repeats) LongestRunAt(string text, int start)
    {
        var bestUnit = 1;
        var bestRepeats = 1;
        for (var unit = 1; unit <= MaxUnit && start + unit * (MaxRepeats + 1) <= text.Length; unit++)
        {
            var span = text.AsSpan(start, unit);
            if (span.IsWhiteSpace()) continue;
            var repeats = 1;
            while (start + unit * (repeats + 1) <= text.Length && text.AsSpan(start + unit * repeats, unit).SequenceEqual(span)) repeats++;
            // Covering more characters wins; a shorter unit covering the same is the truer description.
            if (repeats > Allowed(unit) && unit * repeats > bestUnit * bestRepeats) (bestUnit, bestRepeats) = (unit, repeats);
        }
        return (bestUnit, bestRepeats);
    }
}
