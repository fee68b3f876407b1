using System.Globalization;
using Telephony.Intake.Classification;

namespace Telephony.Intake.Bench;

/// <summary>
/// bench/intake/cv FOLDS temperature: the ensemble averages each head's softmax at a temperature fitted on the
/// head's own training messages, where the margins are large (the SVM fits them), so held-out probabilities come
/// out saturated (1.00 against 0.00) and when the two heads disagree the average is a tie (errors mode shows
/// such 0.50 / 0.50 errors). This scores the ensemble on the same folds as <see cref="CrossValidation"/> with
/// other temperatures: as trained, one shared value from a grid, and a value chosen on the other folds.
/// </summary>
public static class TemperatureMode
{
    private static readonly double[] Grid = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64];

    public static int Run(string shared, int folds)
    {
        var cv = CvFolds.Load(shared, folds);
        var (train, fold, categories, label, k) = (cv.Train, cv.Fold, cv.Categories, cv.Label, cv.K);
        // scores[h][i * k + c]: head h's margin (softmax at temperature 1, in log form: margins up to a constant)
        var scores = new[] { new double[train.Count * k], new double[train.Count * k] };
        var fitted = new double[folds, 2];
        for (var f = 0; f < folds; f++)
        {
            var set = ClassifierTrainer.Featurize(train.Where((_, i) => fold[i] != f).ToList());
            for (var h = 0; h < 2; h++)
            {
                var head = DualCoordinateSvm.Train(set.Examples, k, set.Space.Count, nbScale: h == 1);
                fitted[f, h] = head.Temperature;
                var model = new LinearCategoryModel(set.Categories, set.Space, [head with { Temperature = 1 }]);
                var p = new float[k];
                for (var i = 0; i < train.Count; i++)
                {
                    if (fold[i] != f) continue;
                    model.Probabilities(TextPreparation.Compose(train[i].Title, train[i].Text), p);
                    for (var c = 0; c < k; c++) scores[h][i * k + c] = Math.Log(Math.Max(p[c], 1e-30));
                }
            }
            Console.Error.WriteLine($"fold {f + 1}/{folds}: fitted temperatures {fitted[f, 0]:0.##} and {fitted[f, 1]:0.##}");
        }

        // Accuracy of fold f (or of all but f) when head h's softmax is taken at temperature t[h] and the two are averaged.
        double Accuracy(double t0, double t1, Func<int, bool> where, float precision = 0)
        {
            var right = 0;
            var total = 0;
            var p = new double[k];
            var q = new double[k];
            for (var i = 0; i < train.Count; i++)
            {
                if (!where(i)) continue;
                total++;
                Softmax(scores[0], i, k, t0, p);
                Softmax(scores[1], i, k, t1, q);
                var best = 0;
                var bestScore = double.NegativeInfinity;
                for (var c = 0; c < k; c++)
                {
                    // float rounding as LinearCategoryModel does, so "as trained" reproduces its ties
                    var s = precision > 0 ? (double)((float)p[c] / 2 + (float)q[c] / 2) : (p[c] + q[c]) / 2;
                    if (s > bestScore) { bestScore = s; best = c; }
                }
                if (best == label[i]) right++;
            }
            return right / (double)total;
        }
        string Line(Func<int, double> perFold) => CvFolds.Summary(Enumerable.Range(0, folds).Select(perFold).ToArray());
        Console.WriteLine($"{folds}-fold CV on train.csv, DcdSvm + NbDcdSvm averaged at other softmax temperatures");
        Console.WriteLine($"  as trained (each head's own, fitted on its training messages)  {Line(f => Accuracy(fitted[f, 0], fitted[f, 1], i => fold[i] == f, precision: 1))}");
        Console.WriteLine($"  fitted temperatures: {string.Join("; ", Enumerable.Range(0, folds).Select(f => $"{fitted[f, 0]:0.#} / {fitted[f, 1]:0.#}"))}");
        foreach (var t in Grid)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  both at {t,-5}  {Line(f => Accuracy(t, t, i => fold[i] == f))}"));
        foreach (var ratio in new[] { 0.5, 2.0 })
            foreach (var t in new[] { 1.0, 4.0 })
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  DcdSvm at {t * ratio}, NbDcdSvm at {t}  {Line(f => Accuracy(t * ratio, t, i => fold[i] == f))}"));
        var chosen = new List<double>();
        Console.WriteLine($"  one temperature chosen on the other folds  {Line(f =>
        {
            var best = Grid.OrderByDescending(t => Accuracy(t, t, i => fold[i] != f)).ThenBy(t => t).First();
            chosen.Add(best);
            return Accuracy(best, best, i => fold[i] == f);
        })}; chosen {string.Join(" ", chosen)}");
        return 0;
    }

    private static void Softmax(double[] scores, int i, int k, double t, double[] p)
    {
        var max = double.NegativeInfinity;
        for (var c = 0; c < k; c++) max = Math.Max(max, scores[i * k + c]);
        var sum = 0.0;
        for (var c = 0; c < k; c++) { p[c] = Math.Exp(t * (scores[i * k + c] - max)); sum += p[c]; }
        for (var c = 0; c < k; c++) p[c] /= sum;
    }
}
