using Telephony.Intake.Classification;
using Telephony.Intake.Data;

namespace Telephony.Intake.Cli;

/// <summary>What <c>eval</c> does: scores the saved model on any CSV with the columns of train.csv: accuracy, per class, confusion, then how well its probabilities are calibrated.</summary>
public static class EvalJob
{
    public static int Run(string dataFile, ModelFiles model, EvaluationView view, TextWriter output)
    {
        var messages = MessageFile.Load(dataFile);
        var classifier = CategoryClassifier.Load(model);
        var report = Evaluation.Evaluate(classifier, messages, view);
        output.WriteLine($"model: {model.Model} ({classifier.Card?.Trainer ?? "unknown trainer"}, {classifier.Card?.TrainerVersion ?? "no card"})");
        output.WriteLine($"data: {dataFile} (view: {view})");
        output.Write(report.Format());
        output.Write(CalibrationReport.Of(classifier, Evaluation.View(messages, view)).Format());
        return 0;
    }
}
