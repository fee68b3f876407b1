using System.Diagnostics;
using Microsoft.ML;
using Telephony.Intake.Data;

namespace Telephony.Intake.Classification;

/// <summary>A step of training, for a progress bar: <paramref name="Done"/> of <paramref name="Total"/> steps, and what runs now.</summary>
public readonly record struct TrainingProgress(int Done, int Total, string Stage);

/// <summary>The outcome of <see cref="ClassifierTrainer.Compare"/> for one trainer.</summary>
public sealed record TrainerRun(TrainerKind Trainer, ClassificationReport Dev, ClassificationReport TitlesOnly, ClassificationReport Cut60, double Seconds)
{
    public TrainerScore Score => new(Trainer.ToString(), Dev.Accuracy, Dev.MacroF1, TitlesOnly.Accuracy, Cut60.Accuracy, Seconds);
}

/// <summary>
/// Trains the category model: compares trainers on a tuning split (each trained on train, scored on dev),
/// keeps the best by macro-F1 (accuracy breaks ties), and trains it again on train + dev for the final model.
/// The featurizer is fitted once per training set and its output cached, so the trainers share that work.
/// </summary>
public sealed class ClassifierTrainer(IProgress<TrainingProgress>? progress = null, int seed = 1)
{
    private int _done, _total;

    public static readonly TrainerKind[] DefaultTrainers = [TrainerKind.Sdca, TrainerKind.Perceptron, TrainerKind.Svm]; // LightGbm and Lbfgs: --trainers, too slow here (docs/intake.md)

    public IReadOnlyList<TrainerRun> Compare(IReadOnlyList<LabeledMessage> train, IReadOnlyList<LabeledMessage> dev, IReadOnlyList<TrainerKind> trainers, Action<TrainerRun>? scored = null)
    {
        _total += trainers.Count * 2 + 1;
        var ml = new MLContext(seed);
        Report("featurizing train.csv (character 1–3-grams, TF-IDF)");
        var data = ml.Data.LoadFromEnumerable(Rows(train));
        var featurizer = ClassifierPipeline.Featurizer(ml).Fit(data);
        var featurized = ml.Data.Cache(featurizer.Transform(data));
        Step();
        var runs = new List<TrainerRun>();
        foreach (var kind in trainers)
        {
            Report($"training {kind} on {train.Count} messages");
            var watch = Stopwatch.StartNew();
            var model = featurizer.Append(FitHead(ml, kind, featurized));
            var seconds = watch.Elapsed.TotalSeconds;
            Step();
            Report($"scoring {kind} on {dev.Count} dev messages");
            var classifier = new CategoryClassifier(ml, model);
            runs.Add(new TrainerRun(kind,
                Evaluation.Evaluate(classifier, dev, EvaluationView.Full),
                Evaluation.Evaluate(classifier, dev, EvaluationView.TitlesOnly),
                Evaluation.Evaluate(classifier, dev, EvaluationView.Cut60),
                seconds));
            scored?.Invoke(runs[^1]);
            Step();
        }
        return runs;
    }

    public static TrainerRun Best(IEnumerable<TrainerRun> runs) =>
        runs.OrderByDescending(r => r.Dev.MacroF1).ThenByDescending(r => r.Dev.Accuracy).First();

    /// <summary>Trains one trainer on all the given messages and returns the in-process classifier.</summary>
    public (CategoryClassifier Classifier, ITransformer Model, MLContext Ml, double Seconds) Train(IReadOnlyList<LabeledMessage> messages, TrainerKind kind)
    {
        _total += 2;
        var ml = new MLContext(seed);
        var watch = Stopwatch.StartNew();
        Report($"featurizing {messages.Count} messages");
        var data = ml.Data.LoadFromEnumerable(Rows(messages));
        var featurizer = ClassifierPipeline.Featurizer(ml).Fit(data);
        var featurized = ml.Data.Cache(featurizer.Transform(data));
        Step();
        Report($"training {kind} on {messages.Count} messages (final model)");
        var model = featurizer.Append(FitHead(ml, kind, featurized));
        Step();
        return (new CategoryClassifier(ml, model), model, ml, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Writes the model zip and its card (atomically: a half-written model is never loaded).</summary>
    public static void Save(MLContext ml, ITransformer model, ModelCard card, ModelFiles files)
    {
        Directory.CreateDirectory(files.Directory);
        var schema = ml.Data.LoadFromEnumerable(Array.Empty<ClassifierRow>()).Schema;
        var tmpModel = files.Model + ".tmp";
        var tmpCard = files.Card + ".tmp";
        ml.Model.Save(model, schema, tmpModel);
        File.WriteAllText(tmpCard, card.ToJson());
        File.Move(tmpModel, files.Model, overwrite: true);
        File.Move(tmpCard, files.Card, overwrite: true);
    }

    private static ITransformer FitHead(MLContext ml, TrainerKind kind, IDataView featurized) =>
        ClassifierPipeline.Trainer(ml, kind)
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(featurized);

    private static IEnumerable<ClassifierRow> Rows(IEnumerable<LabeledMessage> messages) =>
        messages.Select(m => new ClassifierRow { Text = TextPreparation.Compose(m.Title, m.Text), Category = m.Category }).ToList();

    private void Report(string stage) => progress?.Report(new TrainingProgress(_done, _total, stage));
    private void Step() { _done++; progress?.Report(new TrainingProgress(_done, _total, "")); }
}
