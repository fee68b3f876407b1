using Telephony.Sip.Message;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Transaction;

/// <summary>
/// The non-INVITE client transaction: RFC 3261 §17.1.2 (Figure 6).
/// <code>
///   Trying     --E (UDP only: T1, 2·T1 ... capped at T2)--> resend request
///   Trying     --1xx--> Proceeding          (E keeps running; each firing now resets it to T2)
///   Trying/Proceeding --F = 64·T1--> Failed(Timeout), 408
///   Trying/Proceeding --final--> Completed, Timer K = T4 on UDP, 0 reliable (resent responses absorbed)
///   Completed --K--> Terminated
/// </code>
/// A transport error reports Failed(TransportError) and terminates with a 503.
/// </summary>
public sealed class NonInviteClientTransaction : ClientTransaction
{
    private TimerHandle? _timerE, _timerF, _timerK;
    private TimeSpan _intervalE;

    internal NonInviteClientTransaction(TransactionLayer layer, SipRequest request, SipEndPoint destination)
        : base(layer, request, destination, TransactionState.Trying) { }

    private protected override void OnStart()
    {
        if (!SendToPeer(Request)) return;
        if (!IsReliable)
        {
            _intervalE = Timers.T1;
            _timerE = StartTimer(_intervalE, OnTimerE);
        }
        _timerF = StartTimer(Timers.Timeout64T1, OnTimerF);
    }

    private protected override void OnResponse(SipResponse response)
    {
        switch (State)
        {
            case TransactionState.Trying or TransactionState.Proceeding when response.IsProvisional:
                State = TransactionState.Proceeding;
                PassToTu(response);
                break;

            case TransactionState.Trying or TransactionState.Proceeding:
                Stop(ref _timerE);
                Stop(ref _timerF);
                State = TransactionState.Completed;
                PassToTu(response);
                // Timer K absorbs the retransmitted responses still in the network; none on a reliable transport.
                if (IsReliable) Terminate();
                else _timerK = StartTimer(Timers.T4, OnTimerK);
                break;

            // Completed: "any retransmissions of the final response ... are discarded".
        }
    }

    private void OnTimerE()
    {
        if (State is not (TransactionState.Trying or TransactionState.Proceeding)) return;
        if (!SendToPeer(Request)) return;
        // Trying: double up to T2. Proceeding: the server has the request and is working on it, so retransmit
        // only every T2 ("Timer E MUST be reset with a value of T2 seconds").
        _intervalE = State == TransactionState.Proceeding || _intervalE * 2 >= Timers.T2 ? Timers.T2 : _intervalE * 2;
        _timerE = StartTimer(_intervalE, OnTimerE);
    }

    private void OnTimerF()
    {
        if (State is TransactionState.Trying or TransactionState.Proceeding) Fail(TransactionFailure.Timeout);
    }

    private void OnTimerK()
    {
        if (State == TransactionState.Completed) Terminate();
    }

    private protected override void StopTimers()
    {
        Stop(ref _timerE);
        Stop(ref _timerF);
        Stop(ref _timerK);
    }
}
