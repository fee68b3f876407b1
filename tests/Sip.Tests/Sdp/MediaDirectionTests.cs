using Telephony.Sip.Sdp;

namespace Telephony.Sip.Tests.Sdp;

public class MediaDirectionTests
{
    private static (SessionDescription Sdp, MediaDescription Audio) Parse(string audioLines, string session = "", string connection = "192.0.2.10")
    {
        Assert.That(SessionDescription.TryParse(SdpSamples.WithAudio(audioLines, session, connection), out var sdp, out var error), Is.True, error);
        return (sdp!, sdp!.MediaDescriptions[0]);
    }

    [Test]
    public void Direction_defaults_to_sendrecv()
    {
        var (sdp, audio) = Parse("");
        Assert.That(sdp.EffectiveDirection(audio), Is.EqualTo(MediaDirection.SendRecv));
    }

    [Test]
    public void Session_level_direction_applies_when_media_has_none()
    {
        var (sdp, audio) = Parse("", session: "a=sendonly");
        Assert.That(sdp.EffectiveDirection(audio), Is.EqualTo(MediaDirection.SendOnly));
    }

    [Test]
    public void Media_level_direction_wins_over_session_level()
    {
        var (sdp, audio) = Parse("a=inactive", session: "a=sendonly");
        Assert.That(sdp.EffectiveDirection(audio), Is.EqualTo(MediaDirection.Inactive));
    }

    [Test]
    public void Old_style_hold_on_0_0_0_0_counts_as_sendonly()
    {
        var (sdp, audio) = Parse("a=sendrecv", connection: "0.0.0.0");
        Assert.That(sdp.EffectiveDirection(audio), Is.EqualTo(MediaDirection.SendOnly));
    }

    [Test]
    public void Recvonly_on_0_0_0_0_is_inactive()
    {
        var (sdp, audio) = Parse("a=recvonly", connection: "0.0.0.0");
        Assert.That(sdp.EffectiveDirection(audio), Is.EqualTo(MediaDirection.Inactive));
    }

    [TestCase(MediaDirection.SendRecv, MediaDirection.SendRecv)]
    [TestCase(MediaDirection.SendOnly, MediaDirection.RecvOnly)]
    [TestCase(MediaDirection.RecvOnly, MediaDirection.SendOnly)]
    [TestCase(MediaDirection.Inactive, MediaDirection.Inactive)]
    public void Mirror_swaps_send_and_receive(MediaDirection direction, MediaDirection mirrored)
    {
        Assert.That(direction.Mirror(), Is.EqualTo(mirrored));
    }

    [Test]
    public void Setting_direction_replaces_the_attribute_in_place()
    {
        var (_, audio) = Parse("a=sendrecv\r\na=label:1");
        audio.Direction = MediaDirection.SendOnly;

        Assert.That(audio.Attributes.Select(a => a.ToString()), Is.EqualTo(new[]
        {
            "rtpmap:9 G722/8000", "rtpmap:101 telephone-event/8000", "fmtp:101 0-16", "sendonly", "label:1",
        }));
    }

    [Test]
    public void Direction_attribute_names_are_case_insensitive()
    {
        var (sdp, audio) = Parse("a=SendOnly");
        Assert.That(sdp.EffectiveDirection(audio), Is.EqualTo(MediaDirection.SendOnly));
    }
}
