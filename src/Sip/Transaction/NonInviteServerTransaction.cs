using Telephony.Sip.Message;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Transaction;

/// <summary>
/// The non-INVITE server transaction: RFC 3261 §17.2.2 (Figure 8).
/// <code>
///   Trying     --1xx from TU-----> Proceeding   (request retransmissions in Trying are discarded)
///   Proceeding --1xx from TU-----> Proceeding   (request retransmission: resend the last provisional)
///   Trying/Proceeding --final----> Completed, Timer J = 64·T1 on UDP, 0 on reliable
///   Completed: request retransmission resends the final response; other finals from the TU are discarded
///   Completed --J--> Terminated
/// </code>
/// No retransmission timer: a non-INVITE server only answers retransmissions, the client drives them (Timer E).
/// A transport error reports Failed(TransportError) and terminates.
/// </summary>
public sealed class NonInviteServerTransaction : ServerTransaction
{
    private TimerHandle? _timerJ;

    internal NonInviteServerTransaction(TransactionLayer layer, SipRequest request, SipEndPoint remote)
        : base(layer, request, remote, TransactionState.Trying) { }

    private protected override bool OnRespond(SipResponse response)
    {
        if (State is not (TransactionState.Trying or TransactionState.Proceeding)) return false;
        LastResponse = response;
        if (!SendResponse(response)) return true;
        if (response.IsProvisional)
        {
            State = TransactionState.Proceeding;
            return true;
        }
        State = TransactionState.Completed;
        Request.ForgetParsed();
        response.ForgetParsed();
        // Timer J keeps the final response for the client's retransmissions for as long as the client may send
        // them (64·T1, Timer F's span); a reliable transport has no retransmissions to absorb.
        if (IsReliable) Terminate();
        else _timerJ = StartTimer(Timers.Timeout64T1, OnTimerJ);
        return true;
    }

    private protected override void OnRetransmission(SipRequest request)
    {
        // In Trying there is nothing to resend yet: "any further request retransmissions are discarded".
        if (State is TransactionState.Proceeding or TransactionState.Completed && LastResponse is not null)
            SendResponse(LastResponse);
    }

    private void OnTimerJ()
    {
        if (State == TransactionState.Completed) Terminate();
    }

    private protected override void StopTimers() => Stop(ref _timerJ);
}
