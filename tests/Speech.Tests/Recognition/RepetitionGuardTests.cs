using Telephony.Speech.Recognition;

namespace Telephony.Speech.Tests.Recognition;

public class RepetitionGuardTests
{
    [TestCase("谢谢谢谢谢谢谢谢谢谢", "谢")]
    [TestCase("我家楼下很吵。我们我们我们我们我们我们", "我家楼下很吵。我们")]
    [TestCase("请尽快处理，请尽快处理，请尽快处理，请尽快处理，请尽快处理，", "请尽快处理，")]
    [TestCase("路灯坏了好好好好好好好好好好好好，谢谢", "路灯坏了好，谢谢")]
    public void A_loop_of_repeated_text_is_kept_once(string input, string expected)
    {
        Assert.That(RepetitionGuard.Cut(input, out var cut), Is.EqualTo(expected));
        Assert.That(cut);
    }

    [TestCase("好好好，我知道了")]
    [TestCase("喂喂，您好，我要投诉")]
    [TestCase("电话号码是一三八八八八八五六七八")]
    [TestCase("")]
    public void Ordinary_repetition_in_speech_is_left_alone(string input)
    {
        Assert.That(RepetitionGuard.Cut(input, out var cut), Is.EqualTo(input));
        Assert.That(cut, Is.False);
    }
}
