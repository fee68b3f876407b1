using Telephony.Sip.Message;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Transaction;

/// <summary>
/// A client transaction (RFC 3261 §17.1): sends a request, retransmits it on unreliable transports, and hands
/// the TU every response that belongs to it (matched by §17.1.3).
/// <para>
/// <see cref="FinalResponse"/> completes with the first final response, or with a response the transaction
/// makes up when there is none: 408 on Timer B or F (§8.1.3.1: "treated as a 408") and 503 on a transport
/// error (§8.1.3.1: "treated as a 503"). A synthesized response is not passed to <see cref="ResponseReceived"/>,
/// which sees only what the network sent; <see cref="Failed"/> says why. On layer shutdown the task is cancelled.
/// </para>
/// <para>
/// A transport error on the very first send happens inside <c>SendRequest</c>: the returned transaction is then
/// already Terminated and its FinalResponse already holds the 503 (Failed has fired before anyone could subscribe).
/// </para>
/// </summary>
public abstract class ClientTransaction : SipTransaction
{
    private readonly TaskCompletionSource<SipResponse> _final = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private protected ClientTransaction(TransactionLayer layer, SipRequest request, SipEndPoint destination, TransactionState initial)
        : base(layer, request, destination, initial) { }

    public SipEndPoint Destination => Peer;

    /// <summary>Every response passed to the TU: provisional, final, and (INVITE, RFC 6026 §7.2) 2xx retransmissions in Accepted.</summary>
    public Action<SipResponse>? ResponseReceived { get; set; }

    public Task<SipResponse> FinalResponse => _final.Task;

    public event Action<ClientTransaction, TransactionFailure>? Failed;
    public event Action<ClientTransaction>? Terminated;

    /// <summary>Sends the request for the first time and starts the timers.</summary>
    internal void Start()
    {
        lock (Gate) OnStart();
        Deliver();
    }

    private protected abstract void OnStart();

    /// <summary>A response matched this transaction (§17.1.3); false when it has already terminated (the response is then stray).</summary>
    internal bool Received(SipResponse response)
    {
        lock (Gate)
        {
            if (State == TransactionState.Terminated) return false;
            OnResponse(response);
        }
        Deliver();
        return true;
    }

    private protected abstract void OnResponse(SipResponse response);

    /// <summary>Queues <paramref name="response"/> for the TU; a final one also completes <see cref="FinalResponse"/>.</summary>
    private protected void PassToTu(SipResponse response)
    {
        Notify(() => ResponseReceived?.Invoke(response));
        // A separate notification, so a TU callback that throws cannot leave FinalResponse pending forever.
        if (!response.IsProvisional) Notify(() => _final.TrySetResult(response));
    }

    /// <summary>Sends the request (or the ACK), turning a transport failure into Failed(TransportError) and Terminated.</summary>
    private protected bool SendToPeer(SipMessage message)
    {
        if (Transmit(message)) return true;
        Fail(TransactionFailure.TransportError);
        return false;
    }

    private protected override void OnFailed(TransactionFailure failure)
    {
        var synthesized = SipMessageFactory.CreateResponse(Request, failure == TransactionFailure.Timeout ? 408 : 503);
        Notify(() => _final.TrySetResult(synthesized));
    }

    private protected override void OnAborted() => _final.TrySetCanceled();

    private protected override void RaiseFailed(TransactionFailure failure) => Failed?.Invoke(this, failure);
    private protected override void RaiseTerminated() => Terminated?.Invoke(this);
}
