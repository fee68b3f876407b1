using Telephony.Intake.Classification;
using Telephony.Intake.Dispatch;
using Telephony.Intake.Rules;
using Telephony.Intake.Similar;

namespace Telephony.Intake;

/// <summary>Everything intake proposes for one request; the agent confirms or corrects it.</summary>
public sealed record IntakeProposal(
    IReadOnlyList<CategoryScore> Categories,
    DepartmentProposal Department,
    UrgencyAssessment Urgency,
    EmergencyAssessment Emergency,
    TypeAssessment Type,
    IReadOnlyList<SimilarCase> SimilarOrders,
    SimilarCase? ProposedDuplicate);

/// <summary>The rule files of one deployment (editable by operators; see docs/intake.md).</summary>
public sealed record IntakeRuleFiles(string Urgency, string Emergency, string Negation, string Type, string Catalogue)
{
    public static IntakeRuleFiles Under(string root) => new(
        Path.Combine(root, "config", "intake", "urgency.rules"),
        Path.Combine(root, "config", "intake", "emergency.rules"),
        Path.Combine(root, "config", "intake", "negation.rules"),
        Path.Combine(root, "config", "intake", "type.rules"),
        Path.Combine(root, "config", "dispatch", "catalogue.rules"));
}

/// <summary>
/// The prediction API: text → top-3 categories with probabilities, department (and the catalogue rule
/// that chose it), urgency, emergency (110/119/120), request type, similar open orders and a proposed
/// duplicate. Everything runs in-process; the classifier is optional (no model: department from keywords
/// or the fallback).
/// </summary>
public sealed class IntakeAnalyzer(
    CategoryClassifier? classifier, DispatchCatalogue catalogue, UrgencyRules urgency, EmergencyRules emergency,
    RequestTypeRules types, SimilarCaseIndex? similar = null)
{
    public CategoryClassifier? Classifier { get; } = classifier;
    public SimilarCaseIndex? Similar { get; } = similar;

    /// <summary>Loads every rule file; the first bad file stops with its line and reason and nothing is applied.</summary>
    public static IntakeAnalyzer Load(IntakeRuleFiles files, CategoryClassifier? classifier, SimilarCaseIndex? similar = null)
    {
        var negations = AlertRules.LoadNegations(files.Negation);
        return new IntakeAnalyzer(
            classifier,
            DispatchCatalogue.Load(files.Catalogue, classifier?.Categories),
            new UrgencyRules(new AlertRules(AlertRules.LoadRules(files.Urgency, emergency: false), negations)),
            new EmergencyRules(new AlertRules(AlertRules.LoadRules(files.Emergency, emergency: true), negations)),
            RequestTypeRules.Load(files.Type),
            similar);
    }

    public IntakeProposal Analyze(string text, int similarCount = 5)
    {
        var prepared = TextPreparation.Compose(null, text);
        var categories = Classifier?.PredictPrepared(prepared) ?? [];
        var best = categories.Length > 0 ? categories[0].Category : null;
        var similarOrders = Similar?.Search(text, similarCount) ?? [];
        return new IntakeProposal(
            categories,
            catalogue.Propose(prepared, best),
            urgency.Assess(prepared),
            emergency.Assess(prepared),
            types.Assess(prepared),
            similarOrders,
            Similar?.ProposedDuplicate(similarOrders));
    }
}
