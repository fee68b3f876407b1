using Telephony.Sip.Sdp;

namespace Telephony.Sip.Tests.Sdp;

public class OfferTests
{
    private static readonly LocalMedia Local = OfferAnswerTests.Local;

    private static SessionDescription Parse(string text) => OfferAnswerTests.Parse(text);

    /// <summary>The peer answers our offer; the lines given replace its audio section's formats and attributes.</summary>
    private static string PeerAnswer(string formats, string attributes, string connection = "192.0.2.77") => SdpSamples.Crlf($"""
        v=0
        o=peer 5 5 IN IP4 {connection}
        s=-
        c=IN IP4 {connection}
        t=0 0
        m=audio 31000 RTP/AVP {formats}
        {attributes}
        """);

    [Test]
    public void Offer_lists_all_our_codecs_in_preference_order_with_telephone_event()
    {
        var offer = OfferAnswer.CreateOffer(Local);

        Assert.That(offer.ToString(), Is.EqualTo(SdpSamples.Crlf("""
            v=0
            o=hotline 777 1 IN IP4 10.1.2.3
            s=-
            c=IN IP4 10.1.2.3
            t=0 0
            m=audio 40000 RTP/AVP 9 0 8 101
            a=rtpmap:9 G722/8000
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-16
            a=ptime:20
            a=sendrecv

            """)));
    }

    [Test]
    public void Offer_without_telephone_event_when_disabled()
    {
        var offer = OfferAnswer.CreateOffer(Local with { TelephoneEventPayloadType = null });

        Assert.That(offer.MediaDescriptions[0].Formats, Is.EqualTo(new[] { "9", "0", "8" }));
    }

    [Test]
    public void Our_offer_answered_by_ourselves_negotiates_g722()
    {
        var offer = OfferAnswer.CreateOffer(Local);
        var answered = OfferAnswer.Answer(Parse(offer.ToString()), Local with { RtpPort = 50000 });

        var accepted = OfferAnswer.AcceptAnswer(offer, Parse(answered.Answer!.ToString()));

        Assert.That(accepted.Success, Is.True, accepted.Reason);
        Assert.That(accepted.Negotiated!.Codec, Is.EqualTo(AudioCodec.G722));
        Assert.That(accepted.Negotiated.TelephoneEventPayloadType, Is.EqualTo(101));
        Assert.That(accepted.Negotiated.RemoteRtp!.Port, Is.EqualTo(50000));
    }

    [Test]
    public void Accepted_answer_uses_the_answerers_first_codec_and_numbers()
    {
        var offer = OfferAnswer.CreateOffer(Local);
        var answer = Parse(PeerAnswer("8 0 101", "a=rtpmap:101 telephone-event/8000\r\na=ptime:30\r\na=sendrecv"));

        var accepted = OfferAnswer.AcceptAnswer(offer, answer);

        Assert.That(accepted.Success, Is.True, accepted.Reason);
        Assert.That(accepted.Negotiated!, Is.EqualTo(new NegotiatedMedia(0, AudioCodec.Pcma, 101,
            new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.77"), 31000), MediaDirection.SendRecv, 30)));
        Assert.That(accepted.Answer, Is.SameAs(answer));
    }

    [Test]
    public void Answer_with_a_codec_we_did_not_offer_is_refused()
    {
        var accepted = OfferAnswer.AcceptAnswer(OfferAnswer.CreateOffer(Local), Parse(PeerAnswer("18", "")));

        Assert.That(accepted.Success, Is.False);
        Assert.That(accepted.Reason, Does.Contain("G729/8000").And.Contain("not in our offer"));
    }

    [Test]
    public void Answer_with_another_number_of_m_lines_is_refused()
    {
        var answer = PeerAnswer("0", "") + "m=video 0 RTP/AVP 96\r\n";

        Assert.That(OfferAnswer.AcceptAnswer(OfferAnswer.CreateOffer(Local), Parse(answer)).Reason,
            Does.Contain("2 m= lines but our offer had 1"));
    }

    [Test]
    public void Answer_refusing_audio_is_a_failure()
    {
        var answer = PeerAnswer("0", "").Replace("m=audio 31000", "m=audio 0");

        Assert.That(OfferAnswer.AcceptAnswer(OfferAnswer.CreateOffer(Local), Parse(answer)).Reason,
            Does.Contain("refused the audio stream"));
    }

    [Test]
    public void Answer_with_only_telephone_event_is_a_failure()
    {
        var answer = PeerAnswer("101", "a=rtpmap:101 telephone-event/8000");

        Assert.That(OfferAnswer.AcceptAnswer(OfferAnswer.CreateOffer(Local), Parse(answer)).Reason,
            Does.Contain("no audio codec"));
    }

    [Test]
    public void Recvonly_answer_to_our_sendrecv_means_we_only_send()
    {
        var answer = Parse(PeerAnswer("0", "a=recvonly"));

        Assert.That(OfferAnswer.AcceptAnswer(OfferAnswer.CreateOffer(Local), answer).Negotiated!.Direction,
            Is.EqualTo(MediaDirection.SendOnly));
    }

    [Test]
    public void Answer_to_our_hold_offer_cannot_widen_the_direction()
    {
        var offer = OfferAnswer.CreateOffer(Local with { Direction = MediaDirection.SendOnly });

        var accepted = OfferAnswer.AcceptAnswer(offer, Parse(PeerAnswer("0", "a=sendrecv")));

        Assert.That(accepted.Negotiated!.Direction, Is.EqualTo(MediaDirection.SendOnly));
    }
}
