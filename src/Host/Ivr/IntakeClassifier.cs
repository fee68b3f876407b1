using Telephony.Intake;
using Telephony.Ivr.Services;

namespace Telephony.Host.Ivr;

/// <summary>The flow's classify node over Intake's analyzer: category, department, urgency and the 110/119/120 rules.</summary>
public sealed class IntakeClassifier(IntakeAnalyzer analyzer) : IRequestClassifier
{
    public Task<RequestClassification> ClassifyAsync(string text, CancellationToken cancellation)
    {
        var p = analyzer.Analyze(text, similarCount: 0);
        var top = p.Categories.Count > 0 ? p.Categories[0] : default;
        return Task.FromResult(new RequestClassification(
            top.Category ?? "",
            p.Department.Department,
            p.Urgency.IsUrgent ? "urgent" : "normal",
            p.Emergency.IsEmergency,
            p.Emergency.Service,
            p.Categories.Count > 0 ? top.Probability : null));
    }
}
