using Telephony.Intake.Dispatch;
using Telephony.Intake.Rules;

namespace Telephony.Intake.Tests;

public class DispatchCatalogueTests
{
    private static readonly string[] Categories = ["城乡建设", "劳动和社会保障", "教育文体", "商贸旅游", "环境保护", "卫生计生", "交通运输"];
    private static readonly DispatchCatalogue Catalogue = DispatchCatalogue.Load(RuleFiles.Paths.Catalogue, Categories);

    [TestCase("小区燃气管道漏气", "城乡建设", "燃气公司", "gas-supply")]
    [TestCase("我们楼停电一天了", "城乡建设", "供电公司", "power-supply")]
    [TestCase("停水了，自来水什么时候恢复", "城乡建设", "水务集团", "water-supply")]
    [TestCase("公司拖欠工资三个月", "劳动和社会保障", "人社局", "social-insurance")]
    [TestCase("异地就医医保怎么报销", "劳动和社会保障", "医保局", "medical-insurance")]
    [TestCase("工厂偷排废水污染河道", "环境保护", "生态环境局", "pollution")]
    [TestCase("景区门票乱涨价", "商贸旅游", "文化和旅游局", "culture-tourism")]
    public void A_keyword_entry_names_the_department_and_itself(string text, string category, string department, string rule)
    {
        var p = Catalogue.Propose(text, category);
        Assert.That((p.Department, p.RuleId), Is.EqualTo((department, rule)));
        Assert.That(p.Reason, Does.StartWith("keyword"));
        Assert.That(p.Line, Is.GreaterThan(0));
    }

    [TestCase("城乡建设", "住建局")]
    [TestCase("教育文体", "教育局")]
    [TestCase("卫生计生", "卫健委")]
    [TestCase("交通运输", "交通运输局")]
    public void Without_a_keyword_the_category_default_applies(string category, string department)
    {
        var p = Catalogue.Propose("情况如上所述，请尽快处理", category);
        Assert.That((p.Department, p.RuleId), Is.EqualTo((department, "default-" + category)));
    }

    [Test]
    public void Without_keyword_or_category_the_fallback_applies()
    {
        var p = Catalogue.Propose("请尽快处理", null);
        Assert.That((p.Department, p.RuleId, p.Reason), Is.EqualTo(("12345热线办", "fallback", "fallback")));
    }

    [Test]
    public void A_keyword_entry_bound_to_a_category_applies_only_within_it()
    {
        Assert.That(Catalogue.Propose("小区规划变更了", "城乡建设").RuleId, Is.EqualTo("planning"));
        Assert.That(Catalogue.Propose("学校规划变更了", "教育文体").RuleId, Is.EqualTo("default-教育文体"));
    }

    [TestCase("[a]\ncategory = 城乡建设\n", 1, "has no 'department'")]
    [TestCase("[a]\ndepartment = X\ncategory = 火星\n[f]\ndepartment = Y\n", 3, "unknown category '火星'")]
    [TestCase("[a]\ndepartment = X\nkeywords = (停电\n[f]\ndepartment = Y\n", 3, "not a valid regular expression")]
    [TestCase("[a]\ndepartment = X\nkeywords = 停电\n", 1, "no fallback entry")]
    [TestCase("[f]\ndepartment = Y\n[g]\ndepartment = Z\n", 3, "a second fallback")]
    [TestCase("[a]\ndepartment = X\ncategory = 城乡建设\n[b]\ndepartment = Z\ncategory = 城乡建设\n[f]\ndepartment = Y\n", 4, "a second default for category")]
    [TestCase("[a]\ndepartmnet = X\n", 2, "unknown key 'departmnet'")]
    public void A_bad_catalogue_is_refused_naming_the_line_and_the_reason(string text, int line, string reason)
    {
        var e = Assert.Throws<RuleFileException>(() => DispatchCatalogue.Parse(text, "catalogue.rules", Categories))!;
        Assert.That(e.Line, Is.EqualTo(line));
        Assert.That(e.Reason, Does.Contain(reason));
    }
}
