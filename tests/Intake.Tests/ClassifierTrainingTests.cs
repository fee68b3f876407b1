using Telephony.Intake.Classification;
using Telephony.Intake.Cli;
using Telephony.Intake.Data;

namespace Telephony.Intake.Tests;

/// <summary>Trains SDCA on a small fixed subset inside the suite (seconds), so it needs no model from setup.</summary>
public class ClassifierTrainingTests
{
    private IReadOnlyList<LabeledMessage> _train = null!, _dev = null!;
    private CategoryClassifier _classifier = null!;
    private string _scratch = null!;

    [OneTimeSetUp]
    public void TrainOnASubset()
    {
        // Every 4th message of train.csv and every 2nd of dev.csv: fixed, and all 7 categories present.
        _train = MessageFile.Load(RepositoryPaths.RequireShared("data/hotline-messages/train.csv")).Where((_, i) => i % 4 == 0).ToList();
        _dev = MessageFile.Load(RepositoryPaths.RequireShared("data/hotline-messages/dev.csv")).Where((_, i) => i % 2 == 0).ToList();
        (_classifier, _) = new ClassifierTrainer().Train(_train, TrainerKind.Sdca);
        _scratch = RepositoryPaths.NewScratchDirectory("intake");
    }

    [OneTimeTearDown]
    public void RemoveScratch() => Directory.Delete(_scratch, recursive: true);

    [Test]
    public void A_model_trained_on_a_quarter_of_train_beats_the_majority_class_by_a_clear_margin()
    {
        var majority = _dev.GroupBy(m => m.Category).Max(g => g.Count()) / (double)_dev.Count;
        var report = Evaluation.Evaluate(_classifier, _dev);
        TestContext.Out.WriteLine($"subset: {_train.Count} train, {_dev.Count} dev; majority {majority:0.000}, accuracy {report.Accuracy:0.000}, macro-F1 {report.MacroF1:0.000}");
        Assert.That(report.Accuracy, Is.GreaterThan(majority + 0.4));
        Assert.That(report.MacroF1, Is.GreaterThan(0.6));
    }

    [Test]
    public void Prediction_gives_the_top_three_categories_with_probabilities_best_first()
    {
        var top = _classifier.Predict("学校要求学生暑假补课，收取补课费，教育局管不管");
        Assert.That(top, Has.Length.EqualTo(3));
        Assert.That(top[0].Category, Is.EqualTo("教育文体"));
        Assert.That(top.Select(t => t.Probability), Is.Ordered.Descending);
        Assert.That(top.Sum(t => t.Probability), Is.InRange(0.0f, 1.0001f));
        Assert.That(top[0].Probability, Is.GreaterThan(0.4f));
    }

    [Test]
    public void A_saved_model_loads_with_its_card_and_predicts_the_same()
    {
        var files = new ModelFiles(Path.Combine(_scratch, "m.zip"));
        var card = new ModelCard { Trainer = "Sdca", DataChecksum = "abc", Messages = _train.Count, DevComparison = [new TrainerScore("Sdca", 0.9, 0.89, 0.8, 0.82, 1)] };
        ClassifierTrainer.Save(_classifier, card, files);
        var loaded = CategoryClassifier.Load(files);
        Assert.That(loaded.Card, Is.EqualTo(card).Using<ModelCard>((a, b) => a.ToJson() == b.ToJson()));
        const string text = "工厂夜里排放废气，气味刺鼻";
        Assert.That(loaded.Predict(text).Select(s => s.Category), Is.EqualTo(_classifier.Predict(text).Select(s => s.Category)));
        Assert.That(TrainJob.IsCurrent(files, "abc"), Is.True);
        Assert.That(TrainJob.IsCurrent(files, "other data"), Is.False);
    }

    [Test]
    public void Loading_a_missing_model_says_how_to_make_one()
    {
        var e = Assert.Throws<FileNotFoundException>(() => CategoryClassifier.Load(new ModelFiles(Path.Combine(_scratch, "none.zip"))))!;
        Assert.That(e.Message, Does.Contain("./hotline train"));
    }

    [Test]
    public void Eval_prints_accuracy_macro_f1_per_class_figures_a_confusion_matrix_and_calibration()
    {
        var files = new ModelFiles(Path.Combine(_scratch, "eval.zip"));
        ClassifierTrainer.Save(_classifier, new ModelCard { Trainer = "Sdca" }, files);
        var output = new StringWriter();
        var dev = RepositoryPaths.RequireShared("data/hotline-messages/dev.csv");
        Assert.That(EvalJob.Run(dev, files, EvaluationView.Cut60, output), Is.EqualTo(0));
        var text = output.ToString();
        Assert.That(text, Does.Match(@"accuracy: 0\.\d{4}"));
        Assert.That(text, Does.Match(@"macro-F1: 0\.\d{4}"));
        Assert.That(text, Does.Contain("confusion matrix"));
        Assert.That(text, Does.Match(@"log-loss: \d\.\d{4}, ECE \(10 bins\): 0\.\d{4}"));
        Assert.That(text, Does.Contain("交通运输"));
    }
}
