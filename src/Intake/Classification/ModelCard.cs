using System.Text.Json;
using System.Text.Json.Serialization;

namespace Telephony.Intake.Classification;

/// <summary>Dev-set figures of one trainer in the comparison.</summary>
public sealed record TrainerScore(
    string Trainer, double Accuracy, double MacroF1, double TitlesOnlyAccuracy, double Cut60Accuracy, double TrainSeconds);

/// <summary>
/// The JSON sidecar beside the model (<c>intake-classifier.json</c>): what it was trained on (the data's
/// checksum, so setup retrains when the data changes), by which trainer version, and how it scored.
/// </summary>
public sealed record ModelCard
{
    /// <summary>Bump when featurization, trainers or their settings change: setup then retrains a cached model.
    /// intake-5: the softmax temperatures are fitted on held-out margins (<see cref="HeldOutTemperatures"/>).</summary>
    public const string CurrentTrainerVersion = "intake-5";

    public string TrainerVersion { get; init; } = CurrentTrainerVersion;
    public string Trainer { get; init; } = "";
    public string DataChecksum { get; init; } = "";
    public IReadOnlyList<string> DataFiles { get; init; } = [];
    public int Messages { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];
    public DateTimeOffset TrainedAt { get; init; }
    public double TrainSeconds { get; init; }
    /// <summary>Each trainer trained on train.csv and scored on dev.csv; the final model is the best one retrained on train + dev.</summary>
    public IReadOnlyList<TrainerScore> DevComparison { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ModelCard FromJson(string json) =>
        JsonSerializer.Deserialize<ModelCard>(json, Json) ?? throw new InvalidDataException("empty model card");
}
