using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Telephony.Sip.Message;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Transaction;

/// <summary>
/// What the four state machines of RFC 3261 §17 share: one lock per transaction, timers on the layer's
/// <see cref="SipTimerQueue"/>, sends that turn a transport failure into the "Transport Err." transitions
/// (§17.1.4, §17.2.4), and the move to Terminated that removes the transaction from the layer.
/// <para>
/// Threading: the transport delivers messages on many threads and timers fire on the timer thread, so every
/// state change happens under <see cref="Gate"/>. Notifications to the transaction user are queued under the
/// lock and delivered after it is released, one at a time and in order: a TU that holds its own dialog lock
/// while calling <c>Respond</c> can then never deadlock against a transaction that is calling the TU, and a
/// 180 cannot overtake the 200 behind it. Sends happen under the lock, so a retransmission never overtakes
/// the response it repeats; <see cref="ISipSender.Send"/> must therefore not call back into the layer.
/// </para>
/// </summary>
public abstract class SipTransaction
{
    private readonly Queue<Action> _notifications = new();
    private bool _delivering;
    private volatile TransactionState _state;

    private protected SipTransaction(TransactionLayer layer, SipRequest request, SipEndPoint peer, TransactionState initial)
    {
        Layer = layer;
        Request = request;
        Peer = peer;
        _state = initial;
    }

    /// <summary>The request that created the transaction (received for a server, sent for a client).</summary>
    public SipRequest Request { get; }

    public TransactionState State
    {
        get => _state;
        private protected set => _state = value;
    }

    /// <summary>No retransmission timers on a reliable transport, and zero-length Timers D, I, J, K (§17.1.1.2, §17.1.2.2, §17.2.1, §17.2.2).</summary>
    public bool IsReliable => Peer.IsReliable;

    private protected SipEndPoint Peer { get; }
    private protected TransactionLayer Layer { get; }
    private protected Lock Gate { get; } = new();
    private protected SipTimerOptions Timers => Layer.Options;
    private protected ILogger Log => Layer.Log;

    /// <summary>The key the layer filed this transaction under (null for an RFC 2543 server transaction).</summary>
    internal string? Key { get; init; }

    /// <summary>Sends to the peer; false (after logging) when the transport refused or threw.</summary>
    private protected bool Transmit(SipMessage message)
    {
        Debug.Assert(Gate.IsHeldByCurrentThread);
        try
        {
            if (Layer.Sender.Send(message, Peer)) return true;
            Log.LogInformation("SIP transport could not send {StartLine} to {Peer}", message.StartLine, Peer);
        }
        catch (Exception e)
        {
            Log.LogWarning(e, "SIP transport threw sending {StartLine} to {Peer}", message.StartLine, Peer);
        }
        return false;
    }

    /// <summary>
    /// Schedules <paramref name="onFire"/> to run under the lock. Called under the lock; the callback checks
    /// that its handle was not cancelled meanwhile, so cancelling under the lock reliably stops a timer even
    /// when the timer thread has already taken it off the queue.
    /// </summary>
    private protected TimerHandle StartTimer(TimeSpan due, Action onFire)
    {
        Debug.Assert(Gate.IsHeldByCurrentThread);
        TimerHandle? handle = null;
        handle = Layer.TimerQueue.Schedule(due, () =>
        {
            lock (Gate)
            {
                if (handle is null || handle.IsCancelled || State == TransactionState.Terminated) return;
                onFire();
            }
            Deliver();
        });
        return handle;
    }

    private protected static void Stop(ref TimerHandle? timer)
    {
        timer?.Cancel();
        timer = null;
    }

    /// <summary>Cancels every timer of the machine (on leaving a state and on termination).</summary>
    private protected abstract void StopTimers();

    /// <summary>Queues a call to the TU, made by <see cref="Deliver"/> once the lock is released.</summary>
    private protected void Notify(Action notification)
    {
        Debug.Assert(Gate.IsHeldByCurrentThread);
        _notifications.Enqueue(notification);
    }

    /// <summary>Runs the queued notifications outside the lock; a thread that finds another delivering leaves them to it.</summary>
    private protected void Deliver()
    {
        Debug.Assert(!Gate.IsHeldByCurrentThread);
        lock (Gate)
        {
            if (_delivering) return;
            _delivering = true;
        }
        while (true)
        {
            Action? next;
            lock (Gate)
            {
                if (!_notifications.TryDequeue(out next))
                {
                    _delivering = false;
                    return;
                }
            }
            try
            {
                next();
            }
            catch (Exception e)
            {
                Log.LogError(e, "SIP transaction user threw handling {Method} transaction {Key}", Request.Method, Key);
            }
        }
    }

    /// <summary>Enters Terminated: stops the timers, leaves the layer, tells the TU (§17.1.1.2 "destroyed the instant").</summary>
    private protected void Terminate()
    {
        Debug.Assert(Gate.IsHeldByCurrentThread);
        if (State == TransactionState.Terminated) return;
        State = TransactionState.Terminated;
        StopTimers();
        Layer.Remove(this);
        Notify(RaiseTerminated);
        OnTerminated();
    }

    /// <summary>A timeout or transport error: the TU is told why, then the transaction terminates.</summary>
    private protected void Fail(TransactionFailure failure)
    {
        Debug.Assert(Gate.IsHeldByCurrentThread);
        if (State == TransactionState.Terminated) return;
        Log.LogDebug("SIP {Method} transaction {Key} failed: {Failure} in {State}", Request.Method, Key, failure, State);
        Notify(() => RaiseFailed(failure));
        OnFailed(failure);
        Terminate();
    }

    /// <summary>Hook for the client side to complete its FinalResponse with a synthesized response (§8.1.3.1).</summary>
    private protected virtual void OnFailed(TransactionFailure failure) { }

    private protected virtual void OnTerminated() { }

    private protected abstract void RaiseFailed(TransactionFailure failure);
    private protected abstract void RaiseTerminated();

    /// <summary>Layer shutdown: terminate without telling anyone why, so pending timers and tasks are released.</summary>
    internal void Abort()
    {
        lock (Gate)
        {
            if (State == TransactionState.Terminated) return;
            State = TransactionState.Terminated;
            StopTimers();
            OnAborted();
        }
    }

    private protected virtual void OnAborted() { }

    public override string ToString() => $"{GetType().Name} {Request.Method} {Key} {State}";
}
