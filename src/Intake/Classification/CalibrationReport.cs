using System.Globalization;
using System.Text;

namespace Telephony.Intake.Classification;

/// <summary>One confidence bin of a reliability table: the messages whose top probability fell in [Lower, Upper).</summary>
public sealed record ReliabilityBin(double Lower, double Upper, int Count, double MeanConfidence, double Accuracy);

/// <summary>
/// How far the probabilities the agent sees can be taken at their word: the log-loss (mean negative
/// log-likelihood of the label, which punishes a confident error hardest), the expected calibration error
/// (ECE: the top probability against the accuracy in 10 equal-width bins, weighted by their share of the
/// messages; Naeini et al. 2015, Guo et al. 2017) and the reliability table itself.
/// </summary>
public sealed class CalibrationReport
{
    public const int BinCount = 10;

    /// <summary>A label probability below this counts as this: one impossible answer must not make the log-loss infinite.</summary>
    public const double ProbabilityFloor = 1e-6;

    public int Count { get; }
    public double Accuracy { get; }
    public double LogLoss { get; }
    public double ExpectedCalibrationError { get; }
    public IReadOnlyList<ReliabilityBin> Bins { get; }

    /// <param name="probabilities">Row-major, <paramref name="categories"/> per row.</param>
    /// <param name="labels">Each row's category index.</param>
    public CalibrationReport(ReadOnlySpan<float> probabilities, IReadOnlyList<int> labels, int categories)
    {
        if (probabilities.Length != labels.Count * categories) throw new ArgumentException($"{probabilities.Length} probabilities for {labels.Count} rows of {categories}", nameof(probabilities));
        var count = new int[BinCount];
        var confidence = new double[BinCount];
        var right = new int[BinCount];
        var loss = 0.0;
        for (var i = 0; i < labels.Count; i++)
        {
            var row = probabilities.Slice(i * categories, categories);
            var best = 0;
            for (var c = 1; c < categories; c++) if (row[c] > row[best]) best = c;
            var bin = Math.Min(BinCount - 1, (int)(row[best] * BinCount));
            count[bin]++;
            confidence[bin] += row[best];
            if (best == labels[i]) right[bin]++;
            loss -= Math.Log(Math.Max(row[labels[i]], ProbabilityFloor));
        }
        Count = labels.Count;
        Accuracy = Count == 0 ? 0 : right.Sum() / (double)Count;
        LogLoss = Count == 0 ? 0 : loss / Count;
        Bins = Enumerable.Range(0, BinCount).Select(b => new ReliabilityBin(b / (double)BinCount, (b + 1) / (double)BinCount, count[b],
            count[b] == 0 ? 0 : confidence[b] / count[b], count[b] == 0 ? 0 : right[b] / (double)count[b])).ToList();
        ExpectedCalibrationError = Count == 0 ? 0 : Bins.Sum(b => b.Count * Math.Abs(b.MeanConfidence - b.Accuracy)) / Count;
    }

    /// <summary>The classifier's probabilities on labelled texts (as <see cref="Evaluation.View"/> gives them).</summary>
    public static CalibrationReport Of(CategoryClassifier classifier, IReadOnlyList<(string Text, string Category)> rows)
    {
        var k = classifier.Categories.Count;
        var p = new float[rows.Count * k];
        var labels = new int[rows.Count];
        var index = classifier.Categories.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        for (var i = 0; i < rows.Count; i++)
        {
            classifier.Model.Probabilities(rows[i].Text, p.AsSpan(i * k, k));
            if (!index.TryGetValue(rows[i].Category, out labels[i])) throw new InvalidDataException($"category '{rows[i].Category}' is not one the model knows ({string.Join(", ", classifier.Categories)})");
        }
        return new CalibrationReport(p, labels, k);
    }

    /// <summary>"log-loss, ECE" and the reliability table (bins with no message left out).</summary>
    public string Format()
    {
        var inv = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        b.AppendLine(string.Create(inv, $"log-loss: {LogLoss:0.0000}, ECE ({BinCount} bins): {ExpectedCalibrationError:0.0000}"));
        b.AppendLine("top probability   messages  mean top probability  accuracy");
        foreach (var bin in Bins.Where(x => x.Count > 0))
            b.AppendLine(string.Create(inv, $"{bin.Lower:0.0}–{bin.Upper:0.0}         {bin.Count,8}  {bin.MeanConfidence,20:0.000}  {bin.Accuracy,8:0.000}"));
        return b.ToString();
    }
}
