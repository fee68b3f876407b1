namespace Telephony.Intake.Tests;

/// <summary>Every rule of config/intake/urgency.rules fires on its positive and not on its negative.</summary>
public class UrgencyRulesTests
{
    // rule id, a request that must fire it, a close one that must not.
    private static readonly (string Rule, string Positive, string Negative)[] Cases =
    [
        ("power-cut-life-support", "我们小区突然停电了，我父亲在家用呼吸机，现在很危险", "小区停电了，什么时候来电"),
        ("gas-leak", "楼道里燃气泄漏了，味道很大", "燃气费涨价了想咨询一下"),
        ("water-main-burst", "路口的自来水管爆裂了，水喷得到处都是", "自来水管老化，建议更换"),
        ("flooding-now", "下大雨地下室淹了，水还在往里灌", "地下室有点潮湿"),
        ("trapped-in-lift", "有人被困在电梯里出不来了", "电梯经常坏，希望物业维修"),
        ("missing-elderly", "我家老人早上出门走失了，有老年痴呆", "老人的养老金什么时候发"),
        ("missing-child", "孩子放学后不见了，到现在联系不上", "孩子上学的学位问题"),
        ("no-water-heat-vulnerable", "停水三天了，家里有老人和婴儿，非常着急", "停水了"),
        ("outage-long", "我们这里停电两天了，一直没人管", "昨天停电一会儿"),
        ("collapse-danger", "小区围墙倒塌了，压到了车", "围墙需要刷漆"),
        ("live-wire", "电线断了掉在路上，很危险", "电线太乱影响市容"),
        ("manhole-open", "人行道上的井盖丢失了，晚上很容易掉下去", "井盖有点响"),
        ("urgent-words", "情况十万火急，房子墙体裂开了", "不急，慢慢处理"),
    ];

    public static IEnumerable<TestCaseData> Positives => Cases.Select(c => new TestCaseData(c.Rule, c.Positive).SetArgDisplayNames(c.Rule));
    public static IEnumerable<TestCaseData> Negatives => Cases.Select(c => new TestCaseData(c.Rule, c.Negative).SetArgDisplayNames(c.Rule));

    [TestCaseSource(nameof(Positives))]
    public void Rule_fires_on_its_positive_example(string rule, string text) =>
        Assert.That(RuleFiles.Urgency.Assess(text).Hits.Select(h => h.RuleId), Does.Contain(rule));

    [TestCaseSource(nameof(Negatives))]
    public void Rule_stays_quiet_on_its_negative_example(string rule, string text) =>
        Assert.That(RuleFiles.Urgency.Assess(text).Hits.Select(h => h.RuleId), Does.Not.Contain(rule));

    [Test]
    public void Every_rule_in_the_file_has_a_positive_and_a_negative_case() =>
        Assert.That(RuleFiles.Urgency.Rules.Rules.Select(r => r.Id), Is.EquivalentTo(Cases.Select(c => c.Rule)));

    [Test]
    public void Power_cut_with_life_support_is_urgent_on_its_own()
    {
        var a = RuleFiles.Urgency.Assess("停电了，家里老人要用制氧机");
        Assert.That(a.IsUrgent, Is.True);
        Assert.That(a.Hits.Select(h => h.RuleId), Does.Contain("power-cut-life-support"));
        Assert.That(a.Score, Is.GreaterThanOrEqualTo(0.95));
    }

    [Test]
    public void Two_weak_signs_combine_to_urgent_but_one_does_not()
    {
        Assert.That(RuleFiles.Urgency.Assess("我们这里停电两天了").IsUrgent, Is.False);
        var both = RuleFiles.Urgency.Assess("停电两天了，家里有老人，情况紧急");
        Assert.That(both.Hits, Has.Count.GreaterThanOrEqualTo(2));
        Assert.That(both.IsUrgent, Is.True);
    }

    [Test]
    public void A_handled_past_event_is_not_urgent() =>
        Assert.That(RuleFiles.Urgency.Assess("上次燃气泄漏的事已经处理了，想问一下赔偿").IsUrgent, Is.False);

    [Test]
    public void An_ordinary_complaint_is_not_urgent() =>
        Assert.That(RuleFiles.Urgency.Assess("小区物业乱收停车费，要求退还").Score, Is.EqualTo(0));
}
