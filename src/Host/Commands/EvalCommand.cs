using System.CommandLine;
using Telephony.Host.Configuration;
using Telephony.Intake.Classification;
using Telephony.Intake.Cli;
using Telephony.Intake.Data;

namespace Telephony.Host.Commands;

/// <summary><c>eval --data FILE.csv</c>: accuracy, macro-F1, per-class precision/recall and the confusion matrix of the trained model.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "CSV with the columns of train.csv (text, category; title optional)", Required = true };
        var model = new Option<string?>("--model") { Description = "Model file (default: Intake:Model, models/intake-classifier.zip)" };
        var view = new Option<EvaluationView>("--view")
        {
            Description = "Full (title and body), TitlesOnly (rows with a title, title alone) or Cut60 (body cut to 60 characters)",
            DefaultValueFactory = _ => EvaluationView.Full,
        };
        var command = new Command("eval", "Score the trained intake classifier on a labelled CSV") { data, model, view };
        command.SetAction(parse =>
        {
            var configuration = HostConfiguration.Build(parse.GetValue(CommonOptions.Config));
            var path = RepositoryLayout.Resolve(parse.GetValue(model) ?? configuration["Intake:Model"] ?? ModelFiles.DefaultPath);
            try
            {
                return EvalJob.Run(Path.GetFullPath(parse.GetValue(data)!), new ModelFiles(path), parse.GetValue(view), Console.Out);
            }
            catch (Exception e) when (e is CsvFormatException or FileNotFoundException or DirectoryNotFoundException)
            {
                Console.Error.WriteLine($"eval: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
