using Telephony.Intake.Rules;

namespace Telephony.Intake.Tests;

public class RequestTypeRulesTests
{
    private static readonly RequestTypeRules Rules = RequestTypeRules.Load(RuleFiles.Paths.Type);

    [TestCase("请问公积金贷款怎么办理，需要什么材料", RequestType.Consultation)]
    [TestCase("我要投诉小区物业乱收费", RequestType.Complaint)]
    [TestCase("家里困难，请求帮助解决孩子上学问题，求助", RequestType.Help)]
    [TestCase("举报工厂夜间偷排废水", RequestType.Report)]
    [TestCase("建议在路口增设红绿灯", RequestType.Suggestion)]
    [TestCase("感谢社区工作人员，为他们点赞", RequestType.Praise)]
    public void Cue_words_give_the_type(string text, RequestType type)
    {
        var a = Rules.Assess(text);
        Assert.That(a.Type, Is.EqualTo(type));
        Assert.That(a.Confidence, Is.GreaterThan(RequestTypeRules.DefaultConfidence));
    }

    [Test]
    public void Mixed_cues_are_less_sure_than_one_clear_cue()
    {
        var clear = Rules.Assess("我要投诉小区物业");
        var mixed = Rules.Assess("我要投诉小区物业，也建议加装路灯");
        Assert.That(mixed.Type, Is.EqualTo(RequestType.Complaint));
        Assert.That(mixed.Confidence, Is.LessThan(clear.Confidence));
    }

    [Test]
    public void No_cue_is_a_consultation_with_a_low_confidence()
    {
        var a = Rules.Assess("小区门口");
        Assert.That((a.Type, a.Confidence, a.Hits.Count), Is.EqualTo((RequestType.Consultation, RequestTypeRules.DefaultConfidence, 0)));
    }
}
