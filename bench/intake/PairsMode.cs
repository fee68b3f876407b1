using System.Globalization;
using Telephony.Intake.Classification;

namespace Telephony.Intake.Bench;

/// <summary>
/// bench/intake/cv FOLDS pairs: the truth is in the ensemble's top 2 for 98.5 % of the messages (errors mode), so
/// can a model of just those two categories settle them? For each pair of categories the intake-4 pair of SVMs
/// is trained on the messages of those two only (one-versus-one); the top two of the one-versus-all ensemble are
/// then re-ranked by λ · (pairwise probability) + (1 − λ) · (their share of the ensemble's probability).
/// Scored on the same folds as <see cref="CrossValidation"/>.
/// </summary>
public static class PairsMode
{
    private static readonly double[] Lambdas = [0, 0.25, 0.5, 0.75, 1];

    public static int Run(string shared, int folds)
    {
        var cv = CvFolds.Load(shared, folds);
        var (train, fold, categories, k) = (cv.Train, cv.Fold, cv.Categories, cv.K);
        var acc = Lambdas.Select(_ => new List<double>()).ToArray();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var f = 0; f < folds; f++)
        {
            var held = train.Where((_, i) => fold[i] == f).ToList();
            var set = ClassifierTrainer.Featurize(train.Where((_, i) => fold[i] != f).ToList());
            var dim = set.Space.Count;
            var all = new LinearCategoryModel(set.Categories, set.Space,
                [DualCoordinateSvm.Train(set.Examples, k, dim, nbScale: false), DualCoordinateSvm.Train(set.Examples, k, dim, nbScale: true)]);
            var pair = new LinearCategoryModel?[k, k];
            for (var a = 0; a < k; a++)
                for (var b = a + 1; b < k; b++)
                {
                    var two = set.Examples.Where(e => e.Label == a || e.Label == b).Select(e => e with { Label = e.Label == a ? 0 : 1 }).ToList();
                    pair[a, b] = new LinearCategoryModel([categories[a], categories[b]], set.Space,
                        [DualCoordinateSvm.Train(two, 2, dim, nbScale: false), DualCoordinateSvm.Train(two, 2, dim, nbScale: true)]);
                }
            var right = new int[Lambdas.Length];
            var p = new float[k];
            var q = new float[2];
            foreach (var m in held)
            {
                var text = TextPreparation.Compose(m.Title, m.Text);
                all.Probabilities(text, p);
                var first = 0;
                for (var c = 1; c < k; c++) if (p[c] > p[first]) first = c;
                var second = first == 0 ? 1 : 0;
                for (var c = 0; c < k; c++) if (c != first && p[c] > p[second]) second = c;
                var (a, b) = first < second ? (first, second) : (second, first);
                pair[a, b]!.Probabilities(text, q);
                var shareA = p[a] / (p[a] + p[b]);
                for (var l = 0; l < Lambdas.Length; l++)
                {
                    var scoreA = Lambdas[l] * q[0] + (1 - Lambdas[l]) * shareA;
                    var winner = scoreA > 0.5 ? a : scoreA < 0.5 ? b : first;
                    if (categories[winner] == m.Category) right[l]++;
                }
            }
            for (var l = 0; l < Lambdas.Length; l++) acc[l].Add(right[l] / (double)held.Count);
            Console.Error.WriteLine($"fold {f + 1}/{folds}, {watch.Elapsed.TotalSeconds:0} s");
        }
        Console.WriteLine($"{folds}-fold CV on train.csv, top-2 re-ranked by one-versus-one pairs ({watch.Elapsed.TotalSeconds:0} s, load {File.ReadAllText("/proc/loadavg")[..14]})");
        for (var l = 0; l < Lambdas.Length; l++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  λ = {Lambdas[l],-5} {CvFolds.Summary(acc[l])}"));
        return 0;
    }
}
