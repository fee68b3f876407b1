namespace Telephony.Intake.Rules;

/// <summary>How urgent a request is: the noisy-OR score of the urgency rules that fired, urgent at <see cref="AlertRules.Threshold"/> or more.</summary>
public sealed record UrgencyAssessment(bool IsUrgent, double Score, IReadOnlyList<RuleHit> Hits);

/// <summary>An emergency for 110/119/120: the call flow advises the caller or transfers. <see cref="Service"/> is null when none applies.</summary>
public sealed record EmergencyAssessment(bool IsEmergency, string? Service, double Score, IReadOnlyList<RuleHit> Hits);

public sealed class UrgencyRules(AlertRules rules)
{
    public AlertRules Rules { get; } = rules;

    public UrgencyAssessment Assess(string text)
    {
        var hits = Rules.Match(text);
        var score = AlertRules.NoisyOr(hits.Select(h => h.Rule.Weight));
        return new UrgencyAssessment(score >= AlertRules.Threshold, score, hits.Select(h => h.Hit).ToList());
    }
}

public sealed class EmergencyRules(AlertRules rules)
{
    public AlertRules Rules { get; } = rules;

    /// <summary>Scores each service separately; the emergency goes to the best-scoring one.</summary>
    public EmergencyAssessment Assess(string text)
    {
        var hits = Rules.Match(text);
        var best = hits.GroupBy(h => h.Rule.Service!)
            .Select(g => (Service: g.Key, Score: AlertRules.NoisyOr(g.Select(h => h.Rule.Weight))))
            .OrderByDescending(x => x.Score).FirstOrDefault();
        var isEmergency = best.Service is not null && best.Score >= AlertRules.Threshold;
        return new EmergencyAssessment(isEmergency, isEmergency ? best.Service : null, best.Score, hits.Select(h => h.Hit).ToList());
    }
}
