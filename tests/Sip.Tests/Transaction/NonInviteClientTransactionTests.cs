using Telephony.Sip.Message;
using Telephony.Sip.Transaction;
using static Telephony.Sip.Tests.Transaction.Sip;

namespace Telephony.Sip.Tests.Transaction;

/// <summary>RFC 3261 §17.1.2: Timers E, F, K.</summary>
public sealed class NonInviteClientTransactionTests
{
    private Harness _h = null!;

    [SetUp]
    public void SetUp() => _h = new Harness();

    [TearDown]
    public void TearDown() => _h.Dispose();

    private static SipRequest Options(string transport = "UDP") => Request(SipMethod.Options, "z9hG4bKopt1", transport);

    [Test]
    public void Non_invite_client_retransmits_on_timer_E_doubling_capped_at_T2_until_F_fires()
    {
        var tx = _h.Layer.SendRequest(Options(), Harness.Udp);
        var failures = new List<TransactionFailure>();
        tx.Failed += (_, f) => failures.Add(f);
        Assert.That(tx.State, Is.EqualTo(TransactionState.Trying));

        _h.AdvanceTo(S(31.9));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Trying));
        _h.AdvanceTo(S(32));

        // Intervals 0.5, 1, 2, then T2 = 4 s from there on.
        Assert.That(_h.Sender.Requests(SipMethod.Options).Select(s => s.At),
            Is.EqualTo(new[] { S(0), S(0.5), S(1.5), S(3.5), S(7.5), S(11.5), S(15.5), S(19.5), S(23.5), S(27.5), S(31.5) }));
        Assert.That(failures, Is.EqualTo(new[] { TransactionFailure.Timeout }));
        Assert.That(tx.FinalResponse.Result.StatusCode, Is.EqualTo(408), "§8.1.3.1: Timer F is treated as a 408");
        _h.AssertIdle();
    }

    [Test]
    public void In_Proceeding_timer_E_retransmits_every_T2()
    {
        var request = Options();
        var tx = _h.Layer.SendRequest(request, Harness.Udp);
        _h.AdvanceTo(S(0.7));
        _h.Layer.ReceiveResponse(Response(request, 100), Harness.Udp);
        Assert.That(tx.State, Is.EqualTo(TransactionState.Proceeding));

        _h.AdvanceTo(S(14));

        // The E armed in Trying (1 s, due at 1.5) still fires; from then on every T2.
        Assert.That(_h.Sender.Requests(SipMethod.Options).Select(s => s.At),
            Is.EqualTo(new[] { S(0), S(0.5), S(1.5), S(5.5), S(9.5), S(13.5) }));
    }

    [Test]
    public void Timer_F_fires_in_Proceeding_too()
    {
        var request = Options();
        var tx = _h.Layer.SendRequest(request, Harness.Udp);
        _h.Layer.ReceiveResponse(Response(request, 100), Harness.Udp);
        _h.AdvanceTo(S(32));
        Assert.That(tx.FinalResponse.Result.StatusCode, Is.EqualTo(408));
        _h.AssertIdle();
    }

    [Test]
    public void Final_response_goes_to_the_TU_once_and_retransmissions_are_absorbed_until_timer_K()
    {
        var request = Options();
        var toTu = new List<SipResponse>();
        var tx = _h.Layer.SendRequest(request, Harness.Udp, toTu.Add);
        _h.AdvanceTo(S(1));
        _h.Layer.ReceiveResponse(Response(request, 200), Harness.Udp);

        Assert.That(tx.State, Is.EqualTo(TransactionState.Completed));
        Assert.That(tx.FinalResponse.Result.StatusCode, Is.EqualTo(200));

        _h.AdvanceTo(S(2));
        _h.Layer.ReceiveResponse(Response(request, 200), Harness.Udp);
        Assert.That(toTu.Select(r => r.StatusCode), Is.EqualTo(new[] { 200 }));
        Assert.That(_h.Strays, Is.Empty);
        Assert.That(_h.Sender.Requests(SipMethod.Options).Select(s => s.At), Is.EqualTo(new[] { S(0), S(0.5) }), "E stops at the final response");

        // K = T4 after the final response.
        _h.AdvanceTo(S(5.9));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Completed));
        _h.AdvanceTo(S(6));
        Assert.That(tx.State, Is.EqualTo(TransactionState.Terminated));
        _h.AssertIdle();
    }

    [Test]
    public void Non_invite_client_on_a_reliable_transport_never_retransmits_and_K_is_zero()
    {
        var request = Options("TCP");
        var tx = _h.Layer.SendRequest(request, Harness.Tcp);
        Assert.That(_h.Queue.Pending, Is.EqualTo(1), "Timer F only: E is not started");
        _h.AdvanceTo(S(10));
        Assert.That(_h.Sender.Requests(SipMethod.Options), Has.Count.EqualTo(1));

        _h.Layer.ReceiveResponse(Response(request, 404), Harness.Tcp);

        Assert.That(tx.State, Is.EqualTo(TransactionState.Terminated));
        Assert.That(tx.FinalResponse.Result.StatusCode, Is.EqualTo(404));
        _h.AssertIdle();
    }

    [Test]
    public void Timer_F_on_a_reliable_transport()
    {
        var tx = _h.Layer.SendRequest(Options("TCP"), Harness.Tcp);
        _h.AdvanceTo(S(32));
        Assert.That(_h.Sender.Requests(SipMethod.Options), Has.Count.EqualTo(1));
        Assert.That(tx.FinalResponse.Result.StatusCode, Is.EqualTo(408));
        _h.AssertIdle();
    }

    [Test]
    public void Provisional_responses_reach_the_TU_in_order_before_the_final()
    {
        var request = Request(SipMethod.Register, "z9hG4bKreg1");
        var seen = new List<int>();
        var tx = _h.Layer.SendRequest(request, Harness.Udp, r => seen.Add(r.StatusCode));
        _h.Layer.ReceiveResponse(Response(request, 100), Harness.Udp);
        _h.Layer.ReceiveResponse(Response(request, 100), Harness.Udp);
        _h.Layer.ReceiveResponse(Response(request, 401), Harness.Udp);
        Assert.That(seen, Is.EqualTo(new[] { 100, 100, 401 }));
        Assert.That(tx.FinalResponse.Result.StatusCode, Is.EqualTo(401));
    }

    [Test]
    public void Transport_error_fails_with_503_and_the_layer_forgets_the_transaction()
    {
        var tx = _h.Layer.SendRequest(Options(), Harness.Udp);
        var failures = new List<TransactionFailure>();
        tx.Failed += (_, f) => failures.Add(f);
        _h.Sender.Refuse = _ => true;

        _h.AdvanceTo(S(1));

        Assert.That(failures, Is.EqualTo(new[] { TransactionFailure.TransportError }));
        Assert.That(tx.FinalResponse.Result.StatusCode, Is.EqualTo(503));
        _h.AssertIdle();
    }

    [Test]
    public void A_TU_callback_that_throws_is_logged_and_does_not_break_the_transaction()
    {
        var request = Options();
        var tx = _h.Layer.SendRequest(request, Harness.Udp, _ => throw new InvalidOperationException("TU bug"));
        Assert.DoesNotThrow(() => _h.Layer.ReceiveResponse(Response(request, 200), Harness.Udp));
        Assert.That(tx.FinalResponse.Result.StatusCode, Is.EqualTo(200), "FinalResponse completes even though the callback threw");
        Assert.That(tx.State, Is.EqualTo(TransactionState.Completed));
        Assert.That(_h.Log.Entries.Any(e => e.Exception?.Message == "TU bug"), Is.True);
        _h.AdvanceTo(S(5));
        _h.AssertIdle();
    }
}
