using Telephony.Sip.Message;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Transaction;

/// <summary>
/// The INVITE client transaction: RFC 3261 §17.1.1 (Figure 5) as corrected by RFC 6026 §7.2.
/// <code>
///   Calling --A (UDP only: T1, 2·T1, 4·T1 ... no cap)--> resend INVITE;  --B = 64·T1--> Failed(Timeout), 408
///   Calling --1xx--> Proceeding            (retransmissions stop; B no longer applies: the TU CANCELs)
///   Calling/Proceeding --2xx--> Accepted, Timer M = 64·T1  (RFC 6026: further 2xx, forked or resent, to the TU)
///   Calling/Proceeding --300-699--> Completed: ACK sent, Timer D (≥32 s UDP, 0 reliable); resent finals re-ACKed
///   Accepted --M--> / Completed --D--> Terminated
///   §9.1: once the TU made a CANCEL, Calling/Proceeding --64·T1 without a final--> Failed(Timeout), 408
/// </code>
/// The ACK for a 2xx is not part of the transaction (§17.1.1.3, §13.2.2.4): the TU sends it.
/// A transport error reports Failed(TransportError) and terminates (with a 503 if no final response came).
/// </summary>
public sealed class InviteClientTransaction : ClientTransaction
{
    private TimerHandle? _timerA, _timerB, _timerD, _timerM, _cancelWait;
    private TimeSpan _intervalA;
    private SipRequest? _ack;

    internal InviteClientTransaction(TransactionLayer layer, SipRequest request, SipEndPoint destination)
        : base(layer, request, destination, TransactionState.Calling) { }

    /// <summary>
    /// A CANCEL for this INVITE (§9.1), for the TU to send with <c>TransactionLayer.SendRequest</c> to the same
    /// destination. §9.1 says it MUST NOT be sent before a provisional response arrived (State is Proceeding).
    /// <para>
    /// In Proceeding no timer bounds the INVITE, so a server that answers the CANCEL but never the INVITE would
    /// keep it forever. §9.1: with no final response 64·T1 after the CANCEL, "the client SHOULD then consider the
    /// original transaction cancelled and SHOULD destroy" it. Creating the CANCEL starts that wait; when it runs
    /// out the transaction fails with Timeout (FinalResponse: a synthesized 408).
    /// </para>
    /// </summary>
    public SipRequest CreateCancel()
    {
        lock (Gate)
        {
            if (State is TransactionState.Calling or TransactionState.Proceeding)
                _cancelWait ??= StartTimer(Timers.Timeout64T1, OnCancelWait);
        }
        return AckAndCancel.CreateCancel(Request);
    }

    private protected override void OnStart()
    {
        if (!SendToPeer(Request)) return;
        if (!IsReliable)
        {
            _intervalA = Timers.T1;
            _timerA = StartTimer(_intervalA, OnTimerA);
        }
        _timerB = StartTimer(Timers.Timeout64T1, OnTimerB);
    }

    private protected override void OnResponse(SipResponse response)
    {
        switch (State)
        {
            case TransactionState.Calling or TransactionState.Proceeding when response.IsProvisional:
                Stop(ref _timerA);
                Stop(ref _timerB);
                State = TransactionState.Proceeding;
                PassToTu(response);
                break;

            case TransactionState.Calling or TransactionState.Proceeding when response.IsSuccess:
                Stop(ref _timerA);
                Stop(ref _timerB);
                Stop(ref _cancelWait);
                State = TransactionState.Accepted;
                // Timer M keeps the transaction for the 2xx retransmissions (and forked 2xx) that the TU must ACK.
                _timerM = StartTimer(Timers.Timeout64T1, OnTimerM);
                PassToTu(response);
                break;

            case TransactionState.Calling or TransactionState.Proceeding:
                Stop(ref _timerA);
                Stop(ref _timerB);
                Stop(ref _cancelWait);
                State = TransactionState.Completed;
                PassToTu(response);
                _ack = AckAndCancel.CreateAck(Request, response);
                if (!SendToPeer(_ack)) return;
                // Timer D outlasts the server's Timer G retransmissions so each one is ACKed; none on a reliable transport.
                if (IsReliable) Terminate();
                else _timerD = StartTimer(Timers.TimerD, OnTimerD);
                break;

            case TransactionState.Completed when response.StatusCode >= 300:
                // "Any retransmissions of the final response ... MUST cause the ACK to be re-passed to the
                // transport layer for retransmission, but the newly received response MUST NOT be passed up to the TU."
                SendToPeer(_ack!);
                break;

            case TransactionState.Accepted when response.IsSuccess:
                // RFC 6026 §7.2: "MUST be passed up to the TU" — each 2xx needs its own ACK from the UAC core.
                PassToTu(response);
                break;

            // Anything else (a 1xx after the final, a 2xx in Completed) belongs to no state of the machine.
        }
    }

    private void OnTimerA()
    {
        if (State != TransactionState.Calling) return;
        if (!SendToPeer(Request)) return;
        // §17.1.1.2: "each time timer A fires, its value doubles" — unlike E and G there is no T2 cap; B ends it.
        _intervalA *= 2;
        _timerA = StartTimer(_intervalA, OnTimerA);
    }

    private void OnTimerB()
    {
        if (State == TransactionState.Calling) Fail(TransactionFailure.Timeout);
    }

    private void OnCancelWait()
    {
        if (State is TransactionState.Calling or TransactionState.Proceeding) Fail(TransactionFailure.Timeout);
    }

    private void OnTimerD()
    {
        if (State == TransactionState.Completed) Terminate();
    }

    private void OnTimerM()
    {
        if (State == TransactionState.Accepted) Terminate();
    }

    private protected override void StopTimers()
    {
        Stop(ref _timerA);
        Stop(ref _timerB);
        Stop(ref _timerD);
        Stop(ref _timerM);
        Stop(ref _cancelWait);
    }
}
