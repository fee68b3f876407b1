using System.CommandLine;
using Telephony.Host.Configuration;
using Telephony.Intake.Classification;
using Telephony.Intake.Cli;
using Telephony.Intake.Data;

namespace Telephony.Host.Commands;

/// <summary><c>train</c>: trains the intake category model (docs/intake.md) and writes it with its card to <c>Intake:Model</c>.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data-dir") { Description = "Folder with train.csv and dev.csv (default: <shared>/data/hotline-messages)" };
        var output = new Option<string?>("--model") { Description = "Model file to write (default: Intake:Model, models/intake-classifier.zip)" };
        var trainers = new Option<TrainerKind[]>("--trainers")
        {
            Description = "Trainers to compare on dev.csv; the best by macro-F1 is retrained on train + dev",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => ClassifierTrainer.DefaultTrainers,
        };
        var ifStale = new Option<bool>("--if-stale") { Description = "Do nothing when the model was trained on the same data by the same trainer version" };
        var trainOnly = new Option<bool>("--train-only") { Description = "Final model on train.csv alone (so that eval on dev.csv is held out); the card says so" };
        var command = new Command("train", "Train the intake classifier (category of a citizen's request) on the labelled hotline messages")
        {
            data, output, trainers, ifStale, trainOnly,
        };
        command.SetAction(parse =>
        {
            var configuration = HostConfiguration.Build(parse.GetValue(CommonOptions.Config));
            var dir = parse.GetValue(data) ?? Path.Combine(RepositoryLayout.Shared, "data", "hotline-messages");
            var model = RepositoryLayout.Resolve(parse.GetValue(output) ?? configuration["Intake:Model"] ?? ModelFiles.DefaultPath);
            try
            {
                using var bar = new TrainingProgressBar();
                return TrainJob.Run(new TrainJobOptions(dir, new ModelFiles(model), parse.GetValue(trainers)!, parse.GetValue(ifStale), parse.GetValue(trainOnly)), Console.Out, bar);
            }
            catch (Exception e) when (e is CsvFormatException or FileNotFoundException or DirectoryNotFoundException)
            {
                Console.Error.WriteLine($"train: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
