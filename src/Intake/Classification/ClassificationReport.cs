using System.Globalization;
using System.Text;

namespace Telephony.Intake.Classification;

/// <summary>Per-class precision, recall, F1 and support.</summary>
public sealed record ClassMetrics(string Category, double Precision, double Recall, double F1, int Support);

/// <summary>
/// Accuracy, macro-F1 (the unweighted mean of per-class F1, so the small classes count as much as the
/// large ones), per-class figures and the confusion matrix, computed from (truth, prediction) pairs.
/// </summary>
public sealed class ClassificationReport
{
    public IReadOnlyList<string> Categories { get; }
    /// <summary>Confusion[truth, predicted], in <see cref="Categories"/> order.</summary>
    public int[,] Confusion { get; }
    public int Count { get; }
    public double Accuracy { get; }
    public double MacroF1 { get; }
    public IReadOnlyList<ClassMetrics> PerClass { get; }

    public ClassificationReport(IEnumerable<(string Truth, string Predicted)> pairs, IEnumerable<string>? categories = null)
    {
        var list = pairs.ToList();
        var cats = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var c in categories ?? []) cats.Add(c);
        foreach (var (t, p) in list) { cats.Add(t); cats.Add(p); }
        Categories = cats.ToList();
        var index = Categories.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        Confusion = new int[Categories.Count, Categories.Count];
        var correct = 0;
        foreach (var (t, p) in list)
        {
            Confusion[index[t], index[p]]++;
            if (t == p) correct++;
        }
        Count = list.Count;
        Accuracy = Count == 0 ? 0 : (double)correct / Count;
        var per = new List<ClassMetrics>();
        for (var i = 0; i < Categories.Count; i++)
        {
            int tp = Confusion[i, i], predicted = 0, actual = 0;
            for (var j = 0; j < Categories.Count; j++) { predicted += Confusion[j, i]; actual += Confusion[i, j]; }
            if (actual == 0) continue; // a label never true in this set has no recall: leave it out of the macro mean
            var precision = predicted == 0 ? 0 : (double)tp / predicted;
            var recall = (double)tp / actual;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            per.Add(new ClassMetrics(Categories[i], precision, recall, f1, actual));
        }
        PerClass = per;
        MacroF1 = per.Count == 0 ? 0 : per.Average(m => m.F1);
    }

    public string Format()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"messages: {Count}");
        sb.AppendLine(inv, $"accuracy: {Accuracy:0.0000}");
        sb.AppendLine(inv, $"macro-F1: {MacroF1:0.0000}");
        sb.AppendLine();
        sb.AppendLine("category        precision  recall     F1  support");
        foreach (var m in PerClass)
            sb.AppendLine(inv, $"{Pad(m.Category, 14)}  {m.Precision,9:0.0000}  {m.Recall,6:0.0000}  {m.F1,5:0.0000}  {m.Support,7}");
        sb.AppendLine();
        sb.AppendLine("confusion matrix (rows: true category, columns: predicted, in the order of the rows)");
        for (var i = 0; i < Categories.Count; i++)
        {
            sb.Append(inv, $"{i + 1,2} {Pad(Categories[i], 14)}");
            for (var j = 0; j < Categories.Count; j++) sb.Append(inv, $" {Confusion[i, j],5}");
            sb.AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>Pads to a display width, counting a CJK character as two columns.</summary>
    private static string Pad(string s, int width)
    {
        var w = s.Sum(c => c > 0x2E80 ? 2 : 1);
        return w >= width ? s : s + new string(' ', width - w);
    }
}
