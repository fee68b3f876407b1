using Telephony.Intake.Data;

namespace Telephony.Intake.Classification;

/// <summary>How a labelled set is shown to the model: as written, subject lines only, or a short transcript-like cut.</summary>
public enum EvaluationView
{
    /// <summary>Title and body, as in training.</summary>
    Full,
    /// <summary>Only the rows that have a title, title alone.</summary>
    TitlesOnly,
    /// <summary>The body (no title) cut to its first 60 characters: a phone transcript is short and has no subject line.</summary>
    Cut60,
}

public static class Evaluation
{
    public const int CutLength = 60;

    public static IReadOnlyList<(string Text, string Category)> View(IEnumerable<LabeledMessage> messages, EvaluationView view) => view switch
    {
        EvaluationView.Full => messages.Select(m => (TextPreparation.Compose(m.Title, m.Text), m.Category)).ToList(),
        EvaluationView.TitlesOnly => messages.Where(m => m.Title.Trim().Length > 0)
            .Select(m => (TextPreparation.Compose(m.Title, null), m.Category)).ToList(),
        EvaluationView.Cut60 => messages
            .Select(m => (TextPreparation.Compose(null, m.Text.Trim().Length > CutLength ? m.Text.Trim()[..CutLength] : m.Text), m.Category)).ToList(),
        _ => throw new ArgumentOutOfRangeException(nameof(view)),
    };

    public static ClassificationReport Evaluate(CategoryClassifier classifier, IEnumerable<LabeledMessage> messages, EvaluationView view = EvaluationView.Full)
    {
        var rows = View(messages, view);
        var predicted = classifier.PredictBatch(rows.Select(r => r.Text));
        return new ClassificationReport(rows.Select((r, i) => (r.Category, predicted[i])), classifier.Categories);
    }
}
