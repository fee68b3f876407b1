namespace Telephony.Intake.Classification;

/// <summary>
/// One-versus-all linear SVM with the squared hinge loss, trained in our own code by dual coordinate descent
/// (Hsieh, Chang, Lin, Keerthi and Sundararajan 2008, "A dual coordinate descent method for large-scale linear
/// SVM"): each step solves the dual exactly for one message's multiplier, so it converges in a few passes
/// without a learning rate, and <see cref="C"/> (the cost of a margin error; smaller = more regularised) is the
/// one setting, chosen by cross-validation on train.csv (docs/intake.md). The bias is a constant feature of 1.
/// With <c>nbScale</c> each category's features are first multiplied by their naive-Bayes log-count ratio
/// (NB-SVM, Wang and Manning 2012), which folds back into the weights.
/// </summary>
public static class DualCoordinateSvm
{
    /// <summary>C chosen by 5-fold CV on train.csv over 0.1, 0.3, 1, 3 (docs/intake.md).</summary>
    public const float DefaultC = 1f;

    public static LinearHead Train(IReadOnlyList<SparseExample> data, int k, int dim, bool nbScale, float c = DefaultC, int passes = 20, int seed = 1)
    {
        if (c <= 0) throw new ArgumentOutOfRangeException(nameof(c), c, "C must be positive");
        var weights = new float[dim * k];
        var bias = new float[k];
        var n = data.Count;
        var alpha = new double[n];
        var qii = new double[n];
        var order = new int[n];
        var w = new double[dim];
        var diag = 1 / (2.0 * c); // the squared hinge's dual diagonal term
        for (var cat = 0; cat < k; cat++)
        {
            var r = nbScale ? LinearTrainers.LogCountRatio(data, cat, dim) : null;
            Array.Clear(alpha);
            Array.Clear(w);
            double b = 0;
            for (var i = 0; i < n; i++)
            {
                var e = data[i];
                double sq = 1; // the bias feature
                for (var j = 0; j < e.Ids.Length; j++)
                {
                    var x = r is null ? e.Values[j] : e.Values[j] * r[e.Ids[j]];
                    sq += x * x;
                }
                qii[i] = sq + diag;
                order[i] = i;
            }
            var rng = new Random(seed + cat);
            for (var pass = 0; pass < passes; pass++)
            {
                rng.Shuffle(order);
                var maxChange = 0.0;
                foreach (var i in order)
                {
                    var e = data[i];
                    double y = e.Label == cat ? 1 : -1;
                    var dot = b;
                    for (var j = 0; j < e.Ids.Length; j++)
                        dot += w[e.Ids[j]] * (r is null ? e.Values[j] : e.Values[j] * r[e.Ids[j]]);
                    var g = y * dot - 1 + diag * alpha[i];
                    var pg = alpha[i] == 0 ? Math.Min(g, 0) : g;
                    if (pg == 0) continue;
                    var old = alpha[i];
                    alpha[i] = Math.Max(old - g / qii[i], 0);
                    var step = (alpha[i] - old) * y;
                    if (step == 0) continue;
                    maxChange = Math.Max(maxChange, Math.Abs(pg));
                    for (var j = 0; j < e.Ids.Length; j++)
                        w[e.Ids[j]] += step * (r is null ? e.Values[j] : e.Values[j] * r[e.Ids[j]]);
                    b += step;
                }
                if (maxChange < 1e-3) break;
            }
            for (var i = 0; i < dim; i++) weights[i * k + cat] = (float)(r is null ? w[i] : w[i] * r[i]);
            bias[cat] = (float)b;
        }
        var name = nbScale ? TrainerKind.NbDcdSvm : TrainerKind.DcdSvm;
        var head = new LinearHead(name.ToString(), weights, bias, 1f);
        return head with { Temperature = LinearTrainers.FitTemperature(head, data, k) };
    }
}
