using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Telephony.Sip.Auth;
using Telephony.Sip.Calls;
using Telephony.Sip.Message;
using Telephony.Sip.Tests.UserAgent;
using Telephony.Sip.Transport;
using Telephony.Sip.UserAgent;
using Telephony.Testing;

namespace Telephony.Sip.Tests.Uac;

/// <summary>
/// Calls the engine places (RFC 3261 §13.2, §9.1, §22.2), with a raw peer on loopback UDP playing the far end:
/// INVITE with our offer, ACK for each 2xx, CANCEL only after a provisional, digest retry, timeouts, forks.
/// </summary>
public class OutboundCallTests
{
    private static readonly TimeSpan T1 = TimeSpan.FromMilliseconds(50);

    private EngineHarness _harness = null!;
    private RawSipPeer _peer = null!;

    private SipEngine Engine => _harness.Engine;
    private string PeerContact(string user = "agent1") => $"<sip:{user}@127.0.0.1:{_peer.LocalPort}>";
    private SipUri Target => SipUri.Parse($"sip:agent1@127.0.0.1:{_peer.LocalPort}");

    [SetUp]
    public void Start()
    {
        _harness = new EngineHarness(t1: T1);
        _peer = new RawSipPeer(_harness.Port);
    }

    [TearDown]
    public async Task Stop()
    {
        _peer.Dispose();
        await _harness.DisposeAsync();
    }

    // ---- the far end ----

    private static string Answer(SipRequest invite, int port = 49200)
    {
        var te = Regex.Match(invite.BodyText, @"a=rtpmap:(\d+) telephone-event/8000").Groups[1].Value;
        return "v=0\r\no=agent 7 7 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
               $"m=audio {port} RTP/AVP 8 {te}\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:{te} telephone-event/8000\r\na=fmtp:{te} 0-16\r\na=sendrecv\r\n";
    }

    /// <summary>Sends a response to <paramref name="request"/>: To tagged, Contact on 18x/2xx, an optional body.</summary>
    private SipResponse Respond(SipRequest request, int status, string? toTag = "callee1", string? body = null, string? contact = null,
        params (string Name, string Value)[] extra)
    {
        var response = SipMessageFactory.CreateResponse(request, status, toTag: status == 100 ? null : toTag);
        if (status is > 100 and < 300 && request.Method == SipMethod.Invite) response.Headers.Add(HeaderNames.Contact, contact ?? PeerContact());
        foreach (var (name, value) in extra) response.Headers.Add(name, value);
        if (body is not null) response.SetBody("application/sdp", body);
        _peer.Send(response);
        return response;
    }

    /// <summary>Answers the INVITE 100, 180, 200 with SDP and returns the 200.</summary>
    private SipResponse AnswerCall(SipRequest invite, string contactUser = "desk")
    {
        Respond(invite, 100);
        Respond(invite, 180, contact: PeerContact(contactUser));
        return Respond(invite, 200, body: Answer(invite), contact: PeerContact(contactUser));
    }

    /// <summary>The next request of <paramref name="method"/>, skipping retransmitted INVITEs and anything else.</summary>
    private SipRequest Expect(string method, int timeoutMs = 3000) => _peer.ExpectRequest(method, timeoutMs);

    /// <summary>Everything the engine sends within <paramref name="ms"/>.</summary>
    private List<SipMessage> Drain(int ms)
    {
        var list = new List<SipMessage>();
        var deadline = DateTime.UtcNow.AddMilliseconds(ms);
        while (DateTime.UtcNow < deadline)
            if (_peer.Receive((int)Math.Max(1, (deadline - DateTime.UtcNow).TotalMilliseconds)) is { } m) list.Add(m);
        return list;
    }

    private static void WaitFor(Func<bool> condition, string what, int timeoutMs = 3000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new AssertionException($"timed out waiting for {what}");
            Thread.Sleep(5);
        }
    }

    private static CallEndReason Ended(SipCall call, int timeoutMs = 3000)
    {
        Assert.That(call.Completion.Wait(timeoutMs), Is.True, $"the call did not end within {timeoutMs} ms");
        return call.Completion.Result;
    }

    private static string Branch(SipMessage m) => m.TopVia!.Branch!;

    // ---- the INVITE ----

    [Test]
    public void Invite_carries_an_sdp_offer_with_g722_pcmu_pcma_and_telephone_event_a_contact_allow_and_the_extra_headers()
    {
        var call = Engine.PlaceCall(Target, headers: [new("X-Ticket", "T-20250301-0042")]);
        var invite = Expect(SipMethod.Invite);
        Assert.That(invite.RequestUri.ToString(), Is.EqualTo(Target.ToString()));
        Assert.That(invite.CallId, Is.EqualTo(call.CallId));
        Assert.That(invite.CSeq.Number, Is.EqualTo(1u));
        Assert.That(invite.From!.Tag, Is.Not.Null);
        Assert.That(invite.To!.Tag, Is.Null);
        Assert.That(Branch(invite), Does.StartWith("z9hG4bK"));
        Assert.That(invite.Contacts, Has.Count.EqualTo(1));
        Assert.That(invite.Contacts[0].Uri.Port, Is.EqualTo(_harness.Port), "the Contact names the engine's listening port");
        Assert.That(invite.Headers[HeaderNames.Allow], Does.Contain("INVITE").And.Contain("ACK").And.Contain("BYE").And.Contain("CANCEL"));
        Assert.That(invite.Headers["X-Ticket"], Is.EqualTo("T-20250301-0042"));
        Assert.That(invite.ContentType, Is.EqualTo("application/sdp"));
        Assert.That(invite.BodyText, Does.Contain("m=audio ")
            .And.Contain("G722/8000").And.Contain("PCMU/8000").And.Contain("PCMA/8000").And.Contain("telephone-event/8000"));
        Assert.That(call.Direction, Is.EqualTo(CallDirection.Outbound));
        Assert.That(call.State, Is.EqualTo(CallState.Offering));
    }

    // ---- answered calls ----

    [Test]
    public void Answer_100_180_200_is_acked_on_a_new_branch_with_the_invites_cseq_to_the_200s_contact_and_the_call_is_answered_with_the_media()
    {
        var call = Engine.PlaceCall(Target);
        var rang = 0;
        call.Ringing += _ => Interlocked.Increment(ref rang);
        var invite = Expect(SipMethod.Invite);
        Respond(invite, 100);
        Respond(invite, 180, contact: PeerContact("desk"));
        // UDP datagrams are handled on several threads: wait, or the 200 may overtake the 180 (and make it moot).
        WaitFor(() => call.State == CallState.Ringing, "Ringing");
        var ok = Respond(invite, 200, body: Answer(invite), contact: PeerContact("desk"));
        var ack = Expect(SipMethod.Ack);
        Assert.That(ack.RequestUri.ToString(), Is.EqualTo($"sip:desk@127.0.0.1:{_peer.LocalPort}"), "§12.1.2: the remote target is the 200's Contact");
        Assert.That(ack.CSeq.Number, Is.EqualTo(invite.CSeq.Number));
        Assert.That(ack.CSeq.Method, Is.EqualTo(SipMethod.Ack));
        Assert.That(Branch(ack), Is.Not.EqualTo(Branch(invite)), "the ACK for a 2xx is a new transaction (§13.2.2.4)");
        Assert.That(ack.CallId, Is.EqualTo(invite.CallId));
        Assert.That(ack.From!.Tag, Is.EqualTo(invite.From!.Tag));
        Assert.That(ack.To!.Tag, Is.EqualTo(ok.To!.Tag));
        Assert.That(ack.Body.IsEmpty, Is.True, "the offer was in the INVITE; nothing in the ACK");

        Assert.That(call.AnsweredTask.Wait(2000), Is.True);
        Assert.That(rang, Is.EqualTo(1), "180 raised Ringing once");
        Assert.That(call.State, Is.EqualTo(CallState.Answered));
        Assert.That(call.FinalStatus, Is.EqualTo(200));
        Assert.That(call.Media, Is.Not.Null);
        Assert.That(call.Media!.Codec, Is.EqualTo("PCMA"));
        Assert.That(call.Media.RemoteRtp, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 49200)));
        Assert.That(call.Media.TelephoneEventPayloadType, Is.Not.Null);
        Assert.That(call.Media.OnHold, Is.False);
    }

    [Test]
    public void A_retransmitted_200_is_acked_again_both_while_the_transaction_lives_and_after_timer_m()
    {
        var call = Engine.PlaceCall(Target);
        var invite = Expect(SipMethod.Invite);
        var ok = AnswerCall(invite);
        var first = Expect(SipMethod.Ack);
        Assert.That(call.AnsweredTask.Wait(2000), Is.True);

        _peer.Send(ok);
        var again = Expect(SipMethod.Ack);
        Assert.That(again.CSeq.Number, Is.EqualTo(first.CSeq.Number));
        Assert.That(again.To!.Tag, Is.EqualTo(first.To!.Tag));

        // Timer M (64·T1) ends the INVITE transaction; a later 2xx is stray and still gets its ACK.
        Thread.Sleep(64 * T1 + TimeSpan.FromMilliseconds(400));
        _peer.Send(ok);
        var late = Expect(SipMethod.Ack);
        Assert.That(late.CSeq.Number, Is.EqualTo(first.CSeq.Number));
        Assert.That(call.State, Is.EqualTo(CallState.Answered));
    }

    [Test]
    public void Bye_from_the_peer_gets_200_and_ends_the_call_remote_hangup()
    {
        var call = Engine.PlaceCall(Target);
        var invite = Expect(SipMethod.Invite);
        var ok = AnswerCall(invite);
        Expect(SipMethod.Ack);
        Assert.That(call.AnsweredTask.Wait(2000), Is.True);

        // The callee's BYE: From is its side (its tag), To is ours.
        var bye = $"BYE {invite.Contacts[0].Uri} SIP/2.0\r\n" +
                  $"Via: SIP/2.0/UDP 127.0.0.1:{_peer.LocalPort};branch={SipMessageFactory.NewBranch()};rport\r\n" +
                  "Max-Forwards: 70\r\n" +
                  $"From: {ok.Headers[HeaderNames.To]}\r\nTo: {ok.Headers[HeaderNames.From]}\r\n" +
                  $"Call-ID: {ok.CallId}\r\nCSeq: 1 BYE\r\nContent-Length: 0\r\n\r\n";
        _peer.Send(bye);
        _peer.Expect(200, method: SipMethod.Bye);
        Assert.That(Ended(call), Is.EqualTo(CallEndReason.RemoteHangup));
        Assert.That(Engine.ActiveCalls, Does.Not.Contain(call));
    }

    [Test]
    public void Hangup_after_the_answer_sends_bye_in_the_dialog()
    {
        var call = Engine.PlaceCall(Target);
        var invite = Expect(SipMethod.Invite);
        var ok = AnswerCall(invite, contactUser: "desk");
        var ack = Expect(SipMethod.Ack);
        Assert.That(call.AnsweredTask.Wait(2000), Is.True);

        call.Hangup();
        var bye = Expect(SipMethod.Bye);
        Assert.That(bye.RequestUri.ToString(), Is.EqualTo($"sip:desk@127.0.0.1:{_peer.LocalPort}"));
        Assert.That(bye.CallId, Is.EqualTo(invite.CallId));
        Assert.That(bye.From!.Tag, Is.EqualTo(invite.From!.Tag));
        Assert.That(bye.To!.Tag, Is.EqualTo(ok.To!.Tag));
        Assert.That(bye.CSeq.Number, Is.GreaterThan(ack.CSeq.Number));
        Assert.That(Branch(bye), Is.Not.EqualTo(Branch(invite)).And.Not.EqualTo(Branch(ack)));
        Respond(bye, 200, toTag: null);
        Assert.That(Ended(call), Is.EqualTo(CallEndReason.LocalHangup));
        call.Hangup(); // a second hangup is harmless
        Assert.That(Drain(300).OfType<SipRequest>().Where(r => r.Method == SipMethod.Bye && Branch(r) != Branch(bye)), Is.Empty, "one BYE only");
    }

    // ---- CANCEL (§9.1) ----

    [Test]
    public void Hangup_before_any_provisional_sends_cancel_only_after_the_first_1xx_then_487_ends_the_call_cancelled_and_is_acked()
    {
        var call = Engine.PlaceCall(Target);
        var invite = Expect(SipMethod.Invite);
        call.Hangup();
        call.Hangup();
        var early = Drain(300);
        Assert.That(early.OfType<SipRequest>().Select(r => r.Method), Has.None.EqualTo(SipMethod.Cancel), "§9.1: no CANCEL before a provisional response");
        Assert.That(call.EndReason, Is.Null);

        Respond(invite, 100);
        var cancel = Expect(SipMethod.Cancel);
        Assert.That(Branch(cancel), Is.EqualTo(Branch(invite)), "the CANCEL matches the INVITE's branch (§9.1)");
        Assert.That(cancel.CSeq.Number, Is.EqualTo(invite.CSeq.Number));
        Assert.That(cancel.RequestUri.ToString(), Is.EqualTo(invite.RequestUri.ToString()));
        Assert.That(cancel.From!.Tag, Is.EqualTo(invite.From!.Tag));
        Assert.That(cancel.To!.Tag, Is.Null);

        Respond(cancel, 200);
        var terminated = Respond(invite, 487);
        var ack = Expect(SipMethod.Ack);
        Assert.That(Branch(ack), Is.EqualTo(Branch(invite)), "the ACK for a non-2xx belongs to the INVITE transaction (§17.1.1.3)");
        Assert.That(ack.CSeq.Number, Is.EqualTo(invite.CSeq.Number));
        Assert.That(ack.To!.Tag, Is.EqualTo(terminated.To!.Tag));
        Assert.That(Ended(call), Is.EqualTo(CallEndReason.Cancelled));
        Assert.That(call.FinalStatus, Is.EqualTo(487));
        Assert.That(Drain(300).OfType<SipRequest>().Count(r => r.Method == SipMethod.Cancel), Is.Zero, "one CANCEL, for all the Hangup calls");
    }

    [Test]
    public void Hangup_while_ringing_sends_cancel_at_once()
    {
        var call = Engine.PlaceCall(Target);
        var invite = Expect(SipMethod.Invite);
        Respond(invite, 180);
        WaitFor(() => call.State == CallState.Ringing, "Ringing");
        call.Hangup();
        var cancel = Expect(SipMethod.Cancel, 1000);
        Respond(cancel, 200);
        Respond(invite, 487);
        Assert.That(Ended(call), Is.EqualTo(CallEndReason.Cancelled));
    }

    [Test]
    public void A_200_crossing_our_cancel_is_acked_then_ended_with_bye()
    {
        var call = Engine.PlaceCall(Target);
        var invite = Expect(SipMethod.Invite);
        Respond(invite, 180);
        WaitFor(() => call.State == CallState.Ringing, "Ringing");
        call.Hangup();
        var cancel = Expect(SipMethod.Cancel);
        // The callee answered just before the CANCEL arrived: 200 to the INVITE, 200 to the CANCEL (§9.2).
        var ok = Respond(invite, 200, body: Answer(invite));
        Respond(cancel, 200);
        var ack = Expect(SipMethod.Ack);
        Assert.That(ack.To!.Tag, Is.EqualTo(ok.To!.Tag));
        var bye = Expect(SipMethod.Bye);
        Assert.That(bye.To!.Tag, Is.EqualTo(ok.To!.Tag));
        Respond(bye, 200, toTag: null);
        Assert.That(Ended(call), Is.EqualTo(CallEndReason.LocalHangup));
    }

    // ---- authentication (§22.2) ----

    private static SipResponse Challenge(SipRequest invite, DigestServer server)
    {
        var unauthorized = SipMessageFactory.CreateResponse(invite, 401, toTag: SipMessageFactory.NewTag());
        foreach (var c in server.CreateChallenges()) unauthorized.Headers.Add(HeaderNames.WwwAuthenticate, c.ToHeaderValue());
        return unauthorized;
    }

    [Test]
    public void A_401_is_answered_once_with_credentials_and_a_second_401_declines_the_call()
    {
        var server = new DigestServer("12345.local");
        var call = Engine.PlaceCall(Target, credentials: new SipCredentials("agent1", "secret1"));
        var first = Expect(SipMethod.Invite);
        _peer.Send(Challenge(first, server));

        var retry = Expect(SipMethod.Invite);
        Assert.That(retry.CSeq.Number, Is.EqualTo(first.CSeq.Number + 1));
        Assert.That(retry.CallId, Is.EqualTo(first.CallId));
        Assert.That(retry.From!.Tag, Is.EqualTo(first.From!.Tag));
        Assert.That(retry.To!.Tag, Is.Null);
        Assert.That(Branch(retry), Is.Not.EqualTo(Branch(first)));
        Assert.That(retry.BodyText, Is.EqualTo(first.BodyText), "the same offer");
        Assert.That(DigestCredentials.TryParse(retry.Headers[HeaderNames.Authorization], out var credentials, out var error), Is.True, error);
        Assert.That(credentials!.Algorithm, Is.EqualTo(DigestAlgorithm.Sha256), "the topmost challenge we support (RFC 8760 §2.4)");
        Assert.That(credentials.Uri, Is.EqualTo(retry.RequestUri.ToString()));
        Assert.That(server.Verify(credentials, SipMethod.Invite, u => u == "agent1" ? "secret1" : null), Is.EqualTo(DigestVerification.Ok));

        _peer.Send(Challenge(retry, server));
        Assert.That(Ended(call), Is.EqualTo(CallEndReason.Declined));
        Assert.That(call.FinalStatus, Is.EqualTo(401));
        Assert.That(Drain(400).OfType<SipRequest>().Where(r => r.Method == SipMethod.Invite && r.CSeq.Number > retry.CSeq.Number), Is.Empty,
            "no third attempt");
    }

    [Test]
    public void An_authenticated_retry_that_is_answered_is_acked_with_its_cseq_and_the_same_credentials()
    {
        var server = new DigestServer("12345.local");
        var call = Engine.PlaceCall(Target, credentials: new SipCredentials("agent1", "secret1"));
        var first = Expect(SipMethod.Invite);
        _peer.Send(Challenge(first, server));
        var retry = Expect(SipMethod.Invite);
        var ok = Respond(retry, 200, body: Answer(retry));
        var ack = Expect(SipMethod.Ack);
        Assert.That(ack.CSeq.Number, Is.EqualTo(retry.CSeq.Number));
        Assert.That(ack.To!.Tag, Is.EqualTo(ok.To!.Tag));
        Assert.That(ack.Headers[HeaderNames.Authorization], Is.EqualTo(retry.Headers[HeaderNames.Authorization]), "§13.2.2.4: the ACK carries the INVITE's credentials");
        Assert.That(call.AnsweredTask.Wait(2000), Is.True);
    }

    [Test]
    public void A_401_without_credentials_to_answer_it_declines_the_call()
    {
        var call = Engine.PlaceCall(Target);
        var invite = Expect(SipMethod.Invite);
        _peer.Send(Challenge(invite, new DigestServer("12345.local")));
        Assert.That(Ended(call), Is.EqualTo(CallEndReason.Declined));
        Assert.That(call.FinalStatus, Is.EqualTo(401));
    }

    // ---- failures ----

    [Test]
    public void Busy_486_declines_the_call_with_final_status_486_and_is_acked()
    {
        var call = Engine.PlaceCall(Target);
        var invite = Expect(SipMethod.Invite);
        Respond(invite, 180);
        Respond(invite, 486);
        var ack = Expect(SipMethod.Ack);
        Assert.That(Branch(ack), Is.EqualTo(Branch(invite)));
        Assert.That(Ended(call), Is.EqualTo(CallEndReason.Declined));
        Assert.That(call.FinalStatus, Is.EqualTo(486));
        Assert.That(call.AnsweredAt, Is.Null);
    }

    [Test]
    public void No_answer_at_all_times_out_with_408_after_64_t1()
    {
        var clock = Stopwatch.StartNew();
        var call = Engine.PlaceCall(Target);
        var invites = 0;
        while (!call.Completion.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(8))
            if (_peer.Receive(100) is SipRequest { Method: SipMethod.Invite }) invites++;
        Assert.That(Ended(call, 0), Is.EqualTo(CallEndReason.Timeout));
        Assert.That(call.FinalStatus, Is.EqualTo(408));
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(64 * T1 - TimeSpan.FromMilliseconds(100)).And.LessThan(64 * T1 + TimeSpan.FromSeconds(2)));
        Assert.That(invites, Is.InRange(6, 8), "Timer A: sent at 0, T1, 3·T1, 7·T1 ... until Timer B");
        Assert.That(Engine.ActiveCalls, Does.Not.Contain(call));
    }

    [Test]
    public void A_transport_error_on_the_first_invite_ends_the_call_at_once()
    {
        // TCP to a port where nothing listens: the connect is refused inside the very first send.
        var closed = FreePorts.Next();
        var call = Engine.PlaceCall(SipUri.Parse($"sip:agent1@127.0.0.1:{closed};transport=tcp"));
        Assert.That(Ended(call, 5000), Is.EqualTo(CallEndReason.Timeout));
        Assert.That(call.FinalStatus, Is.EqualTo(503));
        Assert.That(Engine.ActiveCalls, Does.Not.Contain(call));
    }

    // ---- forking (§13.2.2.4) ----

    [Test]
    public void A_2xx_from_a_second_fork_is_acked_and_that_dialog_gets_a_bye_while_the_call_stays_up()
    {
        var call = Engine.PlaceCall(Target);
        var invite = Expect(SipMethod.Invite);
        var ok = Respond(invite, 200, toTag: "forkA", body: Answer(invite), contact: PeerContact("deskA"));
        var ackA = Expect(SipMethod.Ack);
        Assert.That(ackA.To!.Tag, Is.EqualTo("forkA"));
        Assert.That(call.AnsweredTask.Wait(2000), Is.True);

        Respond(invite, 200, toTag: "forkB", body: Answer(invite, 49300), contact: PeerContact("deskB"));
        var ackB = Expect(SipMethod.Ack);
        Assert.That(ackB.To!.Tag, Is.EqualTo("forkB"));
        Assert.That(ackB.RequestUri.User, Is.EqualTo("deskB"));
        Assert.That(ackB.CSeq.Number, Is.EqualTo(invite.CSeq.Number));
        var byeB = Expect(SipMethod.Bye);
        Assert.That(byeB.To!.Tag, Is.EqualTo("forkB"));
        Assert.That(byeB.RequestUri.User, Is.EqualTo("deskB"));
        Assert.That(byeB.From!.Tag, Is.EqualTo(invite.From!.Tag));
        Respond(byeB, 200, toTag: null);

        Assert.That(call.State, Is.EqualTo(CallState.Answered), "the first answer keeps the call");
        Assert.That(call.Media!.RemoteRtp!.Port, Is.EqualTo(49200));
        call.Hangup();
        var byeA = Expect(SipMethod.Bye);
        Assert.That(byeA.To!.Tag, Is.EqualTo(ok.To!.Tag));
        Respond(byeA, 200, toTag: null);
        Assert.That(Ended(call), Is.EqualTo(CallEndReason.LocalHangup));
    }
}
