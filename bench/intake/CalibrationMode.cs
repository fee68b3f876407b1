using System.Diagnostics;
using System.Globalization;
using Telephony.Intake.Classification;
using Telephony.Intake.Data;

namespace Telephony.Intake.Bench;

/// <summary>
/// bench/intake/cv FOLDS calibration[:INNER] and bench/intake/cv 0 dev-calibration[:INNER]: the intake pair (our SVM
/// on plain and NB-scaled features) with each head's temperature as the trainers fit it (on the head's own training
/// messages: intake-4) against the temperatures <see cref="HeldOutTemperatures"/> fits on INNER-fold held-out margins
/// of the same training messages (intake-5). The heads are trained once; only the temperatures differ, so accuracy
/// moves only where the average's winner does. Scored on the outer folds of train.csv (the folds of
/// <see cref="CrossValidation"/>) or once on dev.csv, in the three views of <c>eval</c>: accuracy, log-loss, ECE, and
/// the reliability table of the full messages.
/// </summary>
public static class CalibrationMode
{
    private static readonly EvaluationView[] Views = [EvaluationView.Full, EvaluationView.TitlesOnly, EvaluationView.Cut60];

    private sealed record Outcome(Dictionary<EvaluationView, (CalibrationReport Before, CalibrationReport After)> Views, float[] Trained, float[] HeldOut, double TrainSeconds, double CalibrationSeconds);

    public static int Run(string shared, int folds, int inner)
    {
        var cv = CvFolds.Load(shared, folds);
        var outcomes = new List<Outcome>();
        for (var f = 0; f < folds; f++)
        {
            var o = Score(cv.Train.Where((_, i) => cv.Fold[i] != f).ToList(), cv.Train.Where((_, i) => cv.Fold[i] == f).ToList(), inner);
            outcomes.Add(o);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fold {f + 1}/{folds}: trained in {o.TrainSeconds:0.0} s, calibrated in {o.CalibrationSeconds:0.0} s; temperatures {o.Trained[0]:0.#} / {o.Trained[1]:0.#} → {o.HeldOut[0]:0.##} / {o.HeldOut[1]:0.##}"));
        }
        Console.WriteLine($"{folds}-fold CV on train.csv, DcdSvm + NbDcdSvm: temperatures fitted on the training messages (as trained) or on {inner}-fold held-out margins (calibrated); mean (sd) over the folds");
        foreach (var v in Views)
        {
            foreach (var (name, pick) in new (string, Func<Outcome, CalibrationReport>)[] { ("as trained", o => o.Views[v].Before), ("calibrated", o => o.Views[v].After) })
            {
                var r = outcomes.Select(pick).ToList();
                Console.WriteLine($"  {v,-10} {name,-10}  accuracy {CvFolds.Summary(r.Select(x => x.Accuracy).ToList())}");
                Console.WriteLine($"  {"",-10} {"",-10}  log-loss {CvFolds.Summary(r.Select(x => x.LogLoss).ToList())}");
                Console.WriteLine($"  {"",-10} {"",-10}  ECE      {CvFolds.Summary(r.Select(x => x.ExpectedCalibrationError).ToList())}");
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  temperatures as trained {string.Join("; ", outcomes.Select(o => $"{o.Trained[0]:0.#} / {o.Trained[1]:0.#}"))}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  temperatures calibrated {string.Join("; ", outcomes.Select(o => $"{o.HeldOut[0]:0.##} / {o.HeldOut[1]:0.##}"))}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  seconds per fold: training {outcomes.Average(o => o.TrainSeconds):0.0}, calibration {outcomes.Average(o => o.CalibrationSeconds):0.0}"));
        Reliability(outcomes.Select(o => o.Views[EvaluationView.Full]).ToList(), "all folds, full messages");
        return 0;
    }

    public static int RunDev(string shared, int inner)
    {
        var data = Path.Combine(shared, "data", "hotline-messages");
        var train = MessageFile.Load(Path.Combine(data, "train.csv"));
        var dev = MessageFile.Load(Path.Combine(data, "dev.csv"));
        var o = Score(train, dev, inner);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained on train.csv ({train.Count}) in {o.TrainSeconds:0.0} s, calibrated on {inner}-fold held-out margins in {o.CalibrationSeconds:0.0} s; temperatures {o.Trained[0]:0.#} / {o.Trained[1]:0.#} → {o.HeldOut[0]:0.##} / {o.HeldOut[1]:0.##}; dev.csv ({dev.Count})"));
        foreach (var v in Views)
            foreach (var (name, r) in new[] { ("as trained", o.Views[v].Before), ("calibrated", o.Views[v].After) })
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {v,-10} {name,-10}  accuracy {r.Accuracy:0.0000}  log-loss {r.LogLoss:0.0000}  ECE {r.ExpectedCalibrationError:0.0000}  ({r.Count})"));
        Reliability([o.Views[EvaluationView.Full]], "dev.csv, full messages");
        return 0;
    }

    private static Outcome Score(IReadOnlyList<LabeledMessage> train, IReadOnlyList<LabeledMessage> held, int inner)
    {
        var watch = Stopwatch.StartNew();
        IReadOnlyList<LinearHead> Pair(ClassifierTrainer.FeatureSet s) =>
            [DualCoordinateSvm.Train(s.Examples, s.Categories.Length, s.Space.Count, nbScale: false), DualCoordinateSvm.Train(s.Examples, s.Categories.Length, s.Space.Count, nbScale: true)];
        var set = ClassifierTrainer.Featurize(train);
        var trained = new LinearCategoryModel(set.Categories, set.Space, Pair(set));
        var trainSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var heldOut = HeldOutTemperatures.Collect(train, set.Categories, TrainingText.Default, Pair, inner)
            ?? throw new InvalidOperationException("a category has fewer messages than inner folds");
        var calibrated = trained.WithTemperatures(HeldOutTemperatures.Fit(heldOut));
        var calibrationSeconds = watch.Elapsed.TotalSeconds;
        var views = Views.ToDictionary(v => v, v =>
        {
            var rows = Evaluation.View(held, v);
            return (CalibrationReport.Of(new CategoryClassifier(trained), rows), CalibrationReport.Of(new CategoryClassifier(calibrated), rows));
        });
        return new Outcome(views, trained.Heads.Select(h => h.Temperature).ToArray(), calibrated.Heads.Select(h => h.Temperature).ToArray(), trainSeconds, calibrationSeconds);
    }

    /// <summary>The reliability table of the pooled rows, before and after, side by side.</summary>
    private static void Reliability(IReadOnlyList<(CalibrationReport Before, CalibrationReport After)> reports, string what)
    {
        Console.WriteLine($"reliability ({what}): top probability bin, then messages, mean top probability and accuracy as trained | calibrated");
        for (var b = 0; b < CalibrationReport.BinCount; b++)
        {
            string Cell(Func<(CalibrationReport Before, CalibrationReport After), CalibrationReport> pick)
            {
                var bins = reports.Select(r => pick(r).Bins[b]).ToList();
                var n = bins.Sum(x => x.Count);
                return n == 0 ? $"{0,6}  {"",5}  {"",5}" : string.Create(CultureInfo.InvariantCulture,
                    $"{n,6}  {bins.Sum(x => x.Count * x.MeanConfidence) / n,5:0.000}  {bins.Sum(x => x.Count * x.Accuracy) / n,5:0.000}");
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {b / 10.0:0.0}–{(b + 1) / 10.0:0.0}  {Cell(r => r.Before)}  |  {Cell(r => r.After)}"));
        }
    }
}
