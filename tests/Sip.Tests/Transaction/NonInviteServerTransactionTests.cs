using Telephony.Sip.Message;
using Telephony.Sip.Transaction;
using static Telephony.Sip.Tests.Transaction.Sip;

namespace Telephony.Sip.Tests.Transaction;

/// <summary>RFC 3261 §17.2.2: Timer J.</summary>
public sealed class NonInviteServerTransactionTests
{
    private Harness _h = null!;

    [SetUp]
    public void SetUp() => _h = new Harness();

    [TearDown]
    public void TearDown() => _h.Dispose();

    private static SipRequest Bye(string transport = "UDP") => Request(SipMethod.Bye, "z9hG4bKbye1", transport, cseq: 2, toTag: "as83kd9bs");

    private NonInviteServerTransaction Receive(SipRequest request, Telephony.Sip.Transport.SipEndPoint? from = null)
    {
        _h.Layer.ReceiveRequest(request, from ?? Harness.Udp);
        return (NonInviteServerTransaction)_h.NewRequests.Last();
    }

    [Test]
    public void Request_retransmission_in_Trying_is_discarded()
    {
        var tx = Receive(Bye());
        _h.Layer.ReceiveRequest(Bye(), Harness.Udp);
        Assert.That(tx.State, Is.EqualTo(TransactionState.Trying));
        Assert.That(_h.Sender.All, Is.Empty, "no 100 for non-INVITE, nothing to resend yet");
        Assert.That(_h.NewRequests, Has.Count.EqualTo(1));
    }

    [Test]
    public void Request_retransmission_in_Proceeding_gets_the_last_provisional()
    {
        var tx = Receive(Bye());
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 100));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Proceeding));
        _h.AdvanceTo(S(0.5));
        _h.Layer.ReceiveRequest(Bye(), Harness.Udp);
        Assert.That(_h.Sender.Responses(100).Select(s => s.At), Is.EqualTo(new[] { S(0), S(0.5) }));
    }

    [Test]
    public void Non_invite_server_keeps_the_final_response_for_retransmissions_until_timer_J()
    {
        var tx = Receive(Bye());
        _h.AdvanceTo(S(1));
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 200));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Completed));

        _h.AdvanceTo(S(1.5));
        _h.Layer.ReceiveRequest(Bye(), Harness.Udp);
        _h.AdvanceTo(S(20));
        _h.Layer.ReceiveRequest(Bye(), Harness.Udp);
        Assert.That(_h.Sender.Responses(200).Select(s => s.At), Is.EqualTo(new[] { S(1), S(1.5), S(20) }), "no retransmission of its own");

        // Later finals from the TU are discarded.
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 500));
        Assert.That(_h.Sender.Responses(500), Is.Empty);

        // J = 64·T1 after the final response.
        _h.AdvanceTo(S(32.9));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Completed));
        _h.AdvanceTo(S(33));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Terminated));
        Assert.That(_h.NewRequests, Has.Count.EqualTo(1));
        _h.AssertIdle();
    }

    [Test]
    public void Timer_J_is_zero_on_a_reliable_transport()
    {
        var tx = Receive(Bye("TCP"), Harness.Tcp);
        var terminated = 0;
        tx.Terminated += _ => terminated++;
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 200));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Terminated));
        Assert.That(terminated, Is.EqualTo(1));
        _h.AssertIdle();
    }

    [Test]
    public void A_request_after_timer_J_is_a_new_request()
    {
        var tx = Receive(Bye());
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 200));
        _h.AdvanceTo(S(32));
        _h.Layer.ReceiveRequest(Bye(), Harness.Udp);
        Assert.That(_h.NewRequests, Has.Count.EqualTo(2));
    }

    [Test]
    public void Transport_error_on_the_final_response_fails_and_terminates()
    {
        var tx = Receive(Bye());
        var failures = new List<TransactionFailure>();
        tx.Failed += (_, f) => failures.Add(f);
        _h.Sender.Refuse = _ => true;
        tx.Respond(SipMessageFactory.CreateResponse(tx.Request, 200));
        Assert.That(failures, Is.EqualTo(new[] { TransactionFailure.TransportError }));
        _h.AssertIdle();
    }

    [Test]
    public void A_TU_that_throws_in_NewRequest_gets_a_500_sent_for_it()
    {
        _h.OnNewRequest = _ => throw new InvalidOperationException("TU bug");
        Receive(Bye());
        Assert.That(_h.Sender.Responses(500), Has.Count.EqualTo(1));
        _h.AdvanceTo(S(32));
        _h.AssertIdle();
    }

    [Test]
    public void Without_a_TU_the_layer_answers_503()
    {
        _h.Layer.NewRequest = null;
        _h.Layer.ReceiveRequest(Request(SipMethod.Options, "z9hG4bKopt9"), Harness.Udp);
        Assert.That(_h.Sender.Responses(503), Has.Count.EqualTo(1));
        _h.AdvanceTo(S(32));
        _h.AssertIdle();
    }
}
