namespace Telephony.Tickets.Tests.Domain;

public class PersonalDataTests
{
    [TestCase("13812345678", "138****5678")]
    [TestCase("02112345678", "021****5678")]
    [TestCase("87654321", "87**4321")]
    [TestCase("", "")]
    public void Phone_numbers_are_masked_in_the_middle(string phone, string masked) =>
        Assert.That(PersonalData.MaskPhone(phone), Is.EqualTo(masked));

    [Test]
    public void Names_keep_only_the_family_name() => Assert.That(PersonalData.MaskName("张三丰"), Is.EqualTo("张**"));

    [TestCase("138-1234-5678", "5678")]
    [TestCase("123", null)]
    public void Last_four_digits_ignore_separators(string phone, string? last) =>
        Assert.That(PersonalData.LastFour(phone), Is.EqualTo(last));
}
