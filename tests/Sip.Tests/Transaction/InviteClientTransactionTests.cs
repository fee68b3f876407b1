using Telephony.Sip.Message;
using Telephony.Sip.Transaction;
using static Telephony.Sip.Tests.Transaction.Sip;

namespace Telephony.Sip.Tests.Transaction;

/// <summary>RFC 3261 §17.1.1 with RFC 6026 §7.2: Timers A, B, D, M.</summary>
public sealed class InviteClientTransactionTests
{
    private Harness _h = null!;

    [SetUp]
    public void SetUp() => _h = new Harness();

    [TearDown]
    public void TearDown() => _h.Dispose();

    private (ClientTransaction Tx, List<SipResponse> ToTu) Send(SipRequest invite, Telephony.Sip.Transport.SipEndPoint? to = null)
    {
        var toTu = new List<SipResponse>();
        var tx = _h.Layer.SendRequest(invite, to ?? Harness.Udp, toTu.Add);
        return (tx, toTu);
    }

    [Test]
    public void Invite_client_retransmits_on_timer_A_doubling_from_T1_until_B_fires_at_64_T1()
    {
        var (tx, _) = Send(Invite());
        var failures = new List<TransactionFailure>();
        tx.Failed += (_, f) => failures.Add(f);
        Assert.That(tx.State, Is.EqualTo(TransactionState.Calling));

        _h.AdvanceTo(S(31.9));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Calling));
        _h.AdvanceTo(S(32));

        // A: T1, 2·T1, 4·T1, 8·T1, 16·T1, 32·T1 after the previous send.
        Assert.That(_h.Sender.Requests(SipMethod.Invite).Select(s => s.At),
            Is.EqualTo(new[] { S(0), S(0.5), S(1.5), S(3.5), S(7.5), S(15.5), S(31.5) }));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Terminated));
        Assert.That(failures, Is.EqualTo(new[] { TransactionFailure.Timeout }));
        _h.AssertIdle();
    }

    [Test]
    public void Timer_A_keeps_doubling_past_T2()
    {
        using var h = new Harness(new SipTimerOptions { T1 = Ms(500), T2 = S(1) });
        h.Layer.SendRequest(Invite(), Harness.Udp);
        h.AdvanceTo(S(8));
        // E and G would stop at T2 = 1 s intervals (2.5, 3.5...); A goes on doubling.
        Assert.That(h.Sender.Requests(SipMethod.Invite).Select(s => s.At),
            Is.EqualTo(new[] { S(0), S(0.5), S(1.5), S(3.5), S(7.5) }));
    }

    [Test]
    public void Timer_B_synthesizes_a_408_for_the_TU()
    {
        var (tx, toTu) = Send(Invite());
        _h.AdvanceTo(S(32));

        Assert.That(tx.FinalResponse.IsCompletedSuccessfully, Is.True);
        var response = tx.FinalResponse.Result;
        Assert.That(response.StatusCode, Is.EqualTo(408));
        Assert.That(response.CallId, Is.EqualTo(CallId));
        Assert.That(response.CSeq, Is.EqualTo(new CSeqHeader(1, SipMethod.Invite)));
        Assert.That(toTu, Is.Empty, "a synthesized response is not something the network sent");
    }

    [Test]
    public void Timers_scale_with_a_configured_T1()
    {
        using var h = new Harness(new SipTimerOptions { T1 = S(1), T2 = S(4) });
        var tx = h.Layer.SendRequest(Invite(), Harness.Udp);
        h.AdvanceTo(S(63.9));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Calling));
        h.AdvanceTo(S(64));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Terminated));
        Assert.That(h.Sender.Requests(SipMethod.Invite).Select(s => s.At), Is.EqualTo(new[] { S(0), S(1), S(3), S(7), S(15), S(31), S(63) }));
    }

    [Test]
    public void Invite_client_on_a_reliable_transport_sends_once_and_still_times_out_on_B()
    {
        var (tx, _) = Send(Invite(transport: "TCP"), Harness.Tcp);
        Assert.That(_h.Queue.Pending, Is.EqualTo(1), "Timer B only: A is not started");
        _h.AdvanceTo(S(32));
        Assert.That(_h.Sender.Requests(SipMethod.Invite).Select(s => s.At), Is.EqualTo(new[] { S(0) }));
        Assert.That(tx.FinalResponse.Result.StatusCode, Is.EqualTo(408));
        _h.AssertIdle();
    }

    [Test]
    public void Provisional_response_stops_retransmissions_and_timer_B()
    {
        var invite = Invite();
        var (tx, toTu) = Send(invite);
        _h.AdvanceTo(S(1));
        _h.Layer.ReceiveResponse(Response(invite, 180), Harness.Udp);

        _h.AdvanceTo(S(120));

        Assert.That(tx.State, Is.EqualTo(TransactionState.Proceeding));
        Assert.That(_h.Sender.Requests(SipMethod.Invite).Select(s => s.At), Is.EqualTo(new[] { S(0), S(0.5) }));
        Assert.That(toTu.Select(r => r.StatusCode), Is.EqualTo(new[] { 180 }));
        Assert.That(tx.FinalResponse.IsCompleted, Is.False, "in Proceeding only the TU (CANCEL) ends the wait");
        Assert.That(_h.Layer.Count, Is.EqualTo(1));
    }

    [Test]
    public void Non_2xx_final_is_acked_by_the_transaction_and_retransmissions_reacked_until_timer_D()
    {
        var invite = Invite(extraHeaders: "Route: <sip:proxy1.example.cn;lr>\r\nRoute: <sip:proxy2.example.cn;lr>\r\n");
        var (tx, toTu) = Send(invite);
        _h.Layer.ReceiveResponse(Response(invite, 180), Harness.Udp);
        _h.AdvanceTo(S(2));
        var busy = Response(invite, 486);
        _h.Layer.ReceiveResponse(busy, Harness.Udp);

        Assert.That(tx.State, Is.EqualTo(TransactionState.Completed));
        Assert.That(tx.FinalResponse.Result.StatusCode, Is.EqualTo(486));
        var ack = _h.Sender.Requests(SipMethod.Ack).Single();
        Assert.That(ack.At, Is.EqualTo(S(2)));
        AssertAckFor(invite, busy, ack.Request);

        // The server's Timer G resends the 486: each copy is ACKed again, none reaches the TU.
        _h.AdvanceTo(S(2.5));
        _h.Layer.ReceiveResponse(Response(invite, 486), Harness.Udp);
        _h.AdvanceTo(S(3.5));
        _h.Layer.ReceiveResponse(Response(invite, 486), Harness.Udp);
        Assert.That(_h.Sender.Requests(SipMethod.Ack).Select(s => s.At), Is.EqualTo(new[] { S(2), S(2.5), S(3.5) }));
        Assert.That(toTu.Select(r => r.StatusCode), Is.EqualTo(new[] { 180, 486 }));

        // Timer D: 32 s after entering Completed.
        _h.AdvanceTo(S(33.9));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Completed));
        _h.AdvanceTo(S(34));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Terminated));
        _h.AssertIdle();
        Assert.That(_h.Strays, Is.Empty);
    }

    private static void AssertAckFor(SipRequest invite, SipResponse response, SipRequest ack)
    {
        // §17.1.1.3
        Assert.That(ack.RequestUri.ToString(), Is.EqualTo(invite.RequestUri.ToString()));
        Assert.That(ack.CallId, Is.EqualTo(invite.CallId));
        Assert.That(ack.Headers.Get(HeaderNames.From), Is.EqualTo(invite.Headers.Get(HeaderNames.From)));
        Assert.That(ack.Headers.Get(HeaderNames.To), Is.EqualTo(response.Headers.Get(HeaderNames.To)));
        Assert.That(ack.To!.Tag, Is.EqualTo("as83kd9bs"));
        Assert.That(ack.Headers.GetAll(HeaderNames.Via), Is.EqualTo(new[] { invite.Headers.GetAll(HeaderNames.Via)[0] }));
        Assert.That(ack.CSeq, Is.EqualTo(new CSeqHeader(invite.CSeq.Number, SipMethod.Ack)));
        Assert.That(ack.Headers.GetAll(HeaderNames.Route), Is.EqualTo(invite.Headers.GetAll(HeaderNames.Route)));
        // And it survives the round trip through the wire format.
        Assert.That(SipParser.Parse(ack.ToString()).Success, Is.True);
    }

    [Test]
    public void Timer_D_is_zero_on_a_reliable_transport()
    {
        var invite = Invite(transport: "TCP");
        var (tx, _) = Send(invite, Harness.Tcp);
        _h.Layer.ReceiveResponse(Response(invite, 603), Harness.Tcp);

        Assert.That(_h.Sender.Requests(SipMethod.Ack), Has.Count.EqualTo(1));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Terminated));
        _h.AssertIdle();
    }

    [Test]
    public void Invite_client_enters_Accepted_on_2xx_and_passes_2xx_retransmissions_to_the_TU_until_timer_M()
    {
        var invite = Invite();
        var (tx, toTu) = Send(invite);
        _h.AdvanceTo(S(1));
        var ok = Response(invite, 200);
        _h.Layer.ReceiveResponse(ok, Harness.Udp);

        Assert.That(tx.State, Is.EqualTo(TransactionState.Accepted));
        Assert.That(tx.FinalResponse.Result, Is.SameAs(ok));
        Assert.That(_h.Sender.Requests(SipMethod.Ack), Is.Empty, "the ACK for a 2xx is the TU's (§13.2.2.4)");

        // The UAS core retransmits its 2xx (§13.3.1.4), and a forking proxy may deliver another UAS's 2xx.
        _h.AdvanceTo(S(1.5));
        _h.Layer.ReceiveResponse(Response(invite, 200), Harness.Udp);
        _h.Layer.ReceiveResponse(Response(invite, 200, toTag: "forked"), Harness.Udp);
        _h.Layer.ReceiveResponse(Response(invite, 180), Harness.Udp); // not for the TU any more
        Assert.That(toTu.Select(r => r.StatusCode), Is.EqualTo(new[] { 200, 200, 200 }));
        Assert.That(toTu[2].To!.Tag, Is.EqualTo("forked"));
        Assert.That(_h.Sender.Requests(SipMethod.Invite), Has.Count.EqualTo(2), "A stopped at the 2xx");

        // Timer M = 64·T1 after the first 2xx.
        _h.AdvanceTo(S(32.9));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Accepted));
        _h.AdvanceTo(S(33));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Terminated));
        _h.AssertIdle();

        // After M a retransmitted 2xx is stray: the UAC core must ACK it again from its dialog.
        _h.Layer.ReceiveResponse(Response(invite, 200), Harness.Udp);
        Assert.That(_h.Strays.Select(r => r.StatusCode), Is.EqualTo(new[] { 200 }));
    }

    [Test]
    public void Timer_M_also_runs_on_a_reliable_transport()
    {
        var invite = Invite(transport: "TCP");
        var (tx, _) = Send(invite, Harness.Tcp);
        _h.Layer.ReceiveResponse(Response(invite, 200), Harness.Tcp);
        _h.AdvanceTo(S(31.9));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Accepted));
        _h.AdvanceTo(S(32));
        _h.AssertIdle();
    }

    [Test]
    public void Transport_error_on_the_INVITE_fails_the_transaction_with_a_synthesized_503()
    {
        _h.Sender.Refuse = _ => true;
        var (tx, toTu) = Send(Invite());

        Assert.That(tx.State, Is.EqualTo(TransactionState.Terminated));
        Assert.That(tx.FinalResponse.Result.StatusCode, Is.EqualTo(503));
        Assert.That(toTu, Is.Empty);
        _h.AssertIdle();
    }

    [Test]
    public void Transport_error_on_a_retransmission_reports_TransportError_and_terminates()
    {
        var (tx, _) = Send(Invite());
        var failures = new List<TransactionFailure>();
        var terminated = 0;
        tx.Failed += (_, f) => failures.Add(f);
        tx.Terminated += _ => terminated++;
        _h.Sender.Refuse = _ => true;

        _h.AdvanceTo(S(0.5));

        Assert.That(failures, Is.EqualTo(new[] { TransactionFailure.TransportError }));
        Assert.That(terminated, Is.EqualTo(1));
        Assert.That(tx.FinalResponse.Result.StatusCode, Is.EqualTo(503));
        _h.AdvanceTo(S(40));
        Assert.That(_h.Sender.Requests(SipMethod.Invite), Has.Count.EqualTo(2));
        _h.AssertIdle();
    }

    [Test]
    public void Transport_error_on_the_ACK_terminates_but_keeps_the_real_final_response()
    {
        var invite = Invite();
        var (tx, _) = Send(invite);
        var failures = new List<TransactionFailure>();
        tx.Failed += (_, f) => failures.Add(f);
        _h.Sender.Refuse = m => m is SipRequest { Method: SipMethod.Ack };

        _h.Layer.ReceiveResponse(Response(invite, 486), Harness.Udp);

        Assert.That(failures, Is.EqualTo(new[] { TransactionFailure.TransportError }));
        Assert.That(tx.FinalResponse.Result.StatusCode, Is.EqualTo(486));
        _h.AssertIdle();
    }

    [Test]
    public void CreateCancel_builds_the_CANCEL_of_section_9_1()
    {
        var invite = Request(SipMethod.Invite, "z9hG4bKcancelme", cseq: 314,
            extraHeaders: "Route: <sip:proxy1.example.cn;lr>\r\nContact: <sip:13800138000@192.0.2.10>\r\n");
        invite.Headers.Add(HeaderNames.Via, "SIP/2.0/UDP 198.51.100.7;branch=z9hG4bKlower"); // not copied: one Via only
        var tx = (InviteClientTransaction)_h.Layer.SendRequest(invite, Harness.Udp);

        var cancel = tx.CreateCancel();

        Assert.That(cancel.Method, Is.EqualTo(SipMethod.Cancel));
        Assert.That(cancel.RequestUri.ToString(), Is.EqualTo(invite.RequestUri.ToString()));
        Assert.That(cancel.CallId, Is.EqualTo(invite.CallId));
        Assert.That(cancel.Headers.Get(HeaderNames.From), Is.EqualTo(invite.Headers.Get(HeaderNames.From)));
        Assert.That(cancel.Headers.Get(HeaderNames.To), Is.EqualTo(invite.Headers.Get(HeaderNames.To)));
        Assert.That(cancel.CSeq, Is.EqualTo(new CSeqHeader(314, SipMethod.Cancel)));
        Assert.That(cancel.Headers.GetAll(HeaderNames.Via), Is.EqualTo(new[] { invite.Headers.GetAll(HeaderNames.Via)[0] }));
        Assert.That(cancel.Headers.GetAll(HeaderNames.Route), Is.EqualTo(new[] { "<sip:proxy1.example.cn;lr>" }));
        Assert.That(cancel.Headers.Contains(HeaderNames.Contact), Is.False);
        Assert.That(SipParser.Parse(cancel.ToString()).Success, Is.True);
    }

    [Test]
    public void CANCEL_runs_as_its_own_transaction_and_responses_are_told_apart_by_CSeq_method()
    {
        var invite = Invite();
        var inviteTx = (InviteClientTransaction)_h.Layer.SendRequest(invite, Harness.Udp);
        _h.Layer.ReceiveResponse(Response(invite, 180), Harness.Udp);
        var cancel = inviteTx.CreateCancel();
        var cancelTx = _h.Layer.SendRequest(cancel, Harness.Udp);
        Assert.That(cancelTx, Is.InstanceOf<NonInviteClientTransaction>());
        Assert.That(_h.Layer.Count, Is.EqualTo(2));

        // Same branch for both; the CSeq method says which transaction a response belongs to.
        _h.Layer.ReceiveResponse(Response(cancel, 200), Harness.Udp);
        _h.Layer.ReceiveResponse(Response(invite, 487), Harness.Udp);

        Assert.That(cancelTx.FinalResponse.Result.StatusCode, Is.EqualTo(200));
        Assert.That(inviteTx.FinalResponse.Result.StatusCode, Is.EqualTo(487));
        Assert.That(_h.Sender.Requests(SipMethod.Ack), Has.Count.EqualTo(1));
        _h.AdvanceTo(S(40));
        _h.AssertIdle();
    }

    [Test]
    public void A_cancelled_INVITE_that_never_gets_a_final_response_is_given_up_64_T1_after_the_CANCEL()
    {
        var invite = Invite();
        var inviteTx = (InviteClientTransaction)_h.Layer.SendRequest(invite, Harness.Udp);
        _h.Layer.ReceiveResponse(Response(invite, 180), Harness.Udp);
        _h.AdvanceTo(S(10));
        var cancel = inviteTx.CreateCancel();
        _h.Layer.SendRequest(cancel, Harness.Udp);
        _h.Layer.ReceiveResponse(Response(cancel, 200), Harness.Udp);

        _h.AdvanceTo(S(41.9));
        Assert.That(inviteTx.State, Is.EqualTo(TransactionState.Proceeding));
        _h.AdvanceTo(S(42));

        Assert.That(inviteTx.State, Is.EqualTo(TransactionState.Terminated));
        Assert.That(inviteTx.FinalResponse.Result.StatusCode, Is.EqualTo(408));
        _h.AssertIdle();
    }

    [Test]
    public void SendRequest_refuses_ACK_a_missing_branch_and_a_duplicate_branch()
    {
        Assert.Throws<ArgumentException>(() => _h.Layer.SendRequest(Request(SipMethod.Ack, "z9hG4bKack"), Harness.Udp));
        Assert.Throws<ArgumentException>(() => _h.Layer.SendRequest(Invite(branch: null), Harness.Udp));
        _h.Layer.SendRequest(Invite(), Harness.Udp);
        Assert.Throws<InvalidOperationException>(() => _h.Layer.SendRequest(Invite(), Harness.Udp));
        Assert.That(_h.Layer.Count, Is.EqualTo(1));
    }

    [Test]
    public void Layer_shutdown_cancels_pending_final_responses()
    {
        var (tx, _) = Send(Invite());
        _h.Layer.Dispose();
        Assert.That(tx.FinalResponse.IsCanceled, Is.True);
        Assert.That(_h.Queue.Pending, Is.EqualTo(0));
    }
}
