namespace Telephony.Speech.Tests.Accuracy;

public class CharacterErrorRateTests
{
    [TestCase("我家楼下很吵", "我家楼下很吵。", 0)]
    [TestCase("路灯坏了", "路灯环了", 1)]
    [TestCase("停水两天", "停水", 2)]
    [TestCase("", "谢谢", 2)]
    public void Distance_counts_substitutions_insertions_and_deletions(string reference, string hypothesis, int expected) =>
        Assert.That(CharacterErrorRate.Distance(CharacterErrorRate.Normalize(reference), CharacterErrorRate.Normalize(hypothesis)), Is.EqualTo(expected));
}
