using Telephony.Intake.Rules;
using Telephony.Intake.Similar;

namespace Telephony.Intake.Tests;

public class IntakeAnalyzerTests
{
    [Test]
    public void One_call_gives_department_urgency_emergency_type_and_similar_orders()
    {
        var index = new SimilarCaseIndex();
        index.Add(new CaseRecord("WO1", "阳光小区3栋燃气管道漏气，味道很大，请燃气公司来查看", IsOpen: true));
        var analyzer = IntakeAnalyzer.Load(RuleFiles.Paths, classifier: null, index);

        var p = analyzer.Analyze("我要投诉，阳光小区3栋的燃气管道漏气了，味道很大，燃气公司一直不来");

        Assert.That(p.Categories, Is.Empty, "no model given");
        Assert.That((p.Department.Department, p.Department.RuleId), Is.EqualTo(("燃气公司", "gas-supply")));
        Assert.That(p.Urgency.IsUrgent, Is.True);
        Assert.That(p.Urgency.Hits.Select(h => h.RuleId), Does.Contain("gas-leak"));
        Assert.That(p.Emergency.IsEmergency, Is.False);
        Assert.That(p.Type.Type, Is.EqualTo(RequestType.Complaint));
        Assert.That(p.SimilarOrders.Single().OrderId, Is.EqualTo("WO1"));
        Assert.That(p.ProposedDuplicate?.OrderId, Is.EqualTo("WO1"));
    }

    [Test]
    public void A_bad_rule_file_stops_loading_with_its_line()
    {
        var dir = RepositoryPaths.NewScratchDirectory("rules");
        try
        {
            var bad = Path.Combine(dir, "urgency.rules");
            File.WriteAllText(bad, "[x]\nweight = 2\npattern = a\n");
            var e = Assert.Throws<RuleFileException>(() => IntakeAnalyzer.Load(RuleFiles.Paths with { Urgency = bad }, null))!;
            Assert.That(e.Message, Does.StartWith(bad + ":2: "));
        }
        finally { Directory.Delete(dir, true); }
    }
}
