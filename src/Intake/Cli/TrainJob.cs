using System.Diagnostics;
using System.Globalization;
using Telephony.Intake.Classification;
using Telephony.Intake.Data;

namespace Telephony.Intake.Cli;

/// <summary>What <c>train</c> does, kept out of Host so setup, tests and the command share it.</summary>
/// <param name="TrainOnly">Final model on train.csv alone, so that <c>eval</c> on dev.csv is a held-out score.</param>
public sealed record TrainJobOptions(string DataDirectory, ModelFiles Output, IReadOnlyList<TrainerKind> Trainers, bool OnlyIfStale = false, bool TrainOnly = false);

public static class TrainJob
{
    public static string TrainFile(string dataDirectory) => Path.Combine(dataDirectory, "train.csv");
    public static string DevFile(string dataDirectory) => Path.Combine(dataDirectory, "dev.csv");

    /// <summary>True when the model on disk was trained on exactly these files by this trainer version.</summary>
    public static bool IsCurrent(ModelFiles files, string checksum)
    {
        if (!files.Exist) return false;
        try
        {
            var card = ModelCard.FromJson(File.ReadAllText(files.Card));
            return card.DataChecksum == checksum && card.TrainerVersion == ModelCard.CurrentTrainerVersion;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException) { return false; }
    }

    /// <summary>Compares the trainers (train → dev), retrains the best on train + dev, saves it. Returns the exit code.</summary>
    public static int Run(TrainJobOptions o, TextWriter output, IProgress<TrainingProgress>? progress)
    {
        var inv = CultureInfo.InvariantCulture;
        string trainPath = TrainFile(o.DataDirectory), devPath = DevFile(o.DataDirectory);
        var checksum = MessageFile.Checksum(o.TrainOnly ? [trainPath] : [trainPath, devPath]);
        if (o.OnlyIfStale && IsCurrent(o.Output, checksum))
        {
            output.WriteLine($"intake model is current ({o.Output.Model}, data sha256 {checksum[..12]}, {ModelCard.CurrentTrainerVersion})");
            return 0;
        }
        var watch = Stopwatch.StartNew();
        var train = MessageFile.Load(trainPath);
        var dev = MessageFile.Load(devPath);
        var trainer = new ClassifierTrainer(progress);
        output.WriteLine($"trained on {train.Count} (train.csv), scored on {dev.Count} (dev.csv); character 1–3-grams, sublinear TF-IDF");
        output.WriteLine("trainer      dev accuracy  dev macro-F1  titles-only acc  60-char acc  train s");
        void Row(TrainerRun r) =>
            output.WriteLine(string.Create(inv, $"{r.Trainer,-11}  {r.Dev.Accuracy,12:0.0000}  {r.Dev.MacroF1,12:0.0000}  {r.TitlesOnly.Accuracy,15:0.0000}  {r.Cut60.Accuracy,11:0.0000}  {r.Seconds,7:0.0}"));
        var runs = trainer.Compare(train, dev, o.Trainers, Row);
        var best = ClassifierTrainer.Best(runs);
        var all = o.TrainOnly ? train.ToList() : train.Concat(dev).ToList();
        var (classifier, seconds) = trainer.Train(all, best.Trainer);
        var card = new ModelCard
        {
            Trainer = best.Trainer.ToString(),
            DataChecksum = checksum,
            DataFiles = o.TrainOnly ? [Path.GetFileName(trainPath)] : [Path.GetFileName(trainPath), Path.GetFileName(devPath)],
            Messages = all.Count,
            Categories = all.Select(m => m.Category).Distinct().Order(StringComparer.Ordinal).ToList(),
            TrainedAt = DateTimeOffset.UtcNow,
            TrainSeconds = seconds,
            DevComparison = runs.Select(r => r.Score).ToList(),
        };
        ClassifierTrainer.Save(classifier, card, o.Output);
        (progress as IDisposable)?.Dispose();

        output.WriteLine($"titles-only: {best.TitlesOnly.Count} dev messages with a subject line; 60-char: the body cut to {Evaluation.CutLength} characters, no title");
        output.WriteLine($"best: {best.Trainer} (macro-F1); final model trained on {(o.TrainOnly ? "train only" : "train + dev")} ({all.Count} messages) in {seconds:0.0} s");
        output.WriteLine($"wrote {o.Output.Model} and {o.Output.Card} ({watch.Elapsed.TotalSeconds:0.0} s in all)");
        return 0;
    }
}
