using Telephony.Intake.Classification;
using Telephony.Intake.Data;

namespace Telephony.Intake.Bench;

/// <summary>
/// bench/intake/cv FOLDS clean: is label noise in train.csv worth removing? Within each outer fold's training
/// part, an inner 5-fold run of the intake-4 pair finds the messages it gets confidently wrong (the predicted
/// category's probability at least τ above the label's); the pair is retrained without them and scored on the
/// outer held-out fold, beside the pair trained on everything. Nested, so no held-out message informs its own
/// training set.
/// </summary>
public static class CleanMode
{
    private static readonly double[] Margins = [0.99, 0.9, 0.5];

    public static int Run(string shared, int folds)
    {
        var cv = CvFolds.Load(shared, folds);
        var (train, fold, categories, k) = (cv.Train, cv.Fold, cv.Categories, cv.K);
        var acc = new List<double>[Margins.Length + 1];
        for (var i = 0; i < acc.Length; i++) acc[i] = [];
        var removed = Margins.Select(_ => new List<int>()).ToArray();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var f = 0; f < folds; f++)
        {
            var part = train.Where((_, i) => fold[i] != f).ToList();
            var held = train.Where((_, i) => fold[i] == f).ToList();
            var inner = CrossValidation.AssignFolds(part, 5);
            var oof = new float[part.Count * k];
            for (var g = 0; g < 5; g++)
            {
                var idx = Enumerable.Range(0, part.Count).Where(i => inner[i] == g).ToArray();
                var p = Probabilities(part.Where((_, i) => inner[i] != g).ToList(), idx.Select(i => part[i]).ToList(), categories);
                for (var j = 0; j < idx.Length; j++) p.AsSpan(j * k, k).CopyTo(oof.AsSpan(idx[j] * k, k));
            }
            acc[0].Add(Accuracy(Probabilities(part, held, categories), held, categories));
            for (var t = 0; t < Margins.Length; t++)
            {
                var keep = new List<LabeledMessage>();
                for (var i = 0; i < part.Count; i++)
                {
                    var p = oof.AsSpan(i * k, k);
                    var label = Array.IndexOf(categories, part[i].Category);
                    var best = 0;
                    for (var c = 1; c < k; c++) if (p[c] > p[best]) best = c;
                    if (best != label && p[best] - p[label] >= Margins[t]) continue;
                    keep.Add(part[i]);
                }
                removed[t].Add(part.Count - keep.Count);
                acc[t + 1].Add(Accuracy(Probabilities(keep, held, categories), held, categories));
            }
            Console.Error.WriteLine($"fold {f + 1}/{folds}, {watch.Elapsed.TotalSeconds:0} s");
        }
        Console.WriteLine($"{folds}-fold CV on train.csv, nested 5-fold cleaning ({watch.Elapsed.TotalSeconds:0} s, load {File.ReadAllText("/proc/loadavg")[..14]})");
        Print("pair on all messages", acc[0]);
        for (var t = 0; t < Margins.Length; t++)
            Print($"without confident errors, τ = {Margins[t]} (removed {removed[t].Average():0} per fold)", acc[t + 1]);
        return 0;
    }

    private static void Print(string name, List<double> acc) => Console.WriteLine($"  {name,-55} {CvFolds.Summary(acc)}");

    /// <summary>The intake-4 pair (our SVM, plain and NB-scaled) trained on <paramref name="data"/>, its averaged probabilities on <paramref name="scored"/>.</summary>
    private static float[] Probabilities(IReadOnlyList<LabeledMessage> data, IReadOnlyList<LabeledMessage> scored, string[] categories)
    {
        var set = ClassifierTrainer.Featurize(data);
        if (!set.Categories.SequenceEqual(categories)) throw new InvalidOperationException("a category is missing");
        var k = categories.Length;
        var model = new LinearCategoryModel(set.Categories, set.Space,
            [DualCoordinateSvm.Train(set.Examples, k, set.Space.Count, nbScale: false), DualCoordinateSvm.Train(set.Examples, k, set.Space.Count, nbScale: true)]);
        var p = new float[scored.Count * k];
        for (var i = 0; i < scored.Count; i++) model.Probabilities(TextPreparation.Compose(scored[i].Title, scored[i].Text), p.AsSpan(i * k, k));
        return p;
    }

    private static double Accuracy(float[] p, IReadOnlyList<LabeledMessage> held, string[] categories)
    {
        var k = categories.Length;
        var right = 0;
        for (var i = 0; i < held.Count; i++)
        {
            var best = 0;
            for (var c = 1; c < k; c++) if (p[i * k + c] > p[i * k + best]) best = c;
            if (categories[best] == held[i].Category) right++;
        }
        return right / (double)held.Count;
    }
}
