using Microsoft.ML;
using Telephony.Intake.Data;

namespace Telephony.Intake.Classification;

/// <summary>An ensemble to score: heads (trainers) and the weight of each head's probabilities.</summary>
public sealed record CvCombination(string Name, IReadOnlyList<TrainerKind> Heads, IReadOnlyList<float> Weights);

/// <summary>Per-fold accuracy and macro-F1 of one training text × combination; the means decide.</summary>
public sealed record CvResult(TrainingText Text, string Combination, IReadOnlyList<double> Accuracy, IReadOnlyList<double> MacroF1)
{
    public double MeanAccuracy => Accuracy.Average();
    public double MeanMacroF1 => MacroF1.Average();
    public double StdAccuracy => Math.Sqrt(Accuracy.Select(a => (a - MeanAccuracy) * (a - MeanAccuracy)).Sum() / Math.Max(1, Accuracy.Count - 1));
}

/// <summary>
/// Stratified k-fold cross-validation on the training file, so that choices (title weight, ensemble heads and
/// weights) are made without looking at dev.csv: dev is then scored once per final candidate. Each fold fits
/// its own vocabulary and idf on its training part, trains every head needed once, and scores every
/// combination from the same per-head probabilities (a weight grid costs no training).
/// </summary>
public static class CrossValidation
{
    /// <param name="trainHead">Trains a head instead of <see cref="LinearTrainers.Train"/> when it returns one (a settings grid); null = the defaults.</param>
    public static IReadOnlyList<CvResult> Run(
        IReadOnlyList<LabeledMessage> messages, int folds, IReadOnlyList<TrainingText> texts,
        IReadOnlyList<CvCombination> combinations, Action<string>? log = null, int seed = 1,
        Func<TrainerKind, IReadOnlyList<SparseExample>, int, int, LinearHead>? trainHead = null)
    {
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), "at least 2 folds");
        var fold = AssignFolds(messages, folds);
        var heads = combinations.SelectMany(c => c.Heads).Distinct().ToList();
        var results = new List<CvResult>();
        foreach (var text in texts)
        {
            var acc = combinations.Select(_ => new List<double>()).ToList();
            var f1 = combinations.Select(_ => new List<double>()).ToList();
            for (var f = 0; f < folds; f++)
            {
                var train = messages.Where((_, i) => fold[i] != f).ToList();
                var held = messages.Where((_, i) => fold[i] == f).ToList();
                var set = ClassifierTrainer.Featurize(train, text);
                var k = set.Categories.Length;
                // probabilities[head][message * k + c], each head on its own
                var probabilities = new Dictionary<TrainerKind, float[]>();
                foreach (var h in heads)
                {
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    var head = trainHead?.Invoke(h, set.Examples, k, set.Space.Count)
                        ?? LinearTrainers.Train(new MLContext(seed), h, set.Examples, k, set.Space.Count);
                    var model = new LinearCategoryModel(set.Categories, set.Space, [head]);
                    var p = new float[held.Count * k];
                    for (var i = 0; i < held.Count; i++)
                        model.Probabilities(TextPreparation.Compose(held[i].Title, held[i].Text), p.AsSpan(i * k, k));
                    probabilities[h] = p;
                    log?.Invoke($"{text}: fold {f + 1}/{folds}, {h} trained in {watch.Elapsed.TotalSeconds:0.0} s");
                }
                for (var c = 0; c < combinations.Count; c++)
                {
                    var combo = combinations[c];
                    var pairs = new List<(string, string)>(held.Count);
                    for (var i = 0; i < held.Count; i++)
                    {
                        var best = 0;
                        var bestScore = float.NegativeInfinity;
                        for (var cat = 0; cat < k; cat++)
                        {
                            var s = 0f;
                            for (var h = 0; h < combo.Heads.Count; h++) s += combo.Weights[h] * probabilities[combo.Heads[h]][i * k + cat];
                            if (s > bestScore) { bestScore = s; best = cat; }
                        }
                        pairs.Add((held[i].Category, set.Categories[best]));
                    }
                    var report = new ClassificationReport(pairs, set.Categories);
                    acc[c].Add(report.Accuracy);
                    f1[c].Add(report.MacroF1);
                }
            }
            for (var c = 0; c < combinations.Count; c++) results.Add(new CvResult(text, combinations[c].Name, acc[c], f1[c]));
        }
        return results;
    }

    /// <summary>Stratified: within each category, messages in a fixed pseudo-random order (by id) are dealt to the folds in turn.</summary>
    public static int[] AssignFolds(IReadOnlyList<LabeledMessage> messages, int folds)
    {
        var fold = new int[messages.Count];
        foreach (var group in Enumerable.Range(0, messages.Count).GroupBy(i => messages[i].Category))
        {
            var n = 0;
            foreach (var i in group.OrderBy(i => StableHash(messages[i].Id + messages[i].Text)).ThenBy(i => i)) fold[i] = n++ % folds;
        }
        return fold;
    }

    private static ulong StableHash(string s)
    {
        var h = 14695981039346656037UL; // FNV-1a: string.GetHashCode changes per process
        foreach (var c in s) { h ^= c; h *= 1099511628211UL; }
        return h;
    }
}
