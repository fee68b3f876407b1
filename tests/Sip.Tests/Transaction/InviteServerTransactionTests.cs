using Telephony.Sip.Message;
using Telephony.Sip.Transaction;
using static Telephony.Sip.Tests.Transaction.Sip;

namespace Telephony.Sip.Tests.Transaction;

/// <summary>RFC 3261 §17.2.1 with RFC 6026 §7.1: Timers G, H, I, L.</summary>
public sealed class InviteServerTransactionTests
{
    private Harness _h = null!;

    [SetUp]
    public void SetUp() => _h = new Harness();

    [TearDown]
    public void TearDown() => _h.Dispose();

    private InviteServerTransaction Receive(SipRequest invite, Telephony.Sip.Transport.SipEndPoint? from = null)
    {
        _h.Layer.ReceiveRequest(invite, from ?? Harness.Udp);
        return (InviteServerTransaction)_h.NewRequests.Last();
    }

    private static SipRequest Ack(string branch = "z9hG4bK74bf9", string toTag = "as83kd9bs", string transport = "UDP") =>
        Request(SipMethod.Ack, branch, transport, toTag: toTag);

    [Test]
    public void Invite_server_sends_100_Trying_at_once_when_the_TU_has_not_answered()
    {
        var tx = Receive(Invite());

        Assert.That(tx.State, Is.EqualTo(TransactionState.Proceeding));
        var trying = _h.Sender.Responses(100).Single();
        Assert.That(trying.At, Is.EqualTo(S(0)));
        Assert.That(trying.To, Is.EqualTo(Harness.Udp));
        Assert.That(trying.Response.To!.Tag, Is.Null);
        Assert.That(trying.Response.CSeq.Method, Is.EqualTo(SipMethod.Invite));
    }

    [Test]
    public void No_100_Trying_when_the_TU_answers_within_NewRequest()
    {
        _h.OnNewRequest = t => t.Respond(SipMessageFactory.CreateResponse(t.Request, 180, toTag: "as83kd9bs"));
        Receive(Invite());
        Assert.That(_h.Sender.Responses().Select(s => s.Response.StatusCode), Is.EqualTo(new[] { 180 }));
    }

    [Test]
    public void Retransmitted_INVITE_is_absorbed_and_the_last_provisional_resent()
    {
        var tx = Receive(Invite());
        _h.AdvanceTo(S(0.5));
        _h.Layer.ReceiveRequest(Invite(), Harness.Udp);
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 180, toTag: "as83kd9bs"));
        _h.AdvanceTo(S(1.5));
        _h.Layer.ReceiveRequest(Invite(), Harness.Udp);

        Assert.That(_h.NewRequests, Has.Count.EqualTo(1));
        Assert.That(_h.Sender.Responses().Select(s => (s.Response.StatusCode, s.At)),
            Is.EqualTo(new[] { (100, S(0)), (100, S(0.5)), (180, S(0.5)), (180, S(1.5)) }));
        Assert.That(_h.Layer.Count, Is.EqualTo(1));
    }

    [Test]
    public void Invite_server_retransmits_final_response_on_timer_G_until_H_fires()
    {
        var tx = Receive(Invite());
        var failures = new List<TransactionFailure>();
        var terminated = 0;
        tx.Failed += (_, f) => failures.Add(f);
        tx.Terminated += _ => terminated++;
        _h.AdvanceTo(S(1));
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 486, toTag: "as83kd9bs"));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Completed));

        _h.AdvanceTo(S(32.9));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Completed));
        _h.AdvanceTo(S(33));

        // G: T1, 2·T1, 4·T1, then capped at T2 = 4 s; H = 64·T1 after the 486.
        Assert.That(_h.Sender.Responses(486).Select(s => s.At),
            Is.EqualTo(new[] { S(1), S(1.5), S(2.5), S(4.5), S(8.5), S(12.5), S(16.5), S(20.5), S(24.5), S(28.5), S(32.5) }));
        Assert.That(failures, Is.EqualTo(new[] { TransactionFailure.Timeout }), "Timer H: the ACK never came");
        Assert.That(terminated, Is.EqualTo(1));
        _h.AssertIdle();
    }

    [Test]
    public void Retransmitted_INVITE_in_Completed_gets_the_final_response_again()
    {
        var tx = Receive(Invite());
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 480, toTag: "as83kd9bs"));
        _h.AdvanceTo(S(0.2));
        _h.Layer.ReceiveRequest(Invite(), Harness.Udp);
        Assert.That(_h.Sender.Responses(480).Select(s => s.At), Is.EqualTo(new[] { S(0), S(0.2) }));
        Assert.That(_h.NewRequests, Has.Count.EqualTo(1));
    }

    [Test]
    public void ACK_for_a_non_2xx_is_absorbed_stops_G_and_timer_I_ends_the_transaction()
    {
        var tx = Receive(Invite());
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 486, toTag: "as83kd9bs"));
        _h.AdvanceTo(S(1));
        _h.Layer.ReceiveRequest(Ack(), Harness.Udp);

        Assert.That(tx.State, Is.EqualTo(TransactionState.Confirmed));
        _h.AdvanceTo(S(2));
        _h.Layer.ReceiveRequest(Ack(), Harness.Udp); // retransmitted ACK: absorbed in Confirmed
        Assert.That(_h.Acks, Is.Empty, "the ACK for a non-2xx is the transaction's, not the TU's");

        // I = T4 after the ACK.
        _h.AdvanceTo(S(5.9));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Confirmed));
        _h.AdvanceTo(S(6));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Terminated));
        Assert.That(_h.Sender.Responses(486).Select(s => s.At), Is.EqualTo(new[] { S(0), S(0.5) }), "G stopped at the ACK");
        _h.AssertIdle();
    }

    [Test]
    public void Invite_server_on_a_reliable_transport_does_not_retransmit_but_H_still_runs()
    {
        var tx = Receive(Invite(transport: "TCP"), Harness.Tcp);
        var failures = new List<TransactionFailure>();
        tx.Failed += (_, f) => failures.Add(f);
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 404, toTag: "as83kd9bs"));
        Assert.That(_h.Queue.Pending, Is.EqualTo(1), "Timer H only: G is not started");

        _h.AdvanceTo(S(31.9));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Completed));
        _h.AdvanceTo(S(32));

        Assert.That(_h.Sender.Responses(404), Has.Count.EqualTo(1));
        Assert.That(failures, Is.EqualTo(new[] { TransactionFailure.Timeout }));
        _h.AssertIdle();
    }

    [Test]
    public void Timer_I_is_zero_on_a_reliable_transport()
    {
        var tx = Receive(Invite(transport: "TCP"), Harness.Tcp);
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 404, toTag: "as83kd9bs"));
        _h.Layer.ReceiveRequest(Ack(transport: "TCP"), Harness.Tcp);
        Assert.That(tx.State, Is.EqualTo(TransactionState.Terminated));
        Assert.That(_h.Acks, Is.Empty);
        _h.AssertIdle();
    }

    [Test]
    public void Invite_server_enters_Accepted_on_2xx_absorbs_INVITE_retransmissions_and_L_ends_it()
    {
        var tx = Receive(Invite());
        var ok = SipMessageFactory.CreateResponse(tx.Request, 200, toTag: "as83kd9bs");
        _h.AdvanceTo(S(1));
        tx.Respond(ok);
        Assert.That(tx.State, Is.EqualTo(TransactionState.Accepted));

        // A retransmitted INVITE is neither a new request nor answered by the transaction (RFC 6026 §7.1).
        _h.AdvanceTo(S(1.2));
        _h.Layer.ReceiveRequest(Invite(), Harness.Udp);
        Assert.That(_h.NewRequests, Has.Count.EqualTo(1));
        Assert.That(_h.Sender.Responses(200).Select(s => s.At), Is.EqualTo(new[] { S(1) }));

        // The TU's own 2xx retransmissions (§13.3.1.4) go out through Respond.
        _h.AdvanceTo(S(1.5));
        tx.Respond(ok);
        Assert.That(_h.Sender.Responses(200).Select(s => s.At), Is.EqualTo(new[] { S(1), S(1.5) }));
        // Nothing else is accepted any more.
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 486, toTag: "as83kd9bs"));
        Assert.That(_h.Sender.Responses(486), Is.Empty);

        // L = 64·T1 after the 2xx; no G retransmissions meanwhile (the 2xx is the TU's to repeat).
        _h.AdvanceTo(S(32.9));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Accepted));
        Assert.That(_h.Sender.Responses(200), Has.Count.EqualTo(2));
        _h.AdvanceTo(S(33));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Terminated));
        _h.AssertIdle();
    }

    [Test]
    public void ACK_for_a_2xx_goes_to_the_TU()
    {
        var tx = Receive(Invite());
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 200, toTag: "as83kd9bs"));

        // An RFC 3261 UAC ACKs a 2xx in a new transaction: new branch, no server transaction matches.
        _h.Layer.ReceiveRequest(Ack(branch: "z9hG4bKnewack"), Harness.Udp);
        // One that reuses the INVITE's branch matches the transaction in Accepted, which passes it up too.
        _h.Layer.ReceiveRequest(Ack(), Harness.Udp);

        Assert.That(_h.Acks.Select(a => a.TopVia!.Branch), Is.EqualTo(new[] { "z9hG4bKnewack", "z9hG4bK74bf9" }));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Accepted));
        Assert.That(_h.NewRequests, Has.Count.EqualTo(1), "ACK never starts a server transaction");
    }

    [Test]
    public void Timer_L_also_runs_on_a_reliable_transport()
    {
        var tx = Receive(Invite(transport: "TCP"), Harness.Tcp);
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 200, toTag: "as83kd9bs"));
        _h.AdvanceTo(S(31.9));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Accepted));
        _h.AdvanceTo(S(32));
        _h.AssertIdle();
    }

    [Test]
    public void Respond_after_the_final_response_is_ignored_not_thrown()
    {
        var tx = Receive(Invite());
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 486, toTag: "as83kd9bs"));
        Assert.DoesNotThrow(() => tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 200, toTag: "as83kd9bs")));
        Assert.DoesNotThrow(() => tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 180, toTag: "as83kd9bs")));
        Assert.That(_h.Sender.Responses(200), Is.Empty);
        Assert.That(_h.Sender.Responses(180), Is.Empty);
        Assert.That(tx.LastResponse!.StatusCode, Is.EqualTo(486));
    }

    [Test]
    public void Transport_error_on_a_response_fails_the_transaction_and_removes_it()
    {
        var tx = Receive(Invite());
        var events = new List<string>();
        tx.Failed += (_, f) => events.Add(f.ToString());
        tx.Terminated += _ => events.Add("Terminated");
        _h.Sender.Refuse = _ => true;

        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 180, toTag: "as83kd9bs"));

        Assert.That(events, Is.EqualTo(new[] { "TransportError", "Terminated" }));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Terminated));
        _h.AssertIdle();
    }

    [Test]
    public void Transport_error_on_a_timer_G_retransmission_stops_the_retransmissions()
    {
        var tx = Receive(Invite());
        var failures = new List<TransactionFailure>();
        tx.Failed += (_, f) => failures.Add(f);
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 486, toTag: "as83kd9bs"));
        _h.Sender.Refuse = _ => true;

        _h.AdvanceTo(S(40));

        Assert.That(_h.Sender.Responses(486), Has.Count.EqualTo(2));
        Assert.That(failures, Is.EqualTo(new[] { TransactionFailure.TransportError }));
        _h.AssertIdle();
    }

    [Test]
    public void Failed_is_raised_outside_the_transaction_lock()
    {
        var tx = Receive(Invite());
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 486, toTag: "as83kd9bs"));
        var otherThreadGotIn = false;
        tx.Failed += (t, _) =>
            // Another thread touching the transaction would block if the handler ran under its lock.
            otherThreadGotIn = Task.Run(() => ((ServerTransaction)t).Respond(SipMessageFactory.CreateResponse(t.Request, 500)))
                .Wait(TimeSpan.FromSeconds(5));
        _h.AdvanceTo(S(32));
        Assert.That(otherThreadGotIn, Is.True);
    }
}
