using System.Diagnostics;
using Microsoft.ML;
using Telephony.Intake.Data;

namespace Telephony.Intake.Classification;

/// <summary>A step of training, for a progress bar: <paramref name="Done"/> of <paramref name="Total"/> steps, and what runs now.</summary>
public readonly record struct TrainingProgress(int Done, int Total, string Stage);

/// <summary>
/// How a labelled message becomes training text: the subject line written <paramref name="TitleRepeats"/> times
/// before the body, and optionally a second example of the subject line alone (a short request with no body,
/// as a phone transcript is). Chosen by cross-validation on train.csv (docs/intake.md).
/// </summary>
/// <param name="MinimumNgramMessages">N-grams seen in fewer training messages are dropped: mostly names and typos.</param>
/// <param name="MaxNgramLength">The longest character n-gram (3, or 4 hashed).</param>
/// <param name="Words">Add word features from a <see cref="WordSegmenter"/> learned from the training texts (cross-validation only).</param>
/// <param name="LeadCharacters">Count the n-grams of each text's first this many characters again in their own namespace (<see cref="NgramFeatureSpace.LeadCharacters"/>; cross-validation only).</param>
/// <param name="BodyCutExamples">Add an example of each long body's first 60 characters, no title (a transcript-like text; CV: worse, docs/intake.md).</param>
public sealed record TrainingText(int TitleRepeats, bool TitleOnlyExamples, int MinimumNgramMessages = ClassifierTrainer.MinimumNgramMessages, int MaxNgramLength = CharNgrams.DefaultMaxLength, bool Words = false, int LeadCharacters = 0, bool BodyCutExamples = false)
{
    /// <summary>What training uses: the title once, plus a title-only example per titled message (5-fold CV on
    /// train.csv: ensemble accuracy 0.9205 against 0.9177 without; repeating the title did not help).</summary>
    public static readonly TrainingText Default = new(1, true);
    /// <summary>Each message once, as written (the training text of trainer version intake-2).</summary>
    public static readonly TrainingText AsWritten = new(1, false);
}

/// <summary>The outcome of <see cref="ClassifierTrainer.Compare"/> for one trainer.</summary>
public sealed record TrainerRun(TrainerKind Trainer, ClassificationReport Dev, ClassificationReport TitlesOnly, ClassificationReport Cut60, double Seconds)
{
    public TrainerScore Score => new(Trainer.ToString(), Dev.Accuracy, Dev.MacroF1, TitlesOnly.Accuracy, Cut60.Accuracy, Seconds);
}

/// <summary>
/// Trains the category model: compares trainers on a tuning split (each trained on train, scored on dev),
/// keeps the best by macro-F1 (accuracy breaks ties), and trains it again on train + dev for the final model.
/// The feature space is fitted once per training set and shared by the trainers.
/// </summary>
public sealed class ClassifierTrainer(IProgress<TrainingProgress>? progress = null, int seed = 1)
{
    /// <summary>N-grams seen in fewer messages than this are dropped: mostly names and typos (docs/intake.md).</summary>
    public const int MinimumNgramMessages = 3;

    private int _done, _total;

    /// <summary>How training messages become texts (title weight, extra title-only examples); prediction is unaffected.</summary>
    public TrainingText Text { get; init; } = TrainingText.Default;

    /// <summary>Inner folds whose held-out margins give each head its softmax temperature (<see cref="HeldOutTemperatures"/>,
    /// trainer version intake-5); 0 keeps the temperatures fitted on the training messages (saturated, docs/intake.md).</summary>
    public int CalibrationFolds { get; init; } = HeldOutTemperatures.DefaultFolds;

    public static readonly TrainerKind[] DefaultTrainers = [TrainerKind.Sdca, TrainerKind.Perceptron, TrainerKind.NbPerceptron, TrainerKind.DcdSvm, TrainerKind.NbDcdSvm, TrainerKind.SdcaEnsemble, TrainerKind.Ensemble];

    public IReadOnlyList<TrainerRun> Compare(IReadOnlyList<LabeledMessage> train, IReadOnlyList<LabeledMessage> dev, IReadOnlyList<TrainerKind> trainers, Action<TrainerRun>? scored = null)
    {
        _total += trainers.Count * (CalibrationFolds > 0 ? 3 : 2) + 1;
        Report("featurizing train.csv (character 1–3-grams, sublinear TF-IDF)");
        var set = Featurize(train, Text);
        Step();
        var runs = new List<TrainerRun>();
        var heads = new Dictionary<TrainerKind, LinearHead>();
        foreach (var kind in trainers)
        {
            Report($"training {kind} on {train.Count} messages");
            var watch = Stopwatch.StartNew();
            var model = new LinearCategoryModel(set.Categories, set.Space, Heads(kind, set, heads));
            Step();
            model = Calibrate(model, train, kind);
            var seconds = watch.Elapsed.TotalSeconds;
            Report($"scoring {kind} on {dev.Count} dev messages");
            var classifier = new CategoryClassifier(model);
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
    public (CategoryClassifier Classifier, double Seconds) Train(IReadOnlyList<LabeledMessage> messages, TrainerKind kind)
    {
        _total += CalibrationFolds > 0 ? 3 : 2;
        var watch = Stopwatch.StartNew();
        Report($"featurizing {messages.Count} messages");
        var set = Featurize(messages, Text);
        Step();
        Report($"training {kind} on {messages.Count} messages (final model)");
        var model = new LinearCategoryModel(set.Categories, set.Space, Heads(kind, set, []));
        Step();
        model = Calibrate(model, messages, kind);
        return (new CategoryClassifier(model), watch.Elapsed.TotalSeconds);
    }

    /// <summary>Writes the model and its card (atomically: a half-written model is never loaded).</summary>
    public static void Save(CategoryClassifier classifier, ModelCard card, ModelFiles files)
    {
        Directory.CreateDirectory(files.Directory);
        var tmpModel = files.Model + ".tmp";
        var tmpCard = files.Card + ".tmp";
        classifier.Model.Save(tmpModel);
        File.WriteAllText(tmpCard, card.ToJson());
        File.Move(tmpModel, files.Model, overwrite: true);
        File.Move(tmpCard, files.Card, overwrite: true);
    }

    /// <summary>
    /// The model with each head's temperature fitted on out-of-fold margins of <paramref name="messages"/> (its
    /// training messages), or as it is when <see cref="CalibrationFolds"/> is 0 or the set is too small for the folds.
    /// </summary>
    private LinearCategoryModel Calibrate(LinearCategoryModel model, IReadOnlyList<LabeledMessage> messages, TrainerKind kind)
    {
        if (CalibrationFolds == 0) return model;
        Report($"calibrating {kind}: softmax temperatures on {CalibrationFolds}-fold held-out margins");
        var heldOut = HeldOutTemperatures.Collect(messages, model.Categories, Text, set => Heads(kind, set, []), CalibrationFolds);
        Step();
        return heldOut is null ? model : model.WithTemperatures(HeldOutTemperatures.Fit(heldOut));
    }

    /// <summary>The texts training makes of the messages, each with its category: the message (title + body), then
    /// its title alone and its body's start when <paramref name="options"/> asks for them.</summary>
    public static IEnumerable<(string Text, string Category)> TrainingRows(IEnumerable<LabeledMessage> messages, TrainingText options)
    {
        foreach (var m in messages)
        {
            yield return (TextPreparation.Compose(m.Title, m.Text, options.TitleRepeats), m.Category);
            if (options.TitleOnlyExamples && m.Title.Trim().Length > 0) yield return (TextPreparation.Compose(m.Title, null), m.Category);
            if (options.BodyCutExamples && m.Text.Trim().Length > 2 * Evaluation.CutLength) yield return (TextPreparation.Compose(null, m.Text.Trim()[..Evaluation.CutLength]), m.Category);
        }
    }

    public sealed record FeatureSet(string[] Categories, NgramFeatureSpace Space, IReadOnlyList<SparseExample> Examples);

    public static FeatureSet Featurize(IReadOnlyList<LabeledMessage> messages, TrainingText? options = null)
    {
        var o = options ?? TrainingText.Default;
        var rows = TrainingRows(messages, o).ToList();
        messages = rows.Select(r => new LabeledMessage("", "", r.Text, r.Category)).ToList();
        var texts = rows.Select(r => r.Text).ToList();
        var categories = messages.Select(m => m.Category).Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = categories.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var space = NgramFeatureSpace.Fit(texts, o.MinimumNgramMessages, o.MaxNgramLength, o.Words ? WordSegmenter.Learn(texts) : null, o.LeadCharacters);
        var scratch = new FeatureScratch();
        var examples = new List<SparseExample>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            space.Featurize(texts[i], scratch, sortIds: true);
            examples.Add(new SparseExample(index[messages[i].Category], scratch.Ids[..scratch.Count], scratch.Values[..scratch.Count]));
        }
        return new FeatureSet(categories, space, examples);
    }

    /// <summary>The heads of a trainer; an ensemble reuses heads already trained in this comparison.</summary>
    private List<LinearHead> Heads(TrainerKind kind, FeatureSet set, Dictionary<TrainerKind, LinearHead> trained)
    {
        LinearHead One(TrainerKind k)
        {
            if (trained.TryGetValue(k, out var h)) return h;
            h = LinearTrainers.Train(new MLContext(seed), k, set.Examples, set.Categories.Length, set.Space.Count);
            trained[k] = h;
            return h;
        }
        return kind switch
        {
            TrainerKind.Ensemble => [One(TrainerKind.DcdSvm), One(TrainerKind.NbDcdSvm)],
            TrainerKind.SdcaEnsemble => [One(TrainerKind.Sdca), One(TrainerKind.NbPerceptron)],
            _ => [One(kind)],
        };
    }

    private void Report(string stage) => progress?.Report(new TrainingProgress(_done, _total, stage));
    private void Step() { _done++; progress?.Report(new TrainingProgress(_done, _total, "")); }
}
