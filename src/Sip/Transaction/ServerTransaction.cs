using Microsoft.Extensions.Logging;
using Telephony.Sip.Message;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Transaction;

/// <summary>
/// A server transaction (RFC 3261 §17.2): created by the layer for a request that matched none (§17.2.3),
/// it sends the TU's responses and absorbs retransmissions of the request by resending the last response.
/// <para>
/// <see cref="Respond"/> after the final response (or after termination) is ignored and logged, never thrown:
/// a TU cannot know that a transport error or Timer H has just terminated the transaction on another thread,
/// and the RFC itself discards such responses (§17.2.2: "Any other final responses passed by the TU to the
/// server transaction MUST be discarded while in the Completed state"). The one exception is RFC 6026 §7.1:
/// in Accepted, the TU's 2xx retransmissions (§13.3.1.4) are sent.
/// </para>
/// </summary>
public abstract class ServerTransaction : SipTransaction
{
    private protected ServerTransaction(TransactionLayer layer, SipRequest request, SipEndPoint remote, TransactionState initial)
        : base(layer, request, remote, initial) { }

    /// <summary>Where the request came from, and where responses go (the transport applies §18.2.2).</summary>
    public SipEndPoint Remote => Peer;

    /// <summary>The most recent response sent (what a retransmitted request gets again).</summary>
    public SipResponse? LastResponse { get; private protected set; }

    public event Action<ServerTransaction>? Terminated;
    public event Action<ServerTransaction, TransactionFailure>? Failed;

    /// <summary>Sends <paramref name="response"/> and moves the state machine; see the class remarks for late responses.</summary>
    public void Respond(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode is < 100 or > 699) throw new ArgumentOutOfRangeException(nameof(response), "status code must be 100-699");
        lock (Gate)
        {
            if (!OnRespond(response))
                Log.LogWarning("SIP {Method} server transaction {Key} in {State} ignored {Status} from the TU",
                    Request.Method, Key, State, response.StatusCode);
        }
        Deliver();
    }

    /// <summary>The state machine's reaction to a response from the TU; false when the state discards it.</summary>
    private protected abstract bool OnRespond(SipResponse response);

    /// <summary>A retransmission of the request arrived; false when the transaction has already terminated.</summary>
    internal bool Retransmitted(SipRequest request)
    {
        lock (Gate)
        {
            if (State == TransactionState.Terminated) return false;
            OnRetransmission(request);
        }
        Deliver();
        return true;
    }

    private protected abstract void OnRetransmission(SipRequest request);

    /// <summary>Called by the layer once the TU has seen the request (after <c>NewRequest</c> returned).</summary>
    internal virtual void Started() { }

    /// <summary>Sends a response, turning a transport failure into Failed(TransportError) and Terminated.</summary>
    private protected bool SendResponse(SipResponse response)
    {
        if (Transmit(response)) return true;
        Fail(TransactionFailure.TransportError);
        return false;
    }

    private protected override void RaiseFailed(TransactionFailure failure) => Failed?.Invoke(this, failure);
    private protected override void RaiseTerminated() => Terminated?.Invoke(this);
}
