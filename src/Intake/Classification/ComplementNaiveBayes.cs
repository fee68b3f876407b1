namespace Telephony.Intake.Classification;

/// <summary>
/// Complement naive Bayes (Rennie, Shih, Teevan and Karger 2003, "Tackling the poor assumptions of naive
/// Bayes text classifiers"): each category is described by the feature mass of all the <em>other</em>
/// categories, which evens out the estimates of small categories (交通运输 has a third of the messages of
/// 城乡建设), and the weights are normalised per category so that no category wins on weight size alone.
/// Our features are already what the paper transforms counts into (sublinear TF, IDF, length-normalised).
/// Closed form: one pass over the data, well under a second.
/// </summary>
public static class ComplementNaiveBayes
{
    /// <summary>Additive smoothing of the complement counts.</summary>
    public const double Alpha = 0.1;

    public static LinearHead Train(IReadOnlyList<SparseExample> data, int k, int dim)
    {
        var mass = new double[dim * k]; // feature-major, as LinearHead keeps weights
        var total = new double[k];
        var all = new double[dim];
        double grand = 0;
        foreach (var e in data)
            for (var i = 0; i < e.Ids.Length; i++)
            {
                mass[e.Ids[i] * k + e.Label] += e.Values[i];
                all[e.Ids[i]] += e.Values[i];
                total[e.Label] += e.Values[i];
                grand += e.Values[i];
            }
        var weights = new float[dim * k];
        for (var c = 0; c < k; c++)
        {
            var complementTotal = grand - total[c] + Alpha * dim;
            var w = new double[dim];
            double norm = 0;
            for (var i = 0; i < dim; i++)
            {
                // A feature frequent in the other categories is evidence against c: score = −Σ x·ln θ(complement).
                w[i] = -Math.Log((all[i] - mass[i * k + c] + Alpha) / complementTotal);
                norm += Math.Abs(w[i]);
            }
            // Normalised, then scaled back to a mean magnitude of 1 so the softmax temperature stays in range.
            for (var i = 0; i < dim; i++) weights[i * k + c] = (float)(w[i] / norm * dim);
        }
        var head = new LinearHead(TrainerKind.ComplementNb.ToString(), weights, new float[k], 1f);
        return head with { Temperature = LinearTrainers.FitTemperature(head, data, k) };
    }
}
