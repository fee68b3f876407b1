using System.Net;
using Telephony.Sip.Sdp;

namespace Telephony.Sip.Tests.Sdp;

public class OfferAnswerTests
{
    internal static readonly LocalMedia Local = new()
    {
        Address = IPAddress.Parse("10.1.2.3"),
        RtpPort = 40000,
        SessionId = 777,
        SessionVersion = 1,
        Username = "hotline",
    };

    internal static SessionDescription Parse(string text)
    {
        Assert.That(SessionDescription.TryParse(text, out var sdp, out var error), Is.True, error);
        return sdp!;
    }

    private static AnswerResult Answer(string offer, LocalMedia? local = null)
    {
        var result = OfferAnswer.Answer(Parse(offer), local ?? Local);
        if (result.Success)
        {
            // Whatever we answer must itself be valid SDP that parses back to the same text.
            Assert.That(Parse(result.Answer.ToString()).ToString(), Is.EqualTo(result.Answer.ToString()));
        }
        return result;
    }

    [Test]
    public void Answer_prefers_g722_then_pcmu_and_keeps_telephone_event()
    {
        var result = Answer(SdpSamples.Baresip);

        Assert.That(result.Success, Is.True, result.Reason);
        Assert.That(result.Negotiated!.Codec, Is.EqualTo(AudioCodec.G722));
        Assert.That(result.Negotiated.TelephoneEventPayloadType, Is.EqualTo(101));
        var audio = result.Answer!.MediaDescriptions[0];
        Assert.That(audio.Formats, Is.EqualTo(new[] { "9", "101" }));
        Assert.That(audio.GetRtpMap("9"), Is.EqualTo(AudioCodec.G722));
        Assert.That(audio.GetFmtp("101"), Is.EqualTo("0-16"));
    }

    [Test]
    public void Our_preference_beats_the_offerers_order()
    {
        var result = Answer(SdpSamples.WithAudio("").Replace("RTP/AVP 9 0 8 101", "RTP/AVP 8 0 101"));

        Assert.That(result.Negotiated!.Codec, Is.EqualTo(AudioCodec.Pcmu));
    }

    [Test]
    public void Pcma_only_offer_is_answered_with_pcma()
    {
        var result = Answer(SdpSamples.SippPcma);

        Assert.That(result.Success, Is.True, result.Reason);
        Assert.That(result.Negotiated!.Codec, Is.EqualTo(AudioCodec.Pcma));
        Assert.That(result.Negotiated.RemoteRtp, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 6000)));
        Assert.That(result.Answer!.MediaDescriptions[0].Formats, Is.EqualTo(new[] { "8", "101" }));
    }

    [Test]
    public void Telephone_event_keeps_the_offerers_payload_number()
    {
        var result = Answer(SdpSamples.CarrierSbc);

        Assert.That(result.Negotiated!.Codec, Is.EqualTo(AudioCodec.Pcmu));
        Assert.That(result.Negotiated.TelephoneEventPayloadType, Is.EqualTo(97));
        var audio = result.Answer!.MediaDescriptions[0];
        Assert.That(audio.Formats, Is.EqualTo(new[] { "0", "97" }));
        Assert.That(audio.GetRtpMap("97"), Is.EqualTo(new AudioCodec("telephone-event", 97, 8000)));
        Assert.That(audio.GetFmtp("97"), Is.EqualTo("0-16"));
    }

    [Test]
    public void Telephone_event_is_left_out_when_not_offered()
    {
        var result = Answer(SdpSamples.WithAudio("").Replace("RTP/AVP 9 0 8 101", "RTP/AVP 0"));

        Assert.That(result.Negotiated!.TelephoneEventPayloadType, Is.Null);
        Assert.That(result.Answer!.MediaDescriptions[0].Formats, Is.EqualTo(new[] { "0" }));
    }

    [Test]
    public void Telephone_event_at_another_clock_rate_than_the_codec_is_not_taken()
    {
        var offer = SdpSamples.WithAudio("a=rtpmap:102 telephone-event/48000")
            .Replace("RTP/AVP 9 0 8 101", "RTP/AVP 0 102");

        Assert.That(Answer(offer).Negotiated!.TelephoneEventPayloadType, Is.Null);
    }

    [Test]
    public void Dynamic_payload_names_match_without_case()
    {
        var offer = SdpSamples.WithAudio("a=rtpmap:96 pcma/8000\r\na=rtpmap:100 Telephone-Event/8000")
            .Replace("RTP/AVP 9 0 8 101", "RTP/AVP 96 100");

        var result = Answer(offer);

        Assert.That(result.Negotiated!.Codec, Is.EqualTo(new AudioCodec("pcma", 96, 8000)));
        Assert.That(result.Negotiated.TelephoneEventPayloadType, Is.EqualTo(100));
        Assert.That(result.Answer!.MediaDescriptions[0].Formats, Is.EqualTo(new[] { "96", "100" }));
    }

    [Test]
    public void G722_written_with_16000_hz_is_still_g722()
    {
        var offer = SdpSamples.WithAudio("").Replace("a=rtpmap:9 G722/8000", "a=rtpmap:9 G722/16000");

        Assert.That(Answer(offer).Negotiated!.Codec.Name, Is.EqualTo("G722"));
    }

    [Test]
    public void No_common_codec_fails_with_a_reason()
    {
        var result = Answer(SdpSamples.Opus);

        Assert.That(result.Success, Is.False);
        Assert.That(result.Answer, Is.Null);
        Assert.That(result.Reason, Does.Contain("no codec in common").And.Contain("opus/48000/2").And.Contain("G729/8000"));
    }

    [Test]
    public void Video_line_is_refused_with_port_0_in_its_place()
    {
        var result = Answer(SdpSamples.Baresip);

        var video = result.Answer!.MediaDescriptions[1];
        Assert.That(result.Answer.MediaDescriptions, Has.Count.EqualTo(2));
        Assert.That((video.Media, video.Port, video.Protocol), Is.EqualTo(("video", 0, "RTP/AVP")));
        Assert.That(video.Formats, Is.EqualTo(new[] { "100" }));
        Assert.That(result.Negotiated!.MediaIndex, Is.EqualTo(0));
    }

    [Test]
    public void Video_before_audio_keeps_the_order()
    {
        var offer = SdpSamples.Crlf("""
            v=0
            o=- 1 1 IN IP4 192.0.2.1
            s=-
            c=IN IP4 192.0.2.1
            t=0 0
            m=video 5002 RTP/AVP 96
            a=rtpmap:96 VP8/90000
            m=audio 5000 RTP/AVP 0
            """);

        var result = Answer(offer);

        Assert.That(result.Answer!.MediaDescriptions.Select(m => (m.Media, m.Port)),
            Is.EqualTo(new[] { ("video", 0), ("audio", 40000) }));
        Assert.That(result.Negotiated!.MediaIndex, Is.EqualTo(1));
        Assert.That(result.Negotiated.RemoteRtp!.Port, Is.EqualTo(5000));
    }

    [Test]
    public void Secure_rtp_audio_is_refused_and_without_plain_rtp_negotiation_fails()
    {
        var result = Answer(SdpSamples.SippPcma.Replace("RTP/AVP", "RTP/SAVP"));

        Assert.That(result.Success, Is.False);
        Assert.That(result.Reason, Does.Contain("RTP/AVP"));
    }

    [Test]
    public void Second_audio_stream_is_refused()
    {
        var offer = SdpSamples.SippPcma + "m=audio 6002 RTP/AVP 0\r\n";

        var result = Answer(offer);

        Assert.That(result.Answer!.MediaDescriptions.Select(m => m.Port), Is.EqualTo(new[] { 40000, 0 }));
    }

    [Test]
    public void Audio_stream_disabled_by_the_offerer_is_skipped()
    {
        var offer = SdpSamples.SippPcma.Replace("m=audio 6000", "m=audio 0") + "m=audio 6002 RTP/AVP 0\r\n";

        var result = Answer(offer);

        Assert.That(result.Answer!.MediaDescriptions.Select(m => m.Port), Is.EqualTo(new[] { 0, 40000 }));
        Assert.That(result.Negotiated!.Codec, Is.EqualTo(AudioCodec.Pcmu));
    }

    [TestCase("a=sendonly", MediaDirection.RecvOnly)]
    [TestCase("a=recvonly", MediaDirection.SendOnly)]
    [TestCase("a=inactive", MediaDirection.Inactive)]
    [TestCase("a=sendrecv", MediaDirection.SendRecv)]
    [TestCase("", MediaDirection.SendRecv)]
    public void Answer_mirrors_the_offered_direction(string attribute, MediaDirection expected)
    {
        var result = Answer(SdpSamples.WithAudio(attribute));

        Assert.That(result.Negotiated!.Direction, Is.EqualTo(expected));
        Assert.That(result.Answer!.MediaDescriptions[0].Direction, Is.EqualTo(expected));
    }

    [Test]
    public void Hold_via_sendonly_stops_our_sending()
    {
        var result = Answer(SdpSamples.WithAudio("a=sendonly"));

        Assert.That(result.Negotiated!.CanSend, Is.False);
        Assert.That(result.Negotiated.RemoteRtp, Is.Not.Null);
    }

    [Test]
    public void Hold_via_0_0_0_0_has_no_remote_endpoint()
    {
        var result = Answer(SdpSamples.WithAudio("a=sendrecv", connection: "0.0.0.0"));

        Assert.That(result.Success, Is.True, result.Reason);
        Assert.That(result.Negotiated!.RemoteRtp, Is.Null);
        Assert.That(result.Negotiated.CanSend, Is.False);
        Assert.That(result.Negotiated.Direction, Is.EqualTo(MediaDirection.RecvOnly));
    }

    [Test]
    public void Our_own_direction_limits_the_answer()
    {
        var result = Answer(SdpSamples.WithAudio(""), Local with { Direction = MediaDirection.SendOnly });

        Assert.That(result.Negotiated!.Direction, Is.EqualTo(MediaDirection.SendOnly));
    }

    [Test]
    public void Ptime_follows_the_peer_and_maxptime_caps_it()
    {
        Assert.That(Answer(SdpSamples.WithAudio("a=ptime:30")).Negotiated!.Ptime, Is.EqualTo(30));
        Assert.That(Answer(SdpSamples.WithAudio("a=ptime:60\r\na=maxptime:40")).Negotiated!.Ptime, Is.EqualTo(40));
        Assert.That(Answer(SdpSamples.WithAudio("")).Negotiated!.Ptime, Is.EqualTo(20));
    }

    [Test]
    public void Answer_carries_our_address_port_and_origin()
    {
        var answer = Answer(SdpSamples.SippPcma).Answer!;

        Assert.That(answer.Origin, Is.EqualTo(new Origin("hotline", "777", 1, "IN", SdpAddressType.IP4, "10.1.2.3")));
        Assert.That(answer.Connection, Is.EqualTo(new ConnectionData("IN", SdpAddressType.IP4, "10.1.2.3")));
        Assert.That(answer.MediaDescriptions[0].Port, Is.EqualTo(40000));
        Assert.That(answer.MediaDescriptions[0].Ptime, Is.EqualTo(20));
    }

    [Test]
    public void Ipv6_local_address_is_written_as_ip6()
    {
        var answer = Answer(SdpSamples.SippPcma, Local with { Address = IPAddress.Parse("2001:db8::1") }).Answer!;

        Assert.That(answer.Connection!.ToString(), Is.EqualTo("IN IP6 2001:db8::1"));
        Assert.That(answer.Origin.AddressType, Is.EqualTo(SdpAddressType.IP6));
    }

    [Test]
    public void Offer_without_any_connection_line_fails()
    {
        var offer = SdpSamples.SippPcma.Replace("c=IN IP4 127.0.0.1\r\n", "");

        Assert.That(Answer(offer).Reason, Does.Contain("no c= line"));
    }

    [Test]
    public void Host_name_in_connection_line_fails()
    {
        var offer = SdpSamples.SippPcma.Replace("c=IN IP4 127.0.0.1", "c=IN IP4 media.example.cn");

        Assert.That(Answer(offer).Reason, Does.Contain("is not an IP address"));
    }

    [Test]
    public void Dynamic_payload_type_without_rtpmap_is_not_guessed()
    {
        var offer = SdpSamples.SippPcma.Replace("RTP/AVP 8 101", "RTP/AVP 96").Replace("a=rtpmap:8 PCMA/8000\r\n", "");

        Assert.That(Answer(offer).Success, Is.False);
    }
}
