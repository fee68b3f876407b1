using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Telephony.Intake.Classification;

/// <summary>A featurized training message: its category index and sparse features (ids ascending).</summary>
public sealed record SparseExample(int Label, int[] Ids, float[] Values);

/// <summary>
/// Runs ML.NET trainers over our own sparse features and reads the trained linear weights back into a
/// <see cref="LinearHead"/>. One-versus-all is done here, one binary model per category, because ML.NET's
/// one-versus-all model does not expose its sub-models; it also lets each category see its own naive-Bayes
/// scaling (NB-SVM: each feature times ln of its odds in the category against the rest, Wang and Manning
/// 2012), which folds back into plain weights: Σ (x·r)·w = Σ x·(r·w).
/// </summary>
public static class LinearTrainers
{
    private sealed class MulticlassRow { public uint Label { get; set; } public VBuffer<float> Features { get; set; } }
    private sealed class BinaryRow { public bool Label { get; set; } public VBuffer<float> Features { get; set; } }

    public static LinearHead Train(MLContext ml, TrainerKind kind, IReadOnlyList<SparseExample> data, int categories, int features) => kind switch
    {
        TrainerKind.Sdca or TrainerKind.Lbfgs => MaximumEntropy(ml, kind, data, categories, features),
        TrainerKind.Perceptron or TrainerKind.Svm or TrainerKind.NbPerceptron or TrainerKind.NbSvm => OneVersusAll(ml, kind, data, categories, features),
        TrainerKind.ComplementNb => ComplementNaiveBayes.Train(data, categories, features),
        TrainerKind.DcdSvm => DualCoordinateSvm.Train(data, categories, features, nbScale: false),
        TrainerKind.NbDcdSvm => DualCoordinateSvm.Train(data, categories, features, nbScale: true),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a single trainer"),
    };

    private static LinearHead MaximumEntropy(MLContext ml, TrainerKind kind, IReadOnlyList<SparseExample> data, int k, int dim)
    {
        var schema = SchemaDefinition.Create(typeof(MulticlassRow));
        schema[nameof(MulticlassRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), k);
        schema[nameof(MulticlassRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dim);
        // In-memory key values are 0-based here (checked against ML.NET 5.0.1 scores), unlike the 1-based raw keys of text loaders.
        var rows = data.Select(e => new MulticlassRow { Label = (uint)e.Label, Features = Vector(e, dim, null) }).ToList();
        var view = ml.Data.Cache(ml.Data.LoadFromEnumerable(rows, schema));
        var mc = ml.MulticlassClassification.Trainers;
        MaximumEntropyModelParameters model = kind == TrainerKind.Sdca
            ? mc.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = "Label", FeatureColumnName = "Features",
                L2Regularization = 1e-5f, MaximumNumberOfIterations = 50, NumberOfThreads = 1,
            }).Fit(view).Model
            : mc.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = "Label", FeatureColumnName = "Features",
                L1Regularization = 0f, L2Regularization = 1e-3f, MaximumNumberOfIterations = 200, NumberOfThreads = 1,
            }).Fit(view).Model;
        VBuffer<float>[] w = [];
        model.GetWeights(ref w, out var classes);
        var bias = model.GetBiases().ToArray();
        var weights = new float[dim * k];
        for (var c = 0; c < classes; c++)
            foreach (var (i, v) in w[c].Items()) weights[i * k + c] = v;
        return new LinearHead(kind.ToString(), weights, bias, 1f);
    }

    private static LinearHead OneVersusAll(MLContext ml, TrainerKind kind, IReadOnlyList<SparseExample> data, int k, int dim)
    {
        var nb = kind is TrainerKind.NbPerceptron or TrainerKind.NbSvm;
        var schema = SchemaDefinition.Create(typeof(BinaryRow));
        schema[nameof(BinaryRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dim);
        var weights = new float[dim * k];
        var bias = new float[k];
        var bin = ml.BinaryClassification.Trainers;
        for (var c = 0; c < k; c++)
        {
            var r = nb ? LogCountRatio(data, c, dim) : null;
            var rows = data.Select(e => new BinaryRow { Label = e.Label == c, Features = Vector(e, dim, r) }).ToList();
            var view = ml.Data.Cache(ml.Data.LoadFromEnumerable(rows, schema));
            LinearBinaryModelParameters model = kind is TrainerKind.Perceptron or TrainerKind.NbPerceptron
                ? bin.AveragedPerceptron(new AveragedPerceptronTrainer.Options { LabelColumnName = "Label", FeatureColumnName = "Features", NumberOfIterations = 10 }).Fit(view).Model
                : bin.LinearSvm(new LinearSvmTrainer.Options { LabelColumnName = "Label", FeatureColumnName = "Features", NumberOfIterations = 20 }).Fit(view).Model;
            var i = 0;
            foreach (var v in model.Weights) { weights[i * k + c] = r is null ? v : v * r[i]; i++; }
            bias[c] = model.Bias;
        }
        var head = new LinearHead(kind.ToString(), weights, bias, 1f);
        return head with { Temperature = FitTemperature(head, data, k) };
    }

    /// <summary>ln of (share of the feature's mass in category c) / (share in the other categories), with add-one smoothing.</summary>
    internal static float[] LogCountRatio(IReadOnlyList<SparseExample> data, int c, int dim)
    {
        var p = new double[dim];
        var q = new double[dim];
        Array.Fill(p, 1.0);
        Array.Fill(q, 1.0);
        foreach (var e in data)
        {
            var target = e.Label == c ? p : q;
            foreach (var id in e.Ids) target[id] += 1; // binarised, as NB-SVM does
        }
        double sp = p.Sum(), sq = q.Sum();
        var r = new float[dim];
        for (var i = 0; i < dim; i++) r[i] = (float)Math.Log(p[i] / sp / (q[i] / sq));
        return r;
    }

    /// <summary>
    /// One-versus-all scores are margins, not probabilities: the temperature of the softmax is chosen
    /// (on a grid) to minimise the log-loss on the training messages. That is the head's temperature when it is
    /// used alone in cross-validation; it saturates (the SVM separates its training messages), so the models
    /// <see cref="ClassifierTrainer"/> trains replace it with one fitted on held-out margins (<see cref="HeldOutTemperatures"/>).
    /// </summary>
    internal static float FitTemperature(LinearHead head, IReadOnlyList<SparseExample> data, int k)
    {
        var scores = new float[data.Count][];
        for (var n = 0; n < data.Count; n++)
        {
            var s = (float[])head.Bias.Clone();
            var e = data[n];
            for (var i = 0; i < e.Ids.Length; i++)
                for (var c = 0; c < k; c++) s[c] += e.Values[i] * head.Weights[e.Ids[i] * k + c];
            scores[n] = s;
        }
        var best = 1f;
        var bestLoss = double.PositiveInfinity;
        var p = new float[k];
        for (var t = 1f / 64; t <= 4096; t *= 1.25f)
        {
            var loss = 0.0;
            for (var n = 0; n < data.Count; n++)
            {
                scores[n].CopyTo(p, 0);
                LinearCategoryModel.Softmax(p, t);
                loss -= Math.Log(Math.Max(p[data[n].Label], 1e-9f));
            }
            if (loss < bestLoss) { bestLoss = loss; best = t; }
        }
        return best;
    }

    private static VBuffer<float> Vector(SparseExample e, int dim, float[]? scale)
    {
        var values = (float[])e.Values.Clone();
        if (scale is not null) for (var i = 0; i < values.Length; i++) values[i] *= scale[e.Ids[i]];
        return new VBuffer<float>(dim, values.Length, values, (int[])e.Ids.Clone());
    }
}
