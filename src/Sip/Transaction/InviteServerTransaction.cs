using Telephony.Sip.Message;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Transaction;

/// <summary>
/// The INVITE server transaction: RFC 3261 §17.2.1 (Figure 7) as corrected by RFC 6026 §7.1 (Figure 7 there).
/// <code>
///   Proceeding --1xx from TU--> Proceeding          (INVITE retransmission: resend last provisional)
///   Proceeding --2xx from TU--> Accepted, Timer L   (RFC 6026: INVITEs absorbed, ACKs to the TU, TU's 2xx resent)
///   Proceeding --300-699-----> Completed, G (UDP), H  (INVITE retransmission or G: resend; H: Failed(Timeout))
///   Completed  --ACK---------> Confirmed, Timer I   (ACKs absorbed)
///   Accepted --L--> / Confirmed --I--> / Completed --H--> Terminated
/// </code>
/// A transport error, in any state, reports Failed(TransportError) and terminates (RFC 3261 Figure 7; RFC 6026
/// draws it as a loop that keeps the state, but a transaction left in Proceeding with no timer would never go).
/// </summary>
public sealed class InviteServerTransaction : ServerTransaction
{
    private TimerHandle? _timerG, _timerH, _timerI, _timerL;
    private TimeSpan _intervalG;

    internal InviteServerTransaction(TransactionLayer layer, SipRequest request, SipEndPoint remote)
        : base(layer, request, remote, TransactionState.Proceeding) { }

    /// <summary>
    /// "MUST generate a 100 (Trying) response unless it knows that the TU will generate a provisional or final
    /// response within 200 ms": the layer calls this when NewRequest has returned, so a TU that answered
    /// synchronously spares the 100, and one that did not gets it at once rather than after 200 ms.
    /// </summary>
    internal override void Started()
    {
        lock (Gate)
        {
            if (State == TransactionState.Proceeding && LastResponse is null)
            {
                LastResponse = SipMessageFactory.CreateResponse(Request, 100);
                SendResponse(LastResponse);
            }
        }
        Deliver();
    }

    private protected override bool OnRespond(SipResponse response)
    {
        switch (State)
        {
            case TransactionState.Proceeding:
                LastResponse = response;
                if (!SendResponse(response)) return true;
                if (response.IsProvisional) return true;
                if (response.IsSuccess)
                {
                    // RFC 6026 §7.1: the 2xx is the TU's to retransmit (§13.3.1.4); the transaction lingers only so
                    // that retransmitted INVITEs are not taken for new requests.
                    State = TransactionState.Accepted;
                    response.ForgetParsed();
                    _timerL = StartTimer(Timers.Timeout64T1, OnTimerL);
                    return true;
                }
                State = TransactionState.Completed;
                response.ForgetParsed();
                if (!IsReliable)
                {
                    _intervalG = Timers.T1;
                    _timerG = StartTimer(_intervalG, OnTimerG);
                }
                // Timer H runs on every transport: it bounds the wait for the ACK even where G does not run.
                _timerH = StartTimer(Timers.Timeout64T1, OnTimerH);
                return true;

            case TransactionState.Accepted when response.IsSuccess:
                // RFC 6026 §7.1: "Any retransmissions of the 2xx response passed from the TU ... MUST be passed
                // to the transport layer for transmission."
                LastResponse = response;
                SendResponse(response);
                return true;

            default:
                return false;
        }
    }

    private protected override void OnRetransmission(SipRequest request)
    {
        switch (State)
        {
            case TransactionState.Proceeding when LastResponse is not null:
            case TransactionState.Completed:
                SendResponse(LastResponse!);
                break;
            // Accepted (RFC 6026: "MUST NOT be passed to the TU") and Confirmed absorb it silently; so does
            // Proceeding before any response has been sent (the 100 follows as soon as the TU returns).
        }
    }

    /// <summary>
    /// An ACK matched this transaction (§17.2.3). True when the transaction absorbed it (the ACK for a non-2xx,
    /// and its retransmissions); false when it belongs to the TU: in Accepted (RFC 6026 §7.1) or after termination.
    /// </summary>
    internal bool Acknowledged(SipRequest ack)
    {
        bool absorbed;
        lock (Gate)
        {
            switch (State)
            {
                case TransactionState.Completed:
                    // "As Timer G is ignored in this state, any retransmissions of the response will cease."
                    Stop(ref _timerG);
                    Stop(ref _timerH);
                    State = TransactionState.Confirmed;
                    // Timer I = T4 absorbs the other ACK retransmissions on UDP; zero on a reliable transport.
                    if (IsReliable) Terminate();
                    else _timerI = StartTimer(Timers.T4, OnTimerI);
                    absorbed = true;
                    break;
                case TransactionState.Confirmed:
                case TransactionState.Proceeding: // an ACK before any final response acknowledges nothing
                    absorbed = true;
                    break;
                default:
                    absorbed = false;
                    break;
            }
        }
        Deliver();
        return absorbed;
    }

    private void OnTimerG()
    {
        if (State != TransactionState.Completed) return;
        if (!SendResponse(LastResponse!)) return;
        // "reset with a value that doubles, unless that value exceeds T2, in which case it is reset with T2".
        _intervalG = _intervalG * 2 < Timers.T2 ? _intervalG * 2 : Timers.T2;
        _timerG = StartTimer(_intervalG, OnTimerG);
    }

    private void OnTimerH()
    {
        // The ACK for our non-2xx never came.
        if (State == TransactionState.Completed) Fail(TransactionFailure.Timeout);
    }

    private void OnTimerI()
    {
        if (State == TransactionState.Confirmed) Terminate();
    }

    private void OnTimerL()
    {
        if (State == TransactionState.Accepted) Terminate();
    }

    private protected override void StopTimers()
    {
        Stop(ref _timerG);
        Stop(ref _timerH);
        Stop(ref _timerI);
        Stop(ref _timerL);
    }
}
