using System.Globalization;
using Telephony.Intake.Classification;
using Telephony.Intake.Data;

namespace Telephony.Intake.Bench;

/// <summary>
/// train.csv dealt to the folds of <see cref="CrossValidation.AssignFolds"/>, with each message's category index,
/// so that every experiment mode scores on the same folds as <c>bench/intake/cv</c> and the figures compare.
/// </summary>
public sealed record CvFolds(IReadOnlyList<LabeledMessage> Train, int[] Fold, int Folds, string[] Categories, int[] Label)
{
    public int K => Categories.Length;

    public static CvFolds Load(string shared, int folds)
    {
        var train = MessageFile.Load(Path.Combine(shared, "data", "hotline-messages", "train.csv"));
        var categories = train.Select(m => m.Category).Distinct().Order(StringComparer.Ordinal).ToArray();
        return new CvFolds(train, CrossValidation.AssignFolds(train, folds), folds, categories,
            train.Select(m => Array.IndexOf(categories, m.Category)).ToArray());
    }

    /// <summary>"mean (sd)  folds a b c …" of per-fold accuracies: the sd says which differences are noise.</summary>
    public static string Summary(IReadOnlyList<double> perFold)
    {
        var mean = perFold.Average();
        var sd = Math.Sqrt(perFold.Sum(a => (a - mean) * (a - mean)) / Math.Max(1, perFold.Count - 1));
        return string.Create(CultureInfo.InvariantCulture, $"{mean:0.0000} ({sd:0.0000})  folds {string.Join(" ", perFold.Select(a => a.ToString("0.0000", CultureInfo.InvariantCulture)))}");
    }
}
