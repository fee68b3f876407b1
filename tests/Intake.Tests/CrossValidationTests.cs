using Telephony.Intake.Classification;
using Telephony.Intake.Data;

namespace Telephony.Intake.Tests;

/// <summary>Cross-validation and the closed-form complement naive Bayes head, on a small fixed subset of train.csv.</summary>
public class CrossValidationTests
{
    private static IReadOnlyList<LabeledMessage> Subset(int every) =>
        MessageFile.Load(RepositoryPaths.RequireShared("data/hotline-messages/train.csv")).Where((_, i) => i % every == 0).ToList();

    [Test]
    public void Folds_are_stratified_by_category_and_the_same_on_every_run()
    {
        var messages = Subset(4);
        var folds = CrossValidation.AssignFolds(messages, 5);
        Assert.That(CrossValidation.AssignFolds(messages, 5), Is.EqualTo(folds));
        foreach (var g in Enumerable.Range(0, messages.Count).GroupBy(i => messages[i].Category))
        {
            var sizes = g.GroupBy(i => folds[i]).Select(f => f.Count()).ToList();
            Assert.That(sizes, Has.Count.EqualTo(5), g.Key);
            Assert.That(sizes.Max() - sizes.Min(), Is.LessThanOrEqualTo(1), $"{g.Key}: one fold has more than one extra message");
        }
    }

    [Test]
    public void Cross_validated_complement_naive_bayes_beats_the_majority_class_and_weights_are_scored_without_retraining()
    {
        var messages = Subset(6);
        var majority = messages.GroupBy(m => m.Category).Max(g => g.Count()) / (double)messages.Count;
        var results = CrossValidation.Run(messages, 3, [TrainingText.AsWritten],
        [
            new("ComplementNb", [TrainerKind.ComplementNb], [1f]),
            new("ComplementNb×2", [TrainerKind.ComplementNb], [2f]),
        ]);
        Assert.That(results, Has.Count.EqualTo(2));
        TestContext.Out.WriteLine($"majority {majority:0.000}; CV accuracy {results[0].MeanAccuracy:0.000} (sd {results[0].StdAccuracy:0.000}), macro-F1 {results[0].MeanMacroF1:0.000}");
        Assert.That(results[0].Accuracy, Has.Count.EqualTo(3));
        Assert.That(results[0].MeanAccuracy, Is.GreaterThan(majority + 0.4));
        // Scaling the only head's probabilities changes no winner: the same folds, the same figures.
        Assert.That(results[1].Accuracy, Is.EqualTo(results[0].Accuracy));
    }

    [Test]
    public void Title_repeats_and_title_only_examples_change_the_training_text_not_the_prediction_text()
    {
        Assert.That(TextPreparation.Compose("燃气漏气", "楼道里有味道", titleRepeats: 2), Is.EqualTo("燃气漏气。燃气漏气。楼道里有味道"));
        Assert.That(TextPreparation.Compose("燃气漏气", "楼道里有味道"), Is.EqualTo("燃气漏气。楼道里有味道"));
        var messages = new List<LabeledMessage> { new("1", "燃气漏气", "楼道里有味道", "城乡建设"), new("2", "", "学校补课", "教育文体") };
        var set = ClassifierTrainer.Featurize(messages, new TrainingText(1, TitleOnlyExamples: true));
        Assert.That(set.Examples, Has.Count.EqualTo(3), "one extra example for the message with a title");
        Assert.That(set.Space.Count, Is.Zero, "no n-gram is in 3 of these messages");
        var everyNgram = ClassifierTrainer.Featurize(messages, new TrainingText(1, false, MinimumNgramMessages: 1));
        Assert.That(everyNgram.Space.Keys.ToArray().Select(CharNgrams.Text), Does.Contain("燃气").And.Contain("补课"));
    }
}
