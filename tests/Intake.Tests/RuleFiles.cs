using Telephony.Intake;
using Telephony.Intake.Rules;

namespace Telephony.Intake.Tests;

/// <summary>The repository's own rule files, loaded as serve loads them.</summary>
internal static class RuleFiles
{
    public static IntakeRuleFiles Paths => IntakeRuleFiles.Under(RepositoryPaths.Root);
    private static readonly Lazy<IReadOnlyList<(string, System.Text.RegularExpressions.Regex)>> NegationsLazy = new(() => AlertRules.LoadNegations(Paths.Negation));
    public static UrgencyRules Urgency => new(new AlertRules(AlertRules.LoadRules(Paths.Urgency, emergency: false), NegationsLazy.Value));
    public static EmergencyRules Emergency => new(new AlertRules(AlertRules.LoadRules(Paths.Emergency, emergency: true), NegationsLazy.Value));
}
