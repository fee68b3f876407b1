using Telephony.Intake.Classification;
using Telephony.Intake.Cli;
using Telephony.Intake.Data;

namespace Telephony.Intake.Tests;

/// <summary>
/// Softmax temperatures fitted on held-out margins (intake-5): the shipped pair is trained on a quarter of train.csv
/// twice, once with the temperatures the heads fit on their own training messages and once calibrated, and both are
/// scored on half of dev.csv, which neither saw.
/// </summary>
public class HeldOutTemperatureTests
{
    private IReadOnlyList<LabeledMessage> _train = null!, _dev = null!;
    private CategoryClassifier _trained = null!, _calibrated = null!;
    private string _scratch = null!;

    [OneTimeSetUp]
    public void TrainBoth()
    {
        _train = MessageFile.Load(RepositoryPaths.RequireShared("data/hotline-messages/train.csv")).Where((_, i) => i % 4 == 1).ToList();
        _dev = MessageFile.Load(RepositoryPaths.RequireShared("data/hotline-messages/dev.csv")).Where((_, i) => i % 2 == 1).ToList();
        (_trained, _) = new ClassifierTrainer { CalibrationFolds = 0 }.Train(_train, TrainerKind.Ensemble);
        (_calibrated, _) = new ClassifierTrainer().Train(_train, TrainerKind.Ensemble);
        _scratch = RepositoryPaths.NewScratchDirectory("intake-calibration");
    }

    [OneTimeTearDown]
    public void RemoveScratch() => Directory.Delete(_scratch, recursive: true);

    private CalibrationReport HeldOut(CategoryClassifier c, EvaluationView view = EvaluationView.Full) => CalibrationReport.Of(c, Evaluation.View(_dev, view));

    [Test]
    public void Calibration_changes_only_the_temperatures_and_lowers_them()
    {
        Assert.That(_calibrated.Model.Heads.Select(h => h.Trainer), Is.EqualTo(_trained.Model.Heads.Select(h => h.Trainer)));
        for (var h = 0; h < _trained.Model.Heads.Count; h++)
        {
            Assert.That(_calibrated.Model.Heads[h].Weights, Is.EqualTo(_trained.Model.Heads[h].Weights), "training is deterministic: the same weights");
            TestContext.Out.WriteLine($"{_trained.Model.Heads[h].Trainer}: temperature {_trained.Model.Heads[h].Temperature} on its training messages, {_calibrated.Model.Heads[h].Temperature} held out");
            Assert.That(_calibrated.Model.Heads[h].Temperature, Is.LessThan(_trained.Model.Heads[h].Temperature), "held-out margins are smaller than training margins");
        }
    }

    [TestCase(EvaluationView.Full)]
    [TestCase(EvaluationView.Cut60)]
    public void Calibrated_probabilities_have_a_lower_held_out_log_loss_and_calibration_error(EvaluationView view)
    {
        var before = HeldOut(_trained, view);
        var after = HeldOut(_calibrated, view);
        TestContext.Out.WriteLine($"{view}, as trained: accuracy {before.Accuracy:0.000}, {before.Format()}");
        TestContext.Out.WriteLine($"{view}, calibrated: accuracy {after.Accuracy:0.000}, {after.Format()}");
        Assert.That(after.LogLoss, Is.LessThan(before.LogLoss));
        Assert.That(after.ExpectedCalibrationError, Is.LessThan(before.ExpectedCalibrationError));
        Assert.That(after.Accuracy, Is.EqualTo(before.Accuracy).Within(0.02), "the temperatures may move a tie, not the model");
    }

    [Test]
    public void Calibrated_top_probabilities_are_not_saturated()
    {
        double Saturated(CategoryClassifier c) => _dev.Count(m => c.Predict(m.Text)[0].Probability > 0.995f) / (double)_dev.Count;
        TestContext.Out.WriteLine($"top probability above 0.995: {Saturated(_trained):P0} as trained, {Saturated(_calibrated):P0} calibrated");
        Assert.That(Saturated(_calibrated), Is.LessThan(0.5 * Saturated(_trained)));
        // Its errors were the most overconfident part: calibrated, a wrong answer is shown with less certainty.
        double ErrorConfidence(CategoryClassifier c) => _dev.Select(m => (m, top: c.Predict(m.Text)[0])).Where(x => x.top.Category != x.m.Category).Average(x => x.top.Probability);
        TestContext.Out.WriteLine($"mean top probability of the errors: {ErrorConfidence(_trained):0.000} as trained, {ErrorConfidence(_calibrated):0.000} calibrated");
        Assert.That(ErrorConfidence(_calibrated), Is.LessThan(ErrorConfidence(_trained) - 0.05));
    }

    [Test]
    public void A_saved_model_keeps_its_held_out_temperatures()
    {
        var files = new ModelFiles(Path.Combine(_scratch, "calibrated.zip"));
        ClassifierTrainer.Save(_calibrated, new ModelCard { Trainer = "Ensemble", DataChecksum = "abc" }, files);
        var loaded = CategoryClassifier.Load(files);
        Assert.That(loaded.Model.Heads.Select(h => h.Temperature), Is.EqualTo(_calibrated.Model.Heads.Select(h => h.Temperature)));
        const string text = "单位拖欠工资三个月不发，劳动监察怎么投诉";
        Assert.That(loaded.Predict(text), Is.EqualTo(_calibrated.Predict(text)));
    }

    [Test]
    public void A_model_card_of_intake_4_is_stale_so_setup_and_train_retrain_it()
    {
        var files = new ModelFiles(Path.Combine(_scratch, "old.zip"));
        ClassifierTrainer.Save(_trained, new ModelCard { TrainerVersion = "intake-4", Trainer = "Ensemble", DataChecksum = "abc" }, files);
        Assert.That(ModelCard.CurrentTrainerVersion, Is.Not.EqualTo("intake-4"));
        Assert.That(TrainJob.IsCurrent(files, "abc"), Is.False);
        // Until it is retrained, the old file still serves: the format did not change, only how the temperatures are chosen.
        Assert.That(CategoryClassifier.Load(files).Predict("学校乱收费")[0].Category, Is.EqualTo(_trained.Predict("学校乱收费")[0].Category));
    }

    [Test]
    public void Fit_recovers_the_temperature_that_generated_the_labels()
    {
        // One head, 3 categories, labels drawn from softmax(2.5 · margin): the log-loss is least near 2.5.
        const float truth = 2.5f;
        var rng = new Random(7);
        const int n = 4000, k = 3;
        var margins = new float[n * k];
        var labels = new int[n];
        var p = new float[k];
        for (var i = 0; i < n; i++)
        {
            for (var c = 0; c < k; c++) p[c] = margins[i * k + c] = (float)(rng.NextDouble() * 4 - 2);
            var sum = 0f;
            for (var c = 0; c < k; c++) sum += p[c] = MathF.Exp(truth * p[c]);
            for (var c = 0; c < k; c++) p[c] /= sum;
            var u = rng.NextDouble();
            labels[i] = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
        }
        var t = HeldOutTemperatures.Fit(new HeldOutTemperatures.HeldOut([margins], labels, k));
        Assert.That(t, Has.Length.EqualTo(1));
        Assert.That(t[0], Is.InRange(truth / 1.5f, truth * 1.5f));
    }

    [Test]
    public void A_set_too_small_for_the_inner_folds_keeps_its_training_temperatures()
    {
        // One message of 供水: some inner fold would train without it.
        var tiny = new[] { ("停水了没有水", "供水"), ("燃气漏气有味道", "燃气"), ("天然气管道漏气", "燃气"), ("燃气表不走", "燃气") }
            .Select((t, i) => new LabeledMessage($"m{i}", "", t.Item1, t.Item2)).ToList();
        var text = TrainingText.AsWritten with { MinimumNgramMessages = 1 };
        Assert.That(HeldOutTemperatures.Collect(tiny, ["供水", "燃气"], text, _ => [], HeldOutTemperatures.DefaultFolds), Is.Null);
        var (plain, _) = new ClassifierTrainer { Text = text, CalibrationFolds = 0 }.Train(tiny, TrainerKind.DcdSvm);
        var (calibrated, _) = new ClassifierTrainer { Text = text }.Train(tiny, TrainerKind.DcdSvm);
        Assert.That(calibrated.Model.Heads[0].Temperature, Is.EqualTo(plain.Model.Heads[0].Temperature));
    }

    [Test]
    public void Other_temperatures_must_be_one_positive_value_per_head()
    {
        Assert.That(() => _trained.Model.WithTemperatures([1f]), Throws.ArgumentException.With.Message.Contains("2 heads"));
        Assert.That(() => _trained.Model.WithTemperatures([1f, 0f]), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
