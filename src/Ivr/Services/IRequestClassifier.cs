namespace Telephony.Ivr.Services;

/// <summary>
/// Classifies a citizen's request from its text (Host adapts Intake's classifier and emergency/urgency rules).
/// Throws on failure; the runner follows the classify node's error exit.
/// </summary>
public interface IRequestClassifier
{
    Task<RequestClassification> ClassifyAsync(string text, CancellationToken cancellation);
}

/// <summary>
/// What the flow can branch on: category and department names as Intake reports them, urgency
/// ("normal", "urgent", …), and whether the rules saw an emergency (fire, crime, injury: 119/110/120).
/// <paramref name="EmergencyService"/> is "110", "119" or "120" when the rules name one.
/// </summary>
public sealed record RequestClassification(
    string Category,
    string? Department,
    string Urgency,
    bool Emergency,
    string? EmergencyService = null,
    double? Confidence = null);
