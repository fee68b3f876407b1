using System.Globalization;
using Telephony.Intake.Classification;
using Telephony.Intake.Data;

namespace Telephony.Intake.Bench;

/// <summary>
/// bench/intake/cv 0 dev-lead: the single dev.csv check of the best cross-validation candidate that the model file
/// cannot hold (lead n-grams, <see cref="NgramFeatureSpace.LeadCharacters"/>): the intake-4 pair trained on
/// train.csv alone, with and without lead n-grams, scored once on dev.csv in the three views of <c>eval</c>.
/// </summary>
public static class DevCheckMode
{
    public static int Run(string shared, int leadCharacters)
    {
        var data = Path.Combine(shared, "data", "hotline-messages");
        var train = MessageFile.Load(Path.Combine(data, "train.csv"));
        var dev = MessageFile.Load(Path.Combine(data, "dev.csv"));
        foreach (var text in new[] { TrainingText.Default, TrainingText.Default with { LeadCharacters = leadCharacters } })
        {
            var set = ClassifierTrainer.Featurize(train, text);
            var k = set.Categories.Length;
            var classifier = new CategoryClassifier(new LinearCategoryModel(set.Categories, set.Space,
                [DualCoordinateSvm.Train(set.Examples, k, set.Space.Count, nbScale: false), DualCoordinateSvm.Train(set.Examples, k, set.Space.Count, nbScale: true)]));
            var line = string.Join("  ", new[] { EvaluationView.Full, EvaluationView.TitlesOnly, EvaluationView.Cut60 }.Select(v =>
            {
                var r = Evaluation.Evaluate(classifier, dev, v);
                return string.Create(CultureInfo.InvariantCulture, $"{v}: accuracy {r.Accuracy:0.0000}, macro-F1 {r.MacroF1:0.0000}");
            }));
            Console.WriteLine($"lead {text.LeadCharacters,2} characters, trained on train.csv ({train.Count}), dev.csv ({dev.Count}): {line}");
        }
        return 0;
    }
}
