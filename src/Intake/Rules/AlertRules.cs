using System.Text.RegularExpressions;

namespace Telephony.Intake.Rules;

/// <summary>One weighted pattern: an urgent situation, or an emergency for <see cref="Service"/> (110 police, 119 fire, 120 ambulance).</summary>
public sealed record AlertRule(string Id, double Weight, Regex Pattern, Regex? Unless, string? Service, string Description, int Line);

/// <summary>A rule that fired, with the text it matched.</summary>
public sealed record RuleHit(string RuleId, double Weight, string Matched);

/// <summary>
/// Weighted keyword/pattern rules (config/intake/urgency.rules, emergency.rules) with negation
/// (config/intake/negation.rules). A match is discarded when its sentence also matches a negation cue
/// ("上次着火的事已经处理了": past and handled) or the rule's own <c>unless</c> pattern. The weights of
/// the rules that fired combine as a noisy-OR, 1 − Π(1 − w), so two weak signs make a stronger one
/// but no sum passes 1.
/// </summary>
public sealed class AlertRules
{
    public const double Threshold = 0.5;
    public static readonly string[] Services = ["110", "119", "120"];

    private static readonly char[] SentenceEnds = ['。', '！', '？', '!', '?', '；', ';', '\n'];

    public IReadOnlyList<AlertRule> Rules { get; }
    public IReadOnlyList<(string Id, Regex Pattern)> Negations { get; }

    public AlertRules(IReadOnlyList<AlertRule> rules, IReadOnlyList<(string Id, Regex Pattern)> negations)
    {
        Rules = rules;
        Negations = negations;
    }

    /// <summary>Loads a rule file; <paramref name="emergency"/> files need a <c>service</c> (110, 119 or 120) on every rule.</summary>
    public static IReadOnlyList<AlertRule> LoadRules(string path, bool emergency) => ParseRules(File.Exists(path) ? File.ReadAllText(path) : throw new RuleFileException(path, 0, "file not found"), path, emergency);

    public static IReadOnlyList<AlertRule> ParseRules(string text, string fileName, bool emergency)
    {
        var rules = new List<AlertRule>();
        foreach (var s in RuleDocument.Parse(text, fileName))
        {
            s.OnlyKeys(emergency ? ["service", "weight", "pattern", "unless", "description"] : ["weight", "pattern", "unless", "description"]);
            string? service = null;
            if (emergency)
            {
                service = s.Required("service");
                if (!Services.Contains(service)) throw new RuleFileException(fileName, s.LineOf("service"), $"service must be 110, 119 or 120, not '{service}'");
            }
            rules.Add(new AlertRule(s.Id, s.Weight(), s.Pattern("pattern", true)!, s.Pattern("unless", false), service, s.Optional("description") ?? "", s.Line));
        }
        if (rules.Count == 0) throw new RuleFileException(fileName, 1, "no rules in the file");
        return rules;
    }

    public static IReadOnlyList<(string Id, Regex Pattern)> LoadNegations(string path) =>
        ParseNegations(File.Exists(path) ? File.ReadAllText(path) : throw new RuleFileException(path, 0, "file not found"), path);

    public static IReadOnlyList<(string Id, Regex Pattern)> ParseNegations(string text, string fileName) =>
        RuleDocument.Parse(text, fileName).Select(s =>
        {
            s.OnlyKeys("pattern", "description");
            return (s.Id, s.Pattern("pattern", true)!);
        }).ToList();

    /// <summary>Every rule that fires on the text, negated matches left out.</summary>
    public IReadOnlyList<(AlertRule Rule, RuleHit Hit)> Match(string text)
    {
        var hits = new List<(AlertRule, RuleHit)>();
        foreach (var rule in Rules)
        {
            try
            {
                foreach (Match m in rule.Pattern.Matches(text))
                {
                    var sentence = SentenceAround(text, m.Index, m.Length);
                    if (rule.Unless?.IsMatch(sentence) == true) continue;
                    if (Negations.Any(n => n.Pattern.IsMatch(sentence))) continue;
                    hits.Add((rule, new RuleHit(rule.Id, rule.Weight, m.Value)));
                    break;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A runaway pattern on one text: that rule does not fire; the others still decide.
            }
        }
        return hits;
    }

    public static double NoisyOr(IEnumerable<double> weights) => 1 - weights.Aggregate(1.0, (p, w) => p * (1 - w));

    internal static string SentenceAround(string text, int index, int length)
    {
        var start = index == 0 ? 0 : text.LastIndexOfAny(SentenceEnds, index - 1) + 1;
        var end = text.IndexOfAny(SentenceEnds, index + length);
        return text[start..(end < 0 ? text.Length : end)];
    }
}
