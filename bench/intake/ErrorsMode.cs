using System.Globalization;
using Telephony.Intake.Classification;

namespace Telephony.Intake.Bench;

/// <summary>
/// bench/intake/cv FOLDS errors: out-of-fold predictions of the intake ensemble on train.csv (same folds as
/// <see cref="CrossValidation"/>), for error analysis: the pooled confusion matrix, misclassified messages with
/// their nearest training message (is a disagreeing near-copy behind the error, i.e. label noise?), and
/// choices that need no retraining, scored on the same folds: per-category bias offsets and a stacked meta
/// learner, each fitted on the other folds' out-of-fold probabilities only.
/// </summary>
public static class ErrorsMode
{
    public static int Run(string shared, int folds, int examples)
    {
        var cv = CvFolds.Load(shared, folds);
        var (train, fold, categories, label, k) = (cv.Train, cv.Fold, cv.Categories, cv.Label, cv.K);
        // oof[head][message * k + c]
        var oof = new[] { new float[train.Count * k], new float[train.Count * k] };
        var neighbour = new (double Cosine, int Message)[train.Count];
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var f = 0; f < folds; f++)
        {
            var trainIdx = Enumerable.Range(0, train.Count).Where(i => fold[i] != f).ToArray();
            var heldIdx = Enumerable.Range(0, train.Count).Where(i => fold[i] == f).ToArray();
            var set = ClassifierTrainer.Featurize(trainIdx.Select(i => train[i]).ToList());
            if (!set.Categories.SequenceEqual(categories)) throw new InvalidOperationException("a fold lacks a category");
            var heads = new[]
            {
                DualCoordinateSvm.Train(set.Examples, k, set.Space.Count, nbScale: false),
                DualCoordinateSvm.Train(set.Examples, k, set.Space.Count, nbScale: true),
            };
            // The training fold's own messages as written (not the title-only copies), for the nearest-neighbour check.
            var plain = trainIdx.Select(i => Vector(set.Space, TextPreparation.Compose(train[i].Title, train[i].Text))).ToArray();
            var dense = new float[set.Space.Count];
            for (var h = 0; h < heads.Length; h++)
            {
                var model = new LinearCategoryModel(set.Categories, set.Space, [heads[h]]);
                foreach (var i in heldIdx) model.Probabilities(TextPreparation.Compose(train[i].Title, train[i].Text), oof[h].AsSpan(i * k, k));
            }
            foreach (var i in heldIdx)
            {
                var (ids, values) = Vector(set.Space, TextPreparation.Compose(train[i].Title, train[i].Text));
                for (var j = 0; j < ids.Length; j++) dense[ids[j]] = values[j];
                var best = (-1.0, -1);
                for (var t = 0; t < plain.Length; t++)
                {
                    var dot = 0.0;
                    var (tid, tv) = plain[t];
                    for (var j = 0; j < tid.Length; j++) dot += dense[tid[j]] * tv[j];
                    if (dot > best.Item1) best = (dot, trainIdx[t]);
                }
                neighbour[i] = best;
                foreach (var id in ids) dense[id] = 0;
            }
            Console.Error.WriteLine($"fold {f + 1}/{folds} done, {watch.Elapsed.TotalSeconds:0} s");
        }

        int Argmax(ReadOnlySpan<float> p) { var b = 0; for (var c = 1; c < p.Length; c++) if (p[c] > p[b]) b = c; return b; }
        var ensemble = new float[train.Count * k];
        for (var i = 0; i < ensemble.Length; i++) ensemble[i] = (oof[0][i] + oof[1][i]) / 2;
        var predicted = Enumerable.Range(0, train.Count).Select(i => Argmax(ensemble.AsSpan(i * k, k))).ToArray();
        var report = new ClassificationReport(Enumerable.Range(0, train.Count).Select(i => (categories[label[i]], categories[predicted[i]])), categories);
        Console.WriteLine($"out-of-fold, {folds} folds, DcdSvm + NbDcdSvm: accuracy {report.Accuracy:0.0000}, macro-F1 {report.MacroF1:0.0000} ({watch.Elapsed.TotalSeconds:0} s)");
        Console.WriteLine("per fold: " + string.Join(" ", Enumerable.Range(0, folds).Select(f =>
            (Enumerable.Range(0, train.Count).Count(i => fold[i] == f && predicted[i] == label[i]) / (double)fold.Count(x => x == f)).ToString("0.0000", CultureInfo.InvariantCulture))));
        Console.WriteLine("confusion (rows truth, columns predicted): " + string.Join(" ", categories.Select((c, i) => $"{i}={c}")));
        for (var t = 0; t < k; t++)
            Console.WriteLine($"  {t} " + string.Join("", Enumerable.Range(0, k).Select(p => $"{report.Confusion[t, p],6}")) + $"   recall {report.PerClass[t].Recall:0.000} precision {report.PerClass[t].Precision:0.000}");
        var pairs = Enumerable.Range(0, train.Count).Where(i => predicted[i] != label[i])
            .GroupBy(i => (categories[label[i]], categories[predicted[i]])).OrderByDescending(g => g.Count()).Take(10);
        Console.WriteLine("most confused (truth → predicted): " + string.Join(", ", pairs.Select(g => $"{g.Key.Item1}→{g.Key.Item2} {g.Count()}")));

        // Near-copies: how often the nearest training message is very close, and whether its label agrees.
        foreach (var threshold in new[] { 0.9, 0.8, 0.7, 0.5 })
        {
            var close = Enumerable.Range(0, train.Count).Where(i => neighbour[i].Cosine >= threshold).ToArray();
            var disagree = close.Count(i => label[neighbour[i].Message] != label[i]);
            var wrong = close.Count(i => predicted[i] != label[i]);
            Console.WriteLine($"nearest training message at cosine ≥ {threshold}: {close.Length} messages, its label differs for {disagree}, ensemble wrong on {wrong}");
        }
        var errors = Enumerable.Range(0, train.Count).Where(i => predicted[i] != label[i]).ToArray();
        var errorsWithCopy = errors.Count(i => neighbour[i].Cosine >= 0.7 && label[neighbour[i].Message] != label[i]);
        Console.WriteLine($"errors: {errors.Length}; of them with a near-copy (cosine ≥ 0.7) labelled otherwise: {errorsWithCopy}");
        var confidence = errors.Select(i => ensemble[i * k + predicted[i]] - ensemble[i * k + label[i]]).Order().ToArray();
        Console.WriteLine($"errors: probability of the prediction minus that of the truth, quartiles {confidence[confidence.Length / 4]:0.00} {confidence[confidence.Length / 2]:0.00} {confidence[3 * confidence.Length / 4]:0.00}");
        var top2 = Enumerable.Range(0, train.Count).Count(i =>
        {
            var p = ensemble.AsSpan(i * k, k);
            var better = 0;
            for (var c = 0; c < k; c++) if (p[c] > p[label[i]]) better++;
            return better <= 1;
        });
        Console.WriteLine($"truth in the top 2: {top2 / (double)train.Count:0.0000}");

        Console.WriteLine();
        Console.WriteLine($"{examples} misclassified messages (every {Math.Max(1, errors.Length / examples)}th error):");
        var step = Math.Max(1, errors.Length / examples);
        for (var e = 0; e < examples && e * step < errors.Length; e++)
        {
            var i = errors[e * step];
            var m = train[i];
            var text = TextPreparation.Compose(m.Title, m.Text);
            var n = neighbour[i];
            Console.WriteLine($"- truth {m.Category}, predicted {categories[predicted[i]]} ({ensemble[i * k + predicted[i]]:0.00} vs {ensemble[i * k + label[i]]:0.00}); nearest cos {n.Cosine:0.00} {train[n.Message].Category}");
            Console.WriteLine($"  {(text.Length > 160 ? text[..160] + "…" : text)}");
        }

        Console.WriteLine();
        Calibration(oof, label, fold, folds, k);
        return 0;
    }

    /// <summary>Post-hoc choices on the out-of-fold probabilities, each fitted on the other folds only.</summary>
    private static void Calibration(float[][] oof, int[] label, int[] fold, int folds, int k)
    {
        var n = label.Length;
        double Accuracy(Func<int, int> predict, Func<int, bool> where) { var a = 0; var t = 0; for (var i = 0; i < n; i++) if (where(i)) { t++; if (predict(i) == label[i]) a++; } return (double)a / t; }
        int Argmax(Func<int, double> score) { var b = 0; var bs = score(0); for (var c = 1; c < k; c++) { var s = score(c); if (s > bs) { bs = s; b = c; } } return b; }

        // Head weights (log-probabilities or probabilities), chosen per held-out fold on the other folds.
        foreach (var useLog in new[] { false, true })
        {
            var perFold = new List<double>();
            var chosen = new List<double>();
            for (var f = 0; f < folds; f++)
            {
                var (bestW, bestA) = (0.5, -1.0);
                for (var w = 0.0; w <= 1.0001; w += 0.1)
                {
                    var a = Accuracy(i => Argmax(c => Mix(oof, i, c, k, w, useLog)), i => fold[i] != f);
                    if (a > bestA) (bestW, bestA) = (w, a);
                }
                chosen.Add(bestW);
                perFold.Add(Accuracy(i => Argmax(c => Mix(oof, i, c, k, bestW, useLog)), i => fold[i] == f));
            }
            Console.WriteLine($"head weight by CV ({(useLog ? "log-probabilities" : "probabilities")}): weights of DcdSvm {string.Join(" ", chosen.Select(x => x.ToString("0.0", CultureInfo.InvariantCulture)))}, accuracy {perFold.Average():0.0000} ± {Sd(perFold):0.0000}");
        }
        var equal = Enumerable.Range(0, folds).Select(f => Accuracy(i => Argmax(c => Mix(oof, i, c, k, 0.5, false)), i => fold[i] == f)).ToList();
        Console.WriteLine($"equal weights (intake-4): {equal.Average():0.0000} ± {Sd(equal):0.0000}");

        // Per-category additive offsets on the log of the averaged probability, by coordinate search on the other folds.
        {
            var perFold = new List<double>();
            for (var f = 0; f < folds; f++)
            {
                var offset = new double[k];
                for (var round = 0; round < 3; round++)
                    for (var c = 0; c < k; c++)
                    {
                        var (bestO, bestA) = (offset[c], -1.0);
                        for (var o = -1.0; o <= 1.0001; o += 0.1)
                        {
                            offset[c] = o;
                            var a = Accuracy(i => Argmax(x => Math.Log(Mix(oof, i, x, k, 0.5, false) + 1e-9) + offset[x]), i => fold[i] != f);
                            if (a > bestA + 1e-12) (bestO, bestA) = (o, a);
                        }
                        offset[c] = bestO;
                    }
                perFold.Add(Accuracy(i => Argmax(x => Math.Log(Mix(oof, i, x, k, 0.5, false) + 1e-9) + offset[x]), i => fold[i] == f));
                Console.Error.WriteLine($"fold {f + 1}: offsets {string.Join(" ", offset.Select(o => o.ToString("0.0", CultureInfo.InvariantCulture)))}");
            }
            Console.WriteLine($"per-category offsets by CV: {perFold.Average():0.0000} ± {Sd(perFold):0.0000}");
        }

        // Stacking: multinomial logistic regression on both heads' log-probabilities (2k inputs + bias), L2, gradient descent.
        foreach (var l2 in new[] { 1e-4, 1e-2 })
        {
            var perFold = new List<double>();
            for (var f = 0; f < folds; f++)
            {
                var rows = Enumerable.Range(0, n).Where(i => fold[i] != f).ToArray();
                var w = TrainStack(oof, label, rows, k, l2);
                perFold.Add(Accuracy(i => Argmax(c => StackScore(w, oof, i, c, k)), i => fold[i] == f));
            }
            Console.WriteLine($"stacked logistic regression on log-probabilities (L2 {l2}): {perFold.Average():0.0000} ± {Sd(perFold):0.0000}");
        }
    }

    private static double Mix(float[][] oof, int i, int c, int k, double w, bool useLog) => useLog
        ? w * Math.Log(oof[0][i * k + c] + 1e-9) + (1 - w) * Math.Log(oof[1][i * k + c] + 1e-9)
        : w * oof[0][i * k + c] + (1 - w) * oof[1][i * k + c];

    private static double[] Inputs(float[][] oof, int i, int k)
    {
        var x = new double[2 * k + 1];
        for (var h = 0; h < 2; h++) for (var c = 0; c < k; c++) x[h * k + c] = Math.Log(oof[h][i * k + c] + 1e-6);
        x[2 * k] = 1;
        return x;
    }

    private static double StackScore(double[,] w, float[][] oof, int i, int c, int k)
    {
        var x = Inputs(oof, i, k);
        var s = 0.0;
        for (var j = 0; j < x.Length; j++) s += w[c, j] * x[j];
        return s;
    }

    private static double[,] TrainStack(float[][] oof, int[] label, int[] rows, int k, double l2)
    {
        var d = 2 * k + 1;
        var w = new double[k, d];
        // Start at the equal-weight log-linear mix: class c reads its own two log-probabilities.
        for (var c = 0; c < k; c++) { w[c, c] = 0.5; w[c, k + c] = 0.5; }
        var xs = rows.Select(i => Inputs(oof, i, k)).ToArray();
        var grad = new double[k, d];
        var p = new double[k];
        const double rate = 0.5;
        for (var iter = 0; iter < 300; iter++)
        {
            Array.Clear(grad);
            for (var r = 0; r < rows.Length; r++)
            {
                var x = xs[r];
                var max = double.NegativeInfinity;
                for (var c = 0; c < k; c++) { var s = 0.0; for (var j = 0; j < d; j++) s += w[c, j] * x[j]; p[c] = s; max = Math.Max(max, s); }
                var sum = 0.0;
                for (var c = 0; c < k; c++) { p[c] = Math.Exp(p[c] - max); sum += p[c]; }
                for (var c = 0; c < k; c++)
                {
                    var g = p[c] / sum - (label[rows[r]] == c ? 1 : 0);
                    for (var j = 0; j < d; j++) grad[c, j] += g * x[j];
                }
            }
            for (var c = 0; c < k; c++) for (var j = 0; j < d; j++) w[c, j] -= rate * (grad[c, j] / rows.Length + l2 * w[c, j]);
        }
        return w;
    }

    private static double Sd(IReadOnlyList<double> xs) { var m = xs.Average(); return Math.Sqrt(xs.Sum(x => (x - m) * (x - m)) / Math.Max(1, xs.Count - 1)); }

    private static readonly FeatureScratch Scratch = new();

    private static (int[] Ids, float[] Values) Vector(NgramFeatureSpace space, string prepared)
    {
        var s = Scratch;
        space.Featurize(prepared, s, sortIds: true);
        return (s.Ids[..s.Count], s.Values[..s.Count]);
    }
}
