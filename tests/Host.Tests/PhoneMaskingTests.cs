using Telephony.Host.Logging;

namespace Telephony.Host.Tests;

public class PhoneMaskingTests
{
    [TestCase("13812345678", "138****5678")]
    [TestCase("+8613812345678", "+86*******5678")]
    [TestCase("02787654321", "027****4321")]
    [TestCase("1234567", "12*4567")]
    public void Phone_numbers_keep_only_head_and_last_four_digits(string number, string expected) =>
        Assert.That(PhoneMasking.MaskNumber(number), Is.EqualTo(expected));

    [Test]
    public void Numbers_inside_sip_uris_and_sentences_are_masked() =>
        Assert.That(PhoneMasking.Mask("call from sip:13812345678@10.0.0.1 to 12345"),
            Is.EqualTo("call from sip:138****5678@10.0.0.1 to 12345"));

    [Test]
    public void Short_service_numbers_stay_readable() =>
        Assert.That(PhoneMasking.Mask("dial 12345 or 110"), Is.EqualTo("dial 12345 or 110"));
}
