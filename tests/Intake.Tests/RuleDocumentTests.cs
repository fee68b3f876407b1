using Telephony.Intake.Dispatch;
using Telephony.Intake.Rules;

namespace Telephony.Intake.Tests;

public class RuleDocumentTests
{
    private static RuleFileException Refused(string text, bool emergency = false) =>
        Assert.Throws<RuleFileException>(() => AlertRules.ParseRules(text, "test.rules", emergency))!;

    [Test]
    public void Values_run_to_the_end_of_the_line_so_patterns_may_hold_bars_and_equals()
    {
        var rules = AlertRules.ParseRules("# c\n[a]\nweight = 0.5\npattern = 着火|a=b\n", "t", false);
        Assert.That(rules.Single().Pattern.ToString(), Is.EqualTo("着火|a=b"));
        Assert.That(rules.Single().Line, Is.EqualTo(2));
    }

    [TestCase("[a]\nweight = 0.5\npattern = (着火\n", 3, "not a valid regular expression")]
    [TestCase("[a]\nweight = 1.5\npattern = 着火\n", 2, "number from 0 to 1")]
    [TestCase("[a]\nweight = heavy\npattern = 着火\n", 2, "number from 0 to 1")]
    [TestCase("[a]\nweight = 0.5\n", 1, "has no 'pattern'")]
    [TestCase("[a]\nweight = 0.5\npatern = 着火\n", 3, "unknown key 'patern'")]
    [TestCase("[a]\nweight = 0.5\nweight = 0.6\npattern = x\n", 3, "given twice")]
    [TestCase("[a]\nweight = 0.5\npattern = x\n[a]\nweight = 0.5\npattern = y\n", 4, "used twice")]
    [TestCase("weight = 0.5\n", 1, "before the first [rule-id]")]
    [TestCase("[a]\njust words\n", 2, "expected 'key = value'")]
    [TestCase("[a b]\nweight = 0.5\npattern = x\n", 1, "not a valid rule id")]
    [TestCase("[a\n", 1, "must end with ']'")]
    [TestCase("# only a comment\n", 1, "no rules")]
    public void A_bad_rule_file_is_refused_naming_the_line_and_the_reason(string text, int line, string reason)
    {
        var e = Refused(text);
        Assert.That(e.Line, Is.EqualTo(line));
        Assert.That(e.Reason, Does.Contain(reason));
        Assert.That(e.Message, Does.StartWith($"test.rules:{line}: "));
    }

    [Test]
    public void An_emergency_rule_needs_a_service_of_110_119_or_120()
    {
        Assert.That(Refused("[a]\nweight = 0.5\npattern = x\n", emergency: true).Reason, Does.Contain("has no 'service'"));
        var e = Refused("[a]\nservice = 911\nweight = 0.5\npattern = x\n", emergency: true);
        Assert.That((e.Line, e.Reason), Is.EqualTo((2, "service must be 110, 119 or 120, not '911'")));
    }

    [Test]
    public void A_type_rule_with_an_unknown_type_is_refused()
    {
        var e = Assert.Throws<RuleFileException>(() => RequestTypeRules.Parse("[a]\ntype = gossip\nweight = 0.5\npattern = x\n", "type.rules"))!;
        Assert.That(e.Line, Is.EqualTo(2));
        Assert.That(e.Reason, Does.Contain("consultation, complaint, help, report, suggestion, praise"));
    }

    [Test]
    public void The_repository_rule_files_all_load()
    {
        var paths = RuleFiles.Paths;
        Assert.That(AlertRules.LoadRules(paths.Urgency, false), Has.Count.GreaterThanOrEqualTo(10));
        Assert.That(AlertRules.LoadRules(paths.Emergency, true).Select(r => r.Service).Distinct(), Is.EquivalentTo(new[] { "110", "119", "120" }));
        Assert.That(AlertRules.LoadNegations(paths.Negation), Is.Not.Empty);
        Assert.That(RequestTypeRules.Load(paths.Type).Rules.Select(r => r.Type).Distinct().Count(), Is.EqualTo(6));
        Assert.That(DispatchCatalogue.Load(paths.Catalogue).Rules, Is.Not.Empty);
    }
}
