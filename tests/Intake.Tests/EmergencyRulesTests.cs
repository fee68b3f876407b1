namespace Telephony.Intake.Tests;

/// <summary>Every rule of config/intake/emergency.rules: positive, negative, and the service it calls.</summary>
public class EmergencyRulesTests
{
    private static readonly (string Rule, string Service, string Positive, string Negative)[] Cases =
    [
        ("fire", "119", "楼下餐馆着火了，烟很大", "楼道堆满杂物，存在火灾隐患"),
        ("explosion", "119", "工厂那边刚刚爆炸了，玻璃都震碎了", "现在是信息爆炸的时代"),
        ("gas-explosion-risk", "119", "厨房天然气漏气了", "天然气开户要多久"),
        ("drowning", "110", "河边有人落水了，快来人", "学校开展防溺水教育"),
        ("crime-in-progress", "110", "有人正在撬门偷东西", "小区门禁坏了"),
        ("violence", "110", "隔壁在家暴，打人了，女的在喊救命", "邻居吵架声音很大"),
        ("suicide", "110", "楼顶有个人扬言要跳楼", "楼顶防水层坏了"),
        ("traffic-injury", "120", "十字路口发生车祸，有人受伤流血了", "十字路口红绿灯时间太短"),
        ("medical", "120", "我爸突然晕倒了，叫不醒", "医院排队时间太长"),
        ("injury", "120", "老人在楼梯摔倒了起不来", "楼梯扶手松了"),
    ];

    public static IEnumerable<TestCaseData> Positives => Cases.Select(c => new TestCaseData(c.Rule, c.Positive).SetArgDisplayNames(c.Rule));
    public static IEnumerable<TestCaseData> Negatives => Cases.Select(c => new TestCaseData(c.Rule, c.Negative).SetArgDisplayNames(c.Rule));

    [TestCaseSource(nameof(Positives))]
    public void Rule_fires_on_its_positive_example(string rule, string text) =>
        Assert.That(RuleFiles.Emergency.Assess(text).Hits.Select(h => h.RuleId), Does.Contain(rule));

    [TestCaseSource(nameof(Negatives))]
    public void Rule_stays_quiet_on_its_negative_example(string rule, string text)
    {
        var a = RuleFiles.Emergency.Assess(text);
        Assert.That(a.Hits.Select(h => h.RuleId), Does.Not.Contain(rule));
        Assert.That(a.IsEmergency, Is.False);
    }

    [Test]
    public void Every_rule_in_the_file_has_a_positive_and_a_negative_case() =>
        Assert.That(RuleFiles.Emergency.Rules.Rules.Select(r => r.Id), Is.EquivalentTo(Cases.Select(c => c.Rule)));

    [TestCase("楼下餐馆着火了，烟很大", "119")]
    [TestCase("有人正在撬门偷东西", "110")]
    [TestCase("我爸突然晕倒了，叫不醒", "120")]
    [TestCase("十字路口发生车祸，有人受伤流血了", "120")]
    public void An_emergency_goes_to_its_service(string text, string service)
    {
        var a = RuleFiles.Emergency.Assess(text);
        Assert.That(a.IsEmergency, Is.True);
        Assert.That(a.Service, Is.EqualTo(service));
    }

    [TestCase("上次着火的事已经处理了")]
    [TestCase("上次着火的事已经处理了，想问问保险怎么赔")]
    [TestCase("火已经扑灭了，现在想投诉物业消防设施不到位")]
    [TestCase("没有着火，只是有点烟味")]
    [TestCase("万一着火了怎么办，楼道里全是电动车")]
    [TestCase("去年小区发生火灾，到现在还没赔偿")]
    public void A_past_handled_denied_or_hypothetical_fire_is_not_an_emergency(string text)
    {
        var a = RuleFiles.Emergency.Assess(text);
        Assert.That(a.IsEmergency, Is.False, string.Join(", ", a.Hits.Select(h => h.RuleId + ":" + h.Matched)));
    }

    [Test]
    public void A_new_fire_after_an_old_handled_one_is_an_emergency()
    {
        var a = RuleFiles.Emergency.Assess("上次着火的事已经处理了。现在楼下又着火了！");
        Assert.That(a.IsEmergency, Is.True);
        Assert.That(a.Service, Is.EqualTo("119"));
    }

    [Test]
    public void A_gas_leak_alone_is_urgent_but_not_an_emergency()
    {
        Assert.That(RuleFiles.Emergency.Assess("厨房天然气漏气了").IsEmergency, Is.False);
        Assert.That(RuleFiles.Urgency.Assess("厨房天然气漏气了").IsUrgent, Is.True);
    }
}
