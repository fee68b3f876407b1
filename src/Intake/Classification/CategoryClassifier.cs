using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Telephony.Intake.Classification;

/// <summary>One category with the model's probability for it.</summary>
public readonly record struct CategoryScore(string Category, float Probability);

/// <summary>
/// The trained category model, in-process. Thread-safe: ML.NET's <see cref="PredictionEngine{TSrc,TDst}"/>
/// is not, so each concurrent caller borrows one from a small pool.
/// </summary>
public sealed class CategoryClassifier
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly ConcurrentBag<PredictionEngine<ClassifierRow, ClassifierOutput>> _engines = new();
    private readonly string[] _slots;

    public ModelCard? Card { get; }
    public IReadOnlyList<string> Categories => _slots;

    public CategoryClassifier(MLContext ml, ITransformer model, ModelCard? card = null)
    {
        _ml = ml;
        _model = model;
        Card = card;
        var engine = Rent();
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        engine.OutputSchema["Score"].GetSlotNames(ref names);
        _slots = names.DenseValues().Select(n => n.ToString()).ToArray();
        Return(engine);
    }

    public static CategoryClassifier Load(ModelFiles files)
    {
        if (!File.Exists(files.Model)) throw new FileNotFoundException($"No trained intake model at {files.Model}: run `./hotline train`", files.Model);
        var ml = new MLContext(seed: 1);
        var model = ml.Model.Load(files.Model, out _);
        var card = File.Exists(files.Card) ? ModelCard.FromJson(File.ReadAllText(files.Card)) : null;
        return new CategoryClassifier(ml, model, card);
    }

    /// <summary>Categories by probability, best first (at most <paramref name="top"/>). Raw title/text go through <see cref="TextPreparation"/>.</summary>
    public CategoryScore[] Predict(string text, int top = 3) => PredictPrepared(TextPreparation.Compose(null, text), top);

    public CategoryScore[] PredictPrepared(string prepared, int top = 3)
    {
        var engine = Rent();
        try
        {
            var output = new ClassifierOutput();
            engine.Predict(new ClassifierRow { Text = prepared }, ref output);
            return Top(Probabilities(output.Score), top);
        }
        finally { Return(engine); }
    }

    private CategoryScore[] Top(float[] p, int top)
    {
        var order = Enumerable.Range(0, p.Length).OrderByDescending(i => p[i]).Take(top);
        return order.Select(i => new CategoryScore(_slots[i], p[i])).ToArray();
    }

    /// <summary>
    /// Maximum entropy and LightGBM already give probabilities; one-versus-all and naive Bayes give scores
    /// that need normalising (softmax when any is negative, else share of the sum).
    /// </summary>
    internal static float[] Probabilities(float[] score)
    {
        var p = (float[])score.Clone();
        if (p.Length == 0) return p;
        if (p.Any(s => s < 0 || float.IsNaN(s)))
        {
            var max = p.Where(s => !float.IsNaN(s)).DefaultIfEmpty(0).Max();
            for (var i = 0; i < p.Length; i++) p[i] = float.IsNaN(p[i]) ? 0 : MathF.Exp(p[i] - max);
        }
        var sum = p.Sum();
        if (sum > 0) for (var i = 0; i < p.Length; i++) p[i] /= sum;
        return p;
    }

    /// <summary>Batch prediction for evaluation (the whole set through the pipeline at once).</summary>
    public IReadOnlyList<string> PredictBatch(IEnumerable<string> prepared)
    {
        var data = _ml.Data.LoadFromEnumerable(prepared.Select(t => new ClassifierRow { Text = t }));
        return _ml.Data.CreateEnumerable<ClassifierOutput>(_model.Transform(data), reuseRowObject: false)
            .Select(o => o.PredictedCategory).ToList();
    }

    private PredictionEngine<ClassifierRow, ClassifierOutput> Rent() =>
        _engines.TryTake(out var e) ? e : _ml.Model.CreatePredictionEngine<ClassifierRow, ClassifierOutput>(_model);

    private void Return(PredictionEngine<ClassifierRow, ClassifierOutput> e)
    {
        if (_engines.Count < Environment.ProcessorCount * 2) _engines.Add(e); else e.Dispose();
    }
}
