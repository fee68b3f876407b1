using Telephony.Media.Codecs;

namespace Telephony.Media.Tests.Codecs;

public class AudioCodecsTests
{
    [TestCase("G722", 9, 16000)]
    [TestCase("pcmu", 0, 8000)]
    [TestCase("PCMA", 8, 8000)]
    public void Creates_a_codec_by_encoding_name_and_by_static_payload_type(string name, int payloadType, int rate)
    {
        var byName = AudioCodecs.Create(name);
        var byType = AudioCodecs.Create(payloadType);
        Assert.That(byName.Name, Is.EqualTo(name.ToUpperInvariant()));
        Assert.That(byType.Name, Is.EqualTo(byName.Name));
        Assert.That(byName.StaticPayloadType, Is.EqualTo(payloadType));
        Assert.That(byName.SampleRate, Is.EqualTo(rate));
        Assert.That(byName.RtpClockRate, Is.EqualTo(8000));
        Assert.That(byName.EncodedLength(rate / 50), Is.EqualTo(160), "20 ms is 160 bytes for all three");
    }

    [Test]
    public void Each_creation_is_a_new_instance_with_its_own_state()
    {
        Assert.That(AudioCodecs.Create("G722"), Is.Not.SameAs(AudioCodecs.Create("G722")));
    }

    [Test]
    public void Preference_is_g722_then_pcmu_then_pcma_whatever_the_offer_order()
    {
        Assert.That(AudioCodecs.Preference, Is.EqualTo(new[] { "G722", "PCMU", "PCMA" }));
        Assert.That(AudioCodecs.Choose(["PCMA", "PCMU", "G722"]), Is.EqualTo("G722"));
        Assert.That(AudioCodecs.Choose(["PCMA", "telephone-event", "PCMU"]), Is.EqualTo("PCMU"));
        Assert.That(AudioCodecs.Choose(["opus", "PCMA"]), Is.EqualTo("PCMA"));
        Assert.That(AudioCodecs.Choose(["opus", "GSM"]), Is.Null);
        Assert.That(AudioCodecs.Rank("pcma"), Is.EqualTo(2));
        Assert.That(AudioCodecs.Rank("opus"), Is.EqualTo(-1));
    }

    [Test]
    public void An_unsupported_codec_is_refused_naming_the_supported_ones()
    {
        Assert.That(AudioCodecs.TryCreate("opus", out _), Is.False);
        Assert.That(AudioCodecs.TryCreate(3, out _), Is.False);
        Assert.That(() => AudioCodecs.Create("GSM"), Throws.ArgumentException.With.Message.Contains("G722, PCMU, PCMA"));
        Assert.That(() => AudioCodecs.Create(18), Throws.ArgumentException.With.Message.Contains("0 (PCMU)"));
    }
}
