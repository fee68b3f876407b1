using Telephony.Intake.Data;

namespace Telephony.Intake.Classification;

/// <summary>
/// Softmax temperatures fitted on held-out margins (temperature scaling, Guo et al. 2017, with the held-out
/// scores from an inner k-fold over the training messages, as Platt 1999 advises). A head's own training
/// messages are the wrong place to fit it: the SVM separates them, so their log-loss keeps falling as the
/// temperature grows (12.6 to 448 across CV folds) and the shipped probabilities were saturated, 1.00 against
/// 0.00 (docs/intake.md, calibration). Each inner fold fits its own vocabulary and trains the heads on the other
/// folds; its messages' margins are then out of sample, as a caller's text is. The temperatures are chosen for
/// the model's output, the heads' average, so the probability the agent sees is the one that is calibrated.
/// </summary>
public static class HeldOutTemperatures
{
    /// <summary>Inner folds: 2 trains each head twice more, on half of the messages each time, about one more
    /// training's worth. 5-fold CV on train.csv gave the same held-out log-loss and ECE with 2, 3 or 5 inner folds
    /// (0.2625, 0.2617, 0.2618; docs/intake.md), so setup pays for the cheapest.</summary>
    public const int DefaultFolds = 2;

    /// <summary>2^(i/4) from 1/16 to 1024: steps of 19 %, finer than the log-loss cares about, and wide enough for both heads.</summary>
    private static readonly float[] Grid = Enumerable.Range(-16, 57).Select(i => MathF.Pow(2, i / 4f)).ToArray();

    /// <summary>Out-of-fold margins of a model's heads on the given messages.</summary>
    /// <param name="Margins">[head][row · k + category], the raw scores (no softmax) of each head.</param>
    /// <param name="Labels">Each row's category index, in the outer model's category order.</param>
    public sealed record HeldOut(float[][] Margins, int[] Labels, int Categories);

    /// <summary>
    /// Trains the heads on k − 1 inner folds and scores the rows of the held-out fold, for every fold. The rows are
    /// those training makes of each message (<see cref="ClassifierTrainer.TrainingRows"/>: with intake's text, the
    /// message and its title alone), so short texts are calibrated too. Null when a category has fewer messages
    /// than folds (then some fold would train without it: tiny sets keep their training temperatures).
    /// </summary>
    /// <param name="trainHeads">The model's heads on one inner fold's feature set, in the model's head order.</param>
    public static HeldOut? Collect(IReadOnlyList<LabeledMessage> messages, IReadOnlyList<string> categories, TrainingText text,
        Func<ClassifierTrainer.FeatureSet, IReadOnlyList<LinearHead>> trainHeads, int folds = DefaultFolds)
    {
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), folds, "at least 2 inner folds");
        if (messages.GroupBy(m => m.Category).Any(g => g.Count() < folds)) return null;
        var fold = CrossValidation.AssignFolds(messages, folds);
        var k = categories.Count;
        var index = categories.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var margins = new List<float>[0];
        var labels = new List<int>();
        for (var f = 0; f < folds; f++)
        {
            var set = ClassifierTrainer.Featurize(messages.Where((_, i) => fold[i] != f).ToList(), text);
            if (!set.Categories.SequenceEqual(categories)) throw new InvalidOperationException("an inner fold lost a category: the folds are stratified, so this is a bug");
            var model = new LinearCategoryModel(set.Categories, set.Space, trainHeads(set));
            if (margins.Length == 0) margins = model.Heads.Select(_ => new List<float>()).ToArray();
            var scores = new float[model.Heads.Count * k];
            foreach (var (row, category) in ClassifierTrainer.TrainingRows(messages.Where((_, i) => fold[i] == f), text))
            {
                model.Margins(row, scores);
                for (var h = 0; h < margins.Length; h++) margins[h].AddRange(scores.AsSpan(h * k, k));
                labels.Add(index[category]);
            }
        }
        return new HeldOut(margins.Select(m => m.ToArray()).ToArray(), labels.ToArray(), k);
    }

    /// <summary>
    /// The temperatures (one per head) that minimise the log-loss of the heads' averaged softmax on the held-out
    /// rows: each head alone first, then coordinate descent over the heads on the grid until no head moves. Only the
    /// label's probability enters the log-loss, so a grid point costs one softmax per row and head, computed once.
    /// </summary>
    public static float[] Fit(HeldOut heldOut)
    {
        var (heads, n, k) = (heldOut.Margins.Length, heldOut.Labels.Length, heldOut.Categories);
        // label[h][g][row]: head h's probability of the row's label at temperature Grid[g]
        var label = new double[heads][][];
        var p = new float[k];
        for (var h = 0; h < heads; h++)
        {
            label[h] = new double[Grid.Length][];
            for (var g = 0; g < Grid.Length; g++)
            {
                var column = label[h][g] = new double[n];
                for (var i = 0; i < n; i++)
                {
                    heldOut.Margins[h].AsSpan(i * k, k).CopyTo(p);
                    LinearCategoryModel.Softmax(p, Grid[g]);
                    column[i] = p[heldOut.Labels[i]];
                }
            }
        }
        var chosen = new int[heads];
        for (var h = 0; h < heads; h++) chosen[h] = Best(g => LogLoss(label, [.. Single(heads, h, g)], n, only: h));
        for (var round = 0; round < 10; round++)
        {
            var moved = false;
            for (var h = 0; h < heads; h++)
            {
                var before = chosen[h];
                chosen[h] = Best(g => { var c = (int[])chosen.Clone(); c[h] = g; return LogLoss(label, c, n); });
                moved |= chosen[h] != before;
            }
            if (!moved) break;
        }
        return chosen.Select(g => Grid[g]).ToArray();
    }

    /// <summary>Mean negative log-likelihood of the averaged heads (or of one head) at the grid points <paramref name="at"/>.</summary>
    private static double LogLoss(double[][][] label, int[] at, int n, int only = -1)
    {
        var loss = 0.0;
        for (var i = 0; i < n; i++)
        {
            double q;
            if (only >= 0) q = label[only][at[only]][i];
            else
            {
                q = 0;
                for (var h = 0; h < label.Length; h++) q += label[h][at[h]][i];
                q /= label.Length;
            }
            loss -= Math.Log(Math.Max(q, 1e-12));
        }
        return loss / n;
    }

    private static IEnumerable<int> Single(int heads, int h, int g) => Enumerable.Range(0, heads).Select(x => x == h ? g : 0);

    private static int Best(Func<int, double> loss)
    {
        var best = 0;
        var bestLoss = double.PositiveInfinity;
        for (var g = 0; g < Grid.Length; g++)
        {
            var l = loss(g);
            if (l < bestLoss) { bestLoss = l; best = g; }
        }
        return best;
    }
}
