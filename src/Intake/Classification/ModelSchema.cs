using Microsoft.ML.Data;

namespace Telephony.Intake.Classification;

/// <summary>The row the ML.NET pipeline reads: prepared text (see <see cref="TextPreparation"/>) and, when training, the category.</summary>
public sealed class ClassifierRow
{
    public string Text { get; set; } = "";
    public string Category { get; set; } = "";
}

/// <summary>What the pipeline writes: the predicted category and one score per category (in the label key's order).</summary>
public sealed class ClassifierOutput
{
    [ColumnName("PredictedLabel")] public string PredictedCategory { get; set; } = "";
    [ColumnName("Score")] public float[] Score { get; set; } = [];
}
