using System.Net;
using Telephony.Sip.Sdp;

namespace Telephony.Sip.Tests.Sdp;

public class OfferAnswerSessionTests
{
    private static SessionDescription Parse(string text) => OfferAnswerTests.Parse(text);

    private static OfferAnswerSession NewSession() => new(OfferAnswerTests.Local);

    /// <summary>The peer's offer with its o= version and the audio lines given; port and address can vary.</summary>
    private static SessionDescription PeerOffer(ulong version, string audio = "a=sendrecv", string address = "192.0.2.10", int port = 20000) =>
        Parse(SdpSamples.Crlf($"""
            v=0
            o=peer 42 {version} IN IP4 {address}
            s=-
            c=IN IP4 {address}
            t=0 0
            m=audio {port} RTP/AVP 9 0 101
            a=rtpmap:101 telephone-event/8000
            {audio}
            """));

    [Test]
    public void Unchanged_reoffer_is_answered_with_the_same_version()
    {
        var session = NewSession();
        var first = session.ReceiveOffer(PeerOffer(1));
        var again = session.ReceiveOffer(PeerOffer(1));

        Assert.That(again.Answer!.Origin.SessionVersion, Is.EqualTo(first.Answer!.Origin.SessionVersion));
        Assert.That(again.Answer.ToString(), Is.EqualTo(first.Answer.ToString()));
        Assert.That(again.Changes, Is.EqualTo(MediaChanges.None));
    }

    [Test]
    public void Version_increments_by_one_only_when_our_answer_changes()
    {
        var session = NewSession();
        var v1 = session.ReceiveOffer(PeerOffer(1)).Answer!.Origin.SessionVersion;
        var v2 = session.ReceiveOffer(PeerOffer(2, "a=sendonly")).Answer!.Origin.SessionVersion;
        var v3 = session.ReceiveOffer(PeerOffer(3, "a=sendonly", address: "192.0.2.99")).Answer!.Origin.SessionVersion;
        var v4 = session.ReceiveOffer(PeerOffer(4)).Answer!.Origin.SessionVersion;

        // Our answer to a new remote address is the same text as before, so its version stays.
        Assert.That(new[] { v1, v2, v3, v4 }, Is.EqualTo(new ulong[] { 1, 2, 2, 3 }));
    }

    [Test]
    public void Session_id_and_username_never_change()
    {
        var session = NewSession();
        session.ReceiveOffer(PeerOffer(1));
        session.UpdateLocal(OfferAnswerTests.Local with { SessionId = 1, Username = "other", RtpPort = 41000 });

        var answer = session.ReceiveOffer(PeerOffer(2)).Answer!;

        Assert.That((answer.Origin.Username, answer.Origin.SessionId), Is.EqualTo(("hotline", "777")));
        Assert.That(answer.MediaDescriptions[0].Port, Is.EqualTo(41000));
        Assert.That(answer.Origin.SessionVersion, Is.EqualTo(2));
    }

    [Test]
    public void Hold_via_sendonly_then_resume_are_reported()
    {
        var session = NewSession();
        session.ReceiveOffer(PeerOffer(1));

        var hold = session.ReceiveOffer(PeerOffer(2, "a=sendonly"));
        var resume = session.ReceiveOffer(PeerOffer(3, "a=sendrecv"));

        Assert.That(hold.Changes, Is.EqualTo(MediaChanges.Hold));
        Assert.That(hold.Answer!.MediaDescriptions[0].Direction, Is.EqualTo(MediaDirection.RecvOnly));
        Assert.That(resume.Changes, Is.EqualTo(MediaChanges.Resume));
        Assert.That(session.Current!.CanSend, Is.True);
    }

    [Test]
    public void Old_style_hold_via_0_0_0_0_and_resume_at_a_new_address_are_reported()
    {
        var session = NewSession();
        session.ReceiveOffer(PeerOffer(1));

        var hold = session.ReceiveOffer(PeerOffer(2, address: "0.0.0.0"));
        var resume = session.ReceiveOffer(PeerOffer(3, address: "192.0.2.50"));

        Assert.That(hold.Changes, Is.EqualTo(MediaChanges.Hold));
        Assert.That(hold.Negotiated!.RemoteRtp, Is.Null);
        Assert.That(resume.Changes, Is.EqualTo(MediaChanges.Resume | MediaChanges.RemoteAddress));
        Assert.That(resume.Negotiated!.RemoteRtp, Is.EqualTo(new IPEndPoint(IPAddress.Parse("192.0.2.50"), 20000)));
    }

    [Test]
    public void New_remote_port_is_reported()
    {
        var session = NewSession();
        session.ReceiveOffer(PeerOffer(1));

        Assert.That(session.ReceiveOffer(PeerOffer(2, port: 20002)).Changes, Is.EqualTo(MediaChanges.RemoteAddress));
    }

    [Test]
    public void Codec_change_in_a_reoffer_is_reported()
    {
        var session = NewSession();
        session.ReceiveOffer(PeerOffer(1));
        var pcmuOnly = Parse(PeerOffer(2).ToString().Replace("RTP/AVP 9 0 101", "RTP/AVP 0 101"));

        var result = session.ReceiveOffer(pcmuOnly);

        Assert.That(result.Changes, Is.EqualTo(MediaChanges.Codec));
        Assert.That(result.Negotiated!.Codec, Is.EqualTo(AudioCodec.Pcmu));
    }

    [Test]
    public void Refused_reoffer_leaves_the_session_as_it_was()
    {
        var session = NewSession();
        var first = session.ReceiveOffer(PeerOffer(1));

        var refused = session.ReceiveOffer(Parse(SdpSamples.Opus));

        Assert.That(refused.Success, Is.False);
        Assert.That(session.Current, Is.EqualTo(first.Negotiated));
        Assert.That(session.LocalDescription, Is.SameAs(first.Answer));
    }

    [Test]
    public void Invite_without_sdp_gets_our_offer_and_the_ack_carries_the_answer()
    {
        var session = NewSession();
        var offer = session.CreateOffer();
        Assert.That(session.HasPendingOffer, Is.True);

        var answer = OfferAnswer.Answer(Parse(offer.ToString()), OfferAnswerTests.Local with { RtpPort = 30000, Address = IPAddress.Parse("192.0.2.8") }).Answer!;
        var result = session.ReceiveAnswer(Parse(answer.ToString()));

        Assert.That(result.Success, Is.True, result.Reason);
        Assert.That(session.HasPendingOffer, Is.False);
        Assert.That(session.Current!.RemoteRtp, Is.EqualTo(new IPEndPoint(IPAddress.Parse("192.0.2.8"), 30000)));
    }

    [Test]
    public void Our_hold_reoffer_keeps_refused_lines_and_bumps_the_version()
    {
        var session = NewSession();
        var first = session.ReceiveOffer(Parse(SdpSamples.Baresip)).Answer!;

        session.UpdateLocal(session.Local with { Direction = MediaDirection.SendOnly });
        var hold = session.CreateOffer();

        Assert.That(hold.Origin.SessionVersion, Is.EqualTo(first.Origin.SessionVersion + 1));
        Assert.That(hold.MediaDescriptions.Select(m => (m.Media, m.Port)), Is.EqualTo(new[] { ("audio", 40000), ("video", 0) }));
        Assert.That(hold.MediaDescriptions[0].Direction, Is.EqualTo(MediaDirection.SendOnly));
    }

    [Test]
    public void Offer_crossing_ours_is_glare()
    {
        var session = NewSession();
        session.ReceiveOffer(PeerOffer(1));
        session.CreateOffer();

        var result = session.ReceiveOffer(PeerOffer(2));

        Assert.That(result.Success, Is.False);
        Assert.That(result.Reason, Does.Contain("491"));
    }

    [Test]
    public void Cancelled_offer_restores_the_session_and_its_version_is_not_reused()
    {
        var session = NewSession();
        var first = session.ReceiveOffer(PeerOffer(1)).Answer!;
        session.UpdateLocal(session.Local with { Direction = MediaDirection.SendOnly });
        var failed = session.CreateOffer();

        session.CancelOffer();
        session.UpdateLocal(session.Local with { RtpPort = 42000 });
        var next = session.CreateOffer();

        Assert.That(session.LocalDescription, Is.SameAs(next));
        Assert.That(failed.Origin.SessionVersion, Is.EqualTo(2));
        Assert.That(next.Origin.SessionVersion, Is.EqualTo(3));
        Assert.That(first.Origin.SessionVersion, Is.EqualTo(1));
    }

    [Test]
    public void Unacceptable_answer_to_our_reoffer_keeps_the_earlier_session()
    {
        var session = NewSession();
        var first = session.ReceiveOffer(PeerOffer(1));
        session.CreateOffer();

        var result = session.ReceiveAnswer(Parse(SdpSamples.Opus));

        Assert.That(result.Success, Is.False);
        Assert.That(session.HasPendingOffer, Is.False);
        Assert.That(session.Current, Is.EqualTo(first.Negotiated));
        Assert.That(session.LocalDescription, Is.SameAs(first.Answer));
    }

    [Test]
    public void Answer_without_an_offer_is_refused()
    {
        Assert.That(NewSession().ReceiveAnswer(Parse(SdpSamples.SippPcma)).Reason, Does.Contain("no offer of ours"));
    }
}
