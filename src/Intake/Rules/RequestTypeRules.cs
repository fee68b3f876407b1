using System.Text.RegularExpressions;

namespace Telephony.Intake.Rules;

/// <summary>The kind of request (GB/T 33358 practice): what the citizen wants done.</summary>
public enum RequestType { Consultation, Complaint, Help, Report, Suggestion, Praise }

public sealed record TypeRule(string Id, RequestType Type, double Weight, Regex Pattern, int Line);

/// <summary>The type and how sure the cues make it (0–1), with the rules that fired.</summary>
public sealed record TypeAssessment(RequestType Type, double Confidence, IReadOnlyList<RuleHit> Hits);

/// <summary>
/// Request type from cue words (config/intake/type.rules). Each type scores the noisy-OR of its cues;
/// the confidence is the best score times its share of all type scores, so "投诉…建议" is less sure than
/// "投诉" alone. Without any cue the request is a consultation with a low confidence.
/// </summary>
public sealed class RequestTypeRules(IReadOnlyList<TypeRule> rules)
{
    public const double DefaultConfidence = 0.2;
    public IReadOnlyList<TypeRule> Rules { get; } = rules;

    public static RequestTypeRules Load(string path) =>
        Parse(File.Exists(path) ? File.ReadAllText(path) : throw new RuleFileException(path, 0, "file not found"), path);

    public static RequestTypeRules Parse(string text, string fileName)
    {
        var rules = new List<TypeRule>();
        foreach (var s in RuleDocument.Parse(text, fileName))
        {
            s.OnlyKeys("type", "weight", "pattern", "description");
            var typeText = s.Required("type");
            if (!Enum.TryParse<RequestType>(typeText, ignoreCase: true, out var type) || int.TryParse(typeText, out _))
                throw new RuleFileException(fileName, s.LineOf("type"), $"type must be one of {string.Join(", ", Enum.GetNames<RequestType>().Select(n => n.ToLowerInvariant()))}, not '{typeText}'");
            rules.Add(new TypeRule(s.Id, type, s.Weight(), s.Pattern("pattern", true)!, s.Line));
        }
        if (rules.Count == 0) throw new RuleFileException(fileName, 1, "no rules in the file");
        return new RequestTypeRules(rules);
    }

    public TypeAssessment Assess(string text)
    {
        var hits = new List<(TypeRule Rule, RuleHit Hit)>();
        foreach (var r in Rules)
        {
            var m = r.Pattern.SafeMatch(text);
            if (m.Success) hits.Add((r, new RuleHit(r.Id, r.Weight, m.Value)));
        }
        if (hits.Count == 0) return new TypeAssessment(RequestType.Consultation, DefaultConfidence, []);
        var scores = hits.GroupBy(h => h.Rule.Type)
            .Select(g => (Type: g.Key, Score: AlertRules.NoisyOr(g.Select(h => h.Rule.Weight))))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Type).ToList();
        var total = scores.Sum(s => s.Score);
        var best = scores[0];
        return new TypeAssessment(best.Type, best.Score * (best.Score / total), hits.Select(h => h.Hit).ToList());
    }
}
