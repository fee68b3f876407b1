using System.Text;

namespace Telephony.Intake.Classification;

/// <summary>
/// What the classifier sees of a message. Training and prediction go through the same function, so a
/// phone transcript (no subject line) and a web post are featurized alike.
/// </summary>
public static class TextPreparation
{
    /// <summary>Long posts add little after the first part and cost time per prediction; the median is ~215 characters.</summary>
    public const int MaxCharacters = 1000;

    /// <param name="titleRepeats">How many times the subject line is written before the body (training may
    /// weigh the citizen's own summary more; prediction writes it once).</param>
    public static string Compose(string? title, string? text, int titleRepeats = 1)
    {
        var t = title?.Trim() ?? "";
        var b = text?.Trim() ?? "";
        if (t.Length > 0 && titleRepeats > 1) t = string.Join("。", Enumerable.Repeat(t, titleRepeats));
        var joined = t.Length == 0 ? b : b.Length == 0 ? t : t + "。" + b;
        return Normalize(joined);
    }

    /// <summary>
    /// NFKC folds full-width Latin letters, digits and punctuation to their ASCII forms (ＡＢＣ１２３ → ABC123),
    /// so the same word is one n-gram however the citizen's input method typed it; Latin is lower-cased.
    /// </summary>
    public static string Normalize(string s)
    {
        if (s.Length > MaxCharacters) s = s[..MaxCharacters];
        var n = s.Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(n.Length);
        var lastSpace = false;
        foreach (var c in n)
        {
            if (char.IsWhiteSpace(c)) { if (!lastSpace && sb.Length > 0) sb.Append(' '); lastSpace = true; continue; }
            lastSpace = false;
            sb.Append(c is >= 'A' and <= 'Z' ? (char)(c + 32) : c);
        }
        return sb.ToString().TrimEnd();
    }
}
