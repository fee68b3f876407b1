using Telephony.Sip.Calls;
using Telephony.Sip.Message;

namespace Telephony.Sip.Tests.UserAgent;

public class UasBehaviourTests
{
    private EngineHarness _harness = null!;
    private RawSipPeer _peer = null!;
    private int Port => _harness.Port;

    [SetUp]
    public void Start()
    {
        _harness = new EngineHarness(t1: TimeSpan.FromMilliseconds(50));
        _peer = new RawSipPeer(_harness.Port);
    }

    [TearDown]
    public async Task Stop()
    {
        _peer.Dispose();
        await _harness.DisposeAsync();
    }

    private static string NewCallId() => Guid.NewGuid().ToString("N");

    [Test]
    public void Invite_gets_100_180_and_200_with_an_sdp_answer_then_bye_ends_the_call()
    {
        var callId = NewCallId();
        _peer.Send(Requests.Invite(_peer, Port, callId));
        // The handler rings at once, so the 180 stands in for the 100 (§17.2.1: 100 only if no provisional within 200 ms).
        var ringing = _peer.Expect(180);
        var ok = _peer.Expect(200);
        Assert.That(ringing.To!.Tag, Is.Not.Null.And.EqualTo(ok.To!.Tag), "18x and 2xx carry the same To tag");
        Assert.That(ok.ContentType, Is.EqualTo("application/sdp"));
        Assert.That(ok.BodyText, Does.Contain("m=audio").And.Contain("RTP/AVP 9 101"), "G.722 is preferred, telephone-event kept");
        Assert.That(ok.Contacts, Has.Count.EqualTo(1));
        _peer.Send(Requests.Ack(_peer, Port, callId, ok));
        var call = _harness.WaitForCall();
        Assert.That(call.AnsweredTask.Wait(2000), Is.True, "the ACK confirms the call");
        Assert.That(call.Media!.Codec, Is.EqualTo("G722"));
        _peer.Send(Requests.InDialog(_peer, "BYE", ok, 2));
        _peer.Expect(200, method: "BYE");
        Assert.That(call.Completion.Wait(2000), Is.True);
        Assert.That(call.EndReason, Is.EqualTo(CallEndReason.RemoteHangup));
    }

    [Test]
    public void Invite_gets_100_trying_within_200_ms_even_when_the_call_handler_is_slow()
    {
        _harness.Policy = async call => { await Task.Delay(1500); call.Ring(); call.Answer(); };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _peer.Send(Requests.Invite(_peer, Port, NewCallId()));
        _peer.Expect(100, timeoutMs: 1000);
        Assert.That(clock.ElapsedMilliseconds, Is.LessThan(200));
        _peer.Expect(200, timeoutMs: 4000);
    }

    [Test]
    public void Retransmitted_invite_is_absorbed_and_gets_the_last_provisional_again()
    {
        _harness.Policy = call => { call.Ring(); return Task.CompletedTask; };
        var invite = Requests.Invite(_peer, Port, NewCallId());
        _peer.Send(invite);
        _peer.Expect(180);
        _peer.Send(invite);
        _peer.Expect(180);
        Thread.Sleep(200);
        lock (_harness.Calls) Assert.That(_harness.Calls, Has.Count.EqualTo(1), "one call, not two");
    }

    [Test]
    public void Invite_without_sdp_gets_offer_in_200_and_answer_in_ack()
    {
        var callId = NewCallId();
        _peer.Send(Requests.Invite(_peer, Port, callId, body: null));
        var ok = _peer.Expect(200);
        Assert.That(ok.BodyText, Does.Contain("m=audio").And.Contain("PCMU").And.Contain("telephone-event"));
        var answer = "v=0\r\no=caller 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 49180 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";
        _peer.Send(Requests.Ack(_peer, Port, callId, ok, body: answer));
        var call = _harness.WaitForCall();
        Assert.That(call.AnsweredTask.Wait(2000), Is.True);
        Assert.That(call.Media!.Codec, Is.EqualTo("PCMA"));
        Assert.That(call.Media.RemoteRtp!.Port, Is.EqualTo(49180));
    }

    [Test]
    public void Cancel_before_answer_gets_200_and_the_invite_487()
    {
        _harness.Policy = call => { call.Ring(); return Task.CompletedTask; }; // rings, never answers
        var callId = NewCallId();
        var branch = Telephony.Sip.Message.SipMessageFactory.NewBranch();
        _peer.Send(Requests.Invite(_peer, Port, callId, branch: branch));
        _peer.Expect(180);
        _peer.Send(Requests.Invite(_peer, Port, callId, body: null, branch: branch, method: "CANCEL"));
        _peer.Expect(200, method: "CANCEL");
        _peer.Expect(487, method: "INVITE");
        var call = _harness.WaitForCall();
        Assert.That(call.Completion.Wait(2000), Is.True);
        Assert.That(call.EndReason, Is.EqualTo(CallEndReason.Cancelled));
    }

    [Test]
    public void Cancel_after_the_call_ended_gets_200_and_changes_nothing()
    {
        var callId = NewCallId();
        var branch = Telephony.Sip.Message.SipMessageFactory.NewBranch();
        _peer.Send(Requests.Invite(_peer, Port, callId, branch: branch));
        var ok = _peer.Expect(200);
        _peer.Send(Requests.Ack(_peer, Port, callId, ok));
        _peer.Send(Requests.InDialog(_peer, "BYE", ok, cseq: 2));
        _peer.Expect(200, method: "BYE");
        var call = _harness.WaitForCall();
        Assert.That(call.Completion.Wait(2000), Is.True);
        // §9.2: the INVITE transaction still lingers (RFC 6026 Accepted) though the call is gone: the CANCEL
        // matches it, has no effect, and is answered 200 — not 481, and no 487 follows.
        _peer.Send(Requests.Invite(_peer, Port, callId, body: null, branch: branch, method: "CANCEL"));
        _peer.Expect(200, method: "CANCEL");
        Assert.That(_peer.Receive(500), Is.Null, "nothing else follows the CANCEL's 200");
        Assert.That(call.EndReason, Is.EqualTo(CallEndReason.RemoteHangup));
    }

    [Test]
    public void Cancel_for_an_unknown_transaction_gets_481()
    {
        _peer.Send(Requests.Invite(_peer, Port, NewCallId(), body: null, method: "CANCEL"));
        _peer.Expect(481);
    }

    [Test]
    public void Options_gets_200_with_allow_accept_and_supported()
    {
        _peer.Send(Requests.Invite(_peer, Port, NewCallId(), body: null, method: "OPTIONS"));
        var ok = _peer.Expect(200);
        Assert.That(ok.Headers[HeaderNames.Allow], Does.Contain("INVITE").And.Contain("BYE").And.Contain("OPTIONS"));
        Assert.That(ok.Headers[HeaderNames.Accept], Does.Contain("application/sdp"));
        Assert.That(ok.Headers[HeaderNames.Supported], Does.Contain("timer"));
    }

    [Test]
    public void Unknown_method_gets_501_and_a_known_but_unsupported_one_405_with_allow()
    {
        _peer.Send(Requests.Invite(_peer, Port, NewCallId(), body: null, method: "FROBNICATE"));
        _peer.Expect(501);
        _peer.Send(Requests.Invite(_peer, Port, NewCallId(), body: null, method: "SUBSCRIBE"));
        var notAllowed = _peer.Expect(405);
        Assert.That(notAllowed.Headers[HeaderNames.Allow], Does.Contain("INVITE"));
    }

    [Test]
    public void Bye_for_an_unknown_dialog_gets_481()
    {
        _peer.Send(Requests.Invite(_peer, Port, NewCallId(), body: null, method: "BYE", toTag: "nosuchdialog"));
        _peer.Expect(481);
    }

    [Test]
    public void Exhausted_max_forwards_gets_483()
    {
        var invite = Requests.Invite(_peer, Port, NewCallId()).Replace("Max-Forwards: 70", "Max-Forwards: 0");
        _peer.Send(invite);
        _peer.Expect(483);
    }

    [Test]
    public void A_merged_request_with_another_branch_gets_482()
    {
        var callId = NewCallId();
        _harness.Policy = call => { call.Ring(); return Task.CompletedTask; };
        _peer.Send(Requests.Invite(_peer, Port, callId));
        _peer.Expect(180);
        _peer.Send(Requests.Invite(_peer, Port, callId)); // same From tag, Call-ID and CSeq, new branch
        _peer.Expect(482);
    }

    [Test]
    public void Unsupported_require_gets_420_naming_the_extension()
    {
        _peer.Send(Requests.Invite(_peer, Port, NewCallId(), extra: "Require: 100rel, foo\r\n"));
        var bad = _peer.Expect(420);
        Assert.That(bad.Headers[HeaderNames.Unsupported], Is.EqualTo("100rel, foo"));
    }

    [Test]
    public void An_offer_with_no_common_codec_gets_488()
    {
        var offer = Requests.Offer.Replace("m=audio 49170 RTP/AVP 0 8 9 101", "m=audio 49170 RTP/AVP 18").Replace("a=rtpmap:0 PCMU/8000\r\n", "a=rtpmap:18 G729/8000\r\n");
        _peer.Send(Requests.Invite(_peer, Port, NewCallId(), body: offer));
        _peer.Expect(488);
    }

    [Test]
    public void An_unacknowledged_200_is_retransmitted_then_the_call_ends_with_bye()
    {
        _peer.Send(Requests.Invite(_peer, Port, NewCallId()));
        var first = _peer.Expect(200);
        _peer.Expect(200, timeoutMs: 1000); // T1 = 50 ms here: retransmissions come quickly
        _peer.Expect(200, timeoutMs: 1000);
        var bye = _peer.ExpectRequest("BYE", timeoutMs: 6000); // 64·T1 = 3.2 s
        Assert.That(bye.Headers[HeaderNames.CallId], Is.EqualTo(first.CallId));
        _peer.Send(SipMessageFactory.CreateResponse(bye, 200));
        var call = _harness.WaitForCall();
        Assert.That(call.Completion.Wait(2000), Is.True);
        Assert.That(call.EndReason, Is.EqualTo(CallEndReason.NoAck));
    }

    [Test]
    public void Reinvite_with_sendonly_puts_the_call_on_hold_and_sendrecv_takes_it_off()
    {
        var callId = NewCallId();
        _peer.Send(Requests.Invite(_peer, Port, callId));
        var ok = _peer.Expect(200);
        _peer.Send(Requests.Ack(_peer, Port, callId, ok));
        var call = _harness.WaitForCall();
        Assert.That(call.AnsweredTask.Wait(2000), Is.True);

        var hold = Requests.Offer.Replace("o=caller 1 1", "o=caller 1 2").Replace("a=sendrecv", "a=sendonly");
        _peer.Send(Requests.InDialog(_peer, "INVITE", ok, 2, hold));
        var held = _peer.Expect(200, method: "INVITE");
        Assert.That(held.BodyText, Does.Contain("a=recvonly"));
        _peer.Send(Requests.Ack(_peer, Port, callId, ok, cseq: 2));
        Assert.That(() => call.Media!.OnHold, Is.True.After(2000, 20));

        var resume = Requests.Offer.Replace("o=caller 1 1", "o=caller 1 3").Replace("c=IN IP4 127.0.0.1", "c=IN IP4 127.0.0.2");
        _peer.Send(Requests.InDialog(_peer, "INVITE", ok, 3, resume));
        var resumed = _peer.Expect(200, method: "INVITE");
        Assert.That(resumed.BodyText, Does.Contain("a=sendrecv"));
        _peer.Send(Requests.Ack(_peer, Port, callId, ok, cseq: 3));
        Assert.That(() => call.Media!.OnHold, Is.False.After(2000, 20));
        Assert.That(call.Media!.RemoteRtp!.Address.ToString(), Is.EqualTo("127.0.0.2"), "the new media address is used");
    }

    [Test]
    public void Session_expires_below_min_se_gets_422_and_an_accepted_one_is_echoed_with_the_refresher()
    {
        _peer.Send(Requests.Invite(_peer, Port, NewCallId(), extra: "Supported: timer\r\nSession-Expires: 30\r\n"));
        var tooSmall = _peer.Expect(422);
        Assert.That(tooSmall.Headers[HeaderNames.MinSE], Is.EqualTo("90"));
        _peer.Send(Requests.Invite(_peer, Port, NewCallId(), extra: "Supported: timer\r\nSession-Expires: 600;refresher=uac\r\n"));
        var ok = _peer.Expect(200);
        Assert.That(ok.Headers[HeaderNames.SessionExpires], Is.EqualTo("600;refresher=uac"));
        Assert.That(ok.HasToken(HeaderNames.Require, "timer"), Is.True);
    }

    [Test]
    public void A_malformed_request_gets_400_and_the_engine_keeps_answering()
    {
        _peer.Send("INVITE sip:12345@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKx\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 BYE\r\n\r\n");
        var bad = _peer.Expect(400);
        Assert.That(bad.ReasonPhrase, Does.Contain("CSeq"));
        _peer.Send(Requests.Invite(_peer, Port, NewCallId(), body: null, method: "OPTIONS"));
        _peer.Expect(200);
    }

    [TestCase(true, false)]
    [TestCase(false, true)]
    [TestCase(true, true)]
    public void Options_is_answered_over_tcp_and_ipv6(bool tcp, bool ipv6)
    {
        using var peer = new RawSipPeer(Port, tcp, ipv6);
        peer.Send(Requests.Invite(peer, Port, NewCallId(), body: null, method: "OPTIONS"));
        var ok = peer.Expect(200);
        Assert.That(ok.TopVia!.Transport, Is.EqualTo(tcp ? "TCP" : "UDP"));
    }

    [Test]
    public async Task Stopping_the_engine_sends_bye_to_calls_in_progress()
    {
        var callId = NewCallId();
        _peer.Send(Requests.Invite(_peer, Port, callId));
        var ok = _peer.Expect(200);
        _peer.Send(Requests.Ack(_peer, Port, callId, ok));
        var call = _harness.WaitForCall();
        Assert.That(call.AnsweredTask.Wait(2000), Is.True);
        var stopping = _harness.Engine.StopAsync(TimeSpan.FromSeconds(2));
        var bye = _peer.ExpectRequest("BYE");
        _peer.Send(SipMessageFactory.CreateResponse(bye, 200));
        await stopping;
        Assert.That(call.EndReason, Is.EqualTo(CallEndReason.Shutdown));
    }
}
