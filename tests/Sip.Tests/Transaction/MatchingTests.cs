using Telephony.Sip.Message;
using Telephony.Sip.Transaction;
using static Telephony.Sip.Tests.Transaction.Sip;

namespace Telephony.Sip.Tests.Transaction;

/// <summary>RFC 3261 §17.1.3 and §17.2.3 (with the RFC 2543 fallback), §9.2 CANCEL lookup, stray messages.</summary>
public sealed class MatchingTests
{
    private Harness _h = null!;

    [SetUp]
    public void SetUp() => _h = new Harness();

    [TearDown]
    public void TearDown() => _h.Dispose();

    [Test]
    public void Same_branch_from_another_sent_by_is_another_transaction()
    {
        _h.Layer.ReceiveRequest(Request(SipMethod.Options, "z9hG4bKsame", sentBy: "192.0.2.10:5060"), Harness.Udp);
        _h.Layer.ReceiveRequest(Request(SipMethod.Options, "z9hG4bKsame", sentBy: "198.51.100.7:5060"), Harness.Udp);
        Assert.That(_h.NewRequests, Has.Count.EqualTo(2));
    }

    [Test]
    public void Same_branch_and_sent_by_with_another_method_is_another_transaction()
    {
        _h.Layer.ReceiveRequest(Request(SipMethod.Invite, "z9hG4bKsame"), Harness.Udp);
        _h.Layer.ReceiveRequest(Request(SipMethod.Cancel, "z9hG4bKsame"), Harness.Udp);
        Assert.That(_h.NewRequests.Select(t => t.Request.Method), Is.EqualTo(new[] { SipMethod.Invite, SipMethod.Cancel }));
        Assert.That(_h.NewRequests[1], Is.InstanceOf<NonInviteServerTransaction>());
    }

    [Test]
    public void Branch_and_host_compare_case_insensitively()
    {
        _h.Layer.ReceiveRequest(Request(SipMethod.Options, "z9hG4bKAbC", sentBy: "UA.example.cn:5060"), Harness.Udp);
        _h.Layer.ReceiveRequest(Request(SipMethod.Options, "z9hG4bKabc", sentBy: "ua.EXAMPLE.cn:5060"), Harness.Udp);
        Assert.That(_h.NewRequests, Has.Count.EqualTo(1));
    }

    [Test]
    public void CANCEL_finds_its_INVITE_by_branch_and_sent_by()
    {
        _h.Layer.ReceiveRequest(Request(SipMethod.Invite, "z9hG4bKcall1"), Harness.Udp);
        _h.Layer.ReceiveRequest(Request(SipMethod.Invite, "z9hG4bKcall2", callId: "other@192.0.2.10"), Harness.Udp);
        var cancel = Request(SipMethod.Cancel, "z9hG4bKcall1");
        _h.Layer.ReceiveRequest(cancel, Harness.Udp);

        var invite = _h.Layer.FindInviteForCancel(cancel);

        Assert.That(invite, Is.SameAs(_h.NewRequests[0]));
        Assert.That(_h.Layer.FindInviteForCancel(Request(SipMethod.Cancel, "z9hG4bKnosuch")), Is.Null);
        Assert.That(_h.Layer.FindInviteForCancel(Request(SipMethod.Cancel, "z9hG4bKcall1", sentBy: "198.51.100.7")), Is.Null);
    }

    [Test]
    public void CANCEL_flow_487_to_the_INVITE_200_to_the_CANCEL_and_everything_ends()
    {
        _h.OnNewRequest = t =>
        {
            if (t.Request.Method != SipMethod.Cancel) return;
            var invite = _h.Layer.FindInviteForCancel(t.Request)!;
            t.Respond(SipMessageFactory.CreateResponse(t.Request, 200, toTag: "as83kd9bs"));
            invite.Respond(SipMessageFactory.CreateResponse(invite.Request, 487, toTag: "as83kd9bs"));
        };
        _h.Layer.ReceiveRequest(Request(SipMethod.Invite, "z9hG4bKcall1"), Harness.Udp);
        _h.Layer.ReceiveRequest(Request(SipMethod.Cancel, "z9hG4bKcall1"), Harness.Udp);
        _h.Layer.ReceiveRequest(Request(SipMethod.Ack, "z9hG4bKcall1", toTag: "as83kd9bs"), Harness.Udp);

        Assert.That(_h.Sender.Responses().Select(s => (s.Response.StatusCode, s.Response.CSeq.Method)),
            Is.EqualTo(new[] { (100, SipMethod.Invite), (200, SipMethod.Cancel), (487, SipMethod.Invite) }));
        Assert.That(_h.Acks, Is.Empty);
        _h.AdvanceTo(S(40));
        _h.AssertIdle();
    }

    [Test]
    public void Rfc2543_INVITE_retransmission_is_matched_by_its_fields()
    {
        _h.Layer.ReceiveRequest(Request(SipMethod.Invite, branch: null), Harness.Udp);
        _h.Layer.ReceiveRequest(Request(SipMethod.Invite, branch: null), Harness.Udp);
        Assert.That(_h.NewRequests, Has.Count.EqualTo(1));
        Assert.That(_h.Sender.Responses(100), Has.Count.EqualTo(2), "the retransmission got the 100 again");

        // Any differing field makes a new request: CSeq, From tag, Call-ID, Request-URI, top Via.
        _h.Layer.ReceiveRequest(Request(SipMethod.Invite, branch: null, cseq: 2), Harness.Udp);
        _h.Layer.ReceiveRequest(Request(SipMethod.Invite, branch: null, fromTag: "other"), Harness.Udp);
        _h.Layer.ReceiveRequest(Request(SipMethod.Invite, branch: null, callId: "other@192.0.2.10"), Harness.Udp);
        _h.Layer.ReceiveRequest(Request(SipMethod.Invite, branch: null, uri: "sip:110@hotline.example.cn"), Harness.Udp);
        _h.Layer.ReceiveRequest(Request(SipMethod.Invite, branch: null, sentBy: "192.0.2.10:5070"), Harness.Udp);
        _h.Layer.ReceiveRequest(Request(SipMethod.Invite, branch: "1"), Harness.Udp); // a 2543 branch without the cookie
        Assert.That(_h.NewRequests, Has.Count.EqualTo(7));
    }

    [Test]
    public void Rfc2543_Request_URI_compares_by_URI_equivalence()
    {
        _h.Layer.ReceiveRequest(Request(SipMethod.Options, branch: null, uri: "sip:12345@HOTLINE.example.cn;transport=udp"), Harness.Udp);
        _h.Layer.ReceiveRequest(Request(SipMethod.Options, branch: null, uri: "sip:12345@hotline.example.cn;TRANSPORT=UDP"), Harness.Udp);
        Assert.That(_h.NewRequests, Has.Count.EqualTo(1));
    }

    [Test]
    public void Rfc2543_ACK_matches_by_the_To_tag_of_our_response_and_is_absorbed()
    {
        _h.Layer.ReceiveRequest(Request(SipMethod.Invite, branch: null), Harness.Udp);
        var tx = (InviteServerTransaction)_h.NewRequests.Single();
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 486, toTag: "ourtag"));

        // A 2543 ACK with another To tag is not for this transaction: it goes to the TU.
        _h.Layer.ReceiveRequest(Request(SipMethod.Ack, branch: null, toTag: "wrong"), Harness.Udp);
        Assert.That(tx.State, Is.EqualTo(TransactionState.Completed));
        Assert.That(_h.Acks, Has.Count.EqualTo(1));

        _h.Layer.ReceiveRequest(Request(SipMethod.Ack, branch: null, toTag: "ourtag"), Harness.Udp);
        Assert.That(tx.State, Is.EqualTo(TransactionState.Confirmed));
        Assert.That(_h.Acks, Has.Count.EqualTo(1));
        _h.AdvanceTo(S(5));
        _h.AssertIdle();
    }

    [Test]
    public void Rfc2543_ACK_for_a_2xx_reaches_the_TU_through_the_Accepted_transaction()
    {
        _h.Layer.ReceiveRequest(Request(SipMethod.Invite, branch: null), Harness.Udp);
        var tx = (InviteServerTransaction)_h.NewRequests.Single();
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 200, toTag: "ourtag"));
        _h.Layer.ReceiveRequest(Request(SipMethod.Ack, branch: null, toTag: "ourtag"), Harness.Udp);
        Assert.That(_h.Acks, Has.Count.EqualTo(1));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Accepted));
    }

    [Test]
    public void Rfc2543_CANCEL_finds_its_INVITE_by_its_fields()
    {
        _h.Layer.ReceiveRequest(Request(SipMethod.Invite, branch: null), Harness.Udp);
        _h.Layer.ReceiveRequest(Request(SipMethod.Invite, branch: null, cseq: 7, callId: "other@192.0.2.10"), Harness.Udp);
        var cancel = Request(SipMethod.Cancel, branch: null);
        _h.Layer.ReceiveRequest(cancel, Harness.Udp);

        Assert.That(_h.Layer.FindInviteForCancel(cancel), Is.SameAs(_h.NewRequests[0]));
        Assert.That(_h.Layer.FindInviteForCancel(Request(SipMethod.Cancel, branch: null, cseq: 2)), Is.Null);
        Assert.That(_h.Layer.FindInviteForCancel(Request(SipMethod.Cancel, branch: null, fromTag: "x")), Is.Null);
        Assert.That(_h.NewRequests[2].Request.Method, Is.EqualTo(SipMethod.Cancel), "the CANCEL has its own transaction");
    }

    [Test]
    public void Rfc2543_transactions_leave_the_layer_too()
    {
        _h.Layer.ReceiveRequest(Request(SipMethod.Invite, branch: null), Harness.Udp);
        _h.Layer.ReceiveRequest(Request(SipMethod.Options, branch: null, cseq: 2), Harness.Udp);
        foreach (var t in _h.NewRequests) t.Respond(SipMessageFactory.CreateResponse(t.Request, 404, toTag: "x"));
        Assert.That(_h.Layer.Count, Is.EqualTo(2));
        _h.AdvanceTo(S(32));
        _h.AssertIdle();
    }

    [Test]
    public void ACK_matching_no_transaction_goes_to_the_TU()
    {
        _h.Layer.ReceiveRequest(Request(SipMethod.Ack, "z9hG4bKlonely", toTag: "t"), Harness.Udp);
        Assert.That(_h.Acks, Has.Count.EqualTo(1));
        Assert.That(_h.NewRequests, Is.Empty);
        _h.AssertIdle();
    }

    [Test]
    public void Response_matching_no_client_transaction_is_stray()
    {
        var notSent = Request(SipMethod.Options, "z9hG4bKneversent");
        _h.Layer.ReceiveResponse(Response(notSent, 200), Harness.Udp);

        var sent = Request(SipMethod.Options, "z9hG4bKsent");
        var tx = _h.Layer.SendRequest(sent, Harness.Udp);
        // Right branch, wrong CSeq method: not this transaction's (§17.1.3).
        var wrongMethod = Response(sent, 200);
        wrongMethod.Headers.Set(HeaderNames.CSeq, "1 INFO");
        _h.Layer.ReceiveResponse(wrongMethod, Harness.Udp);

        Assert.That(_h.Strays, Has.Count.EqualTo(2));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Trying));
    }

    [Test]
    public void Concurrent_retransmissions_start_exactly_one_server_transaction()
    {
        var invite = Invite();
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ => _h.Layer.ReceiveRequest(invite, Harness.Udp));
        Assert.That(_h.NewRequests, Has.Count.EqualTo(1));
        Assert.That(_h.Layer.Count, Is.EqualTo(1));
    }
}
