using Microsoft.Extensions.Logging;
using Telephony.Intake.Classification;
using Telephony.Intake.Similar;

namespace Telephony.Intake;

/// <summary>
/// What <c>serve</c> calls at start: the rule files (a bad one stops the start with its line and reason)
/// and the trained model from <c>Intake:Model</c> when it exists. Without a model the hotline still runs:
/// no categories, departments from the catalogue's keywords or its fallback.
/// </summary>
public static class IntakeStartup
{
    public static IntakeAnalyzer Load(string repositoryRoot, string modelPath, SimilarCaseIndex similar, ILogger logger)
    {
        var files = new ModelFiles(modelPath);
        CategoryClassifier? classifier = null;
        if (File.Exists(files.Model))
        {
            classifier = CategoryClassifier.Load(files);
            logger.LogInformation("Intake model {Model} loaded: {Trainer}, {TrainerVersion}, {Categories} categories",
                files.Model, classifier.Card?.Trainer, classifier.Card?.TrainerVersion, classifier.Categories.Count);
        }
        else
        {
            logger.LogWarning("No intake model at {Model}: run ./hotline train; requests get no category", files.Model);
        }
        return IntakeAnalyzer.Load(IntakeRuleFiles.Under(repositoryRoot), classifier, similar);
    }
}
