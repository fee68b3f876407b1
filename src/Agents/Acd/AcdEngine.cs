using Microsoft.Extensions.Logging;
using Telephony.Agents.Model;
using Telephony.Agents.Offers;
using Telephony.Agents.Queueing;

namespace Telephony.Agents.Acd;

/// <summary>
/// The automatic call distributor. Every decision is made under one lock, so no two agents are ever offered the same
/// call and no agent two calls at once; the agent legs are rung outside the lock and report back through
/// <see cref="IAgentLeg"/>'s task. Time comes only from <see cref="TimeProvider"/>; <see cref="Tick"/> (called by a
/// periodic timer in Host, by tests after advancing a fake clock) handles offer timeouts, wrap-up ends and overflow.
/// Split by concern: commands here, routing and offers in AcdEngine.Dispatch.cs, read models in AcdEngine.Views.cs.
/// </summary>
public sealed partial class AcdEngine
{
    private readonly object gate = new();
    private readonly TimeProvider time;
    private readonly IAgentLeg leg;
    private readonly ILogger log;
    private readonly AcdOptions options;
    private readonly Dictionary<string, Agent> agents = new(StringComparer.Ordinal);
    private readonly List<Agent> agentOrder = [];
    private readonly Dictionary<string, QueueOptions> queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QueueCounters> counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Agent>> agentsByQueue = new(StringComparer.Ordinal);
    /// <summary>Every waiting call of every queue in routing order (priority, then arrival).</summary>
    private readonly SortedSet<QueuedCall> waiting = new(QueueOrder.Instance);
    private readonly Dictionary<string, QueuedCall> waitingById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Agent Agent, QueuedCall Call, DateTimeOffset AnsweredAt)> connected = new(StringComparer.Ordinal);
    private readonly Queue<AbandonedCall> abandoned = new();
    private long sequence;

    /// <summary>Raised outside the lock, in order per command, for live views.</summary>
    public event Action<AcdChange>? Changed;

    /// <summary>Routing decisions made (an agent picked for a call), for bench/acd.</summary>
    public long Decisions { get; private set; }

    public AcdEngine(IEnumerable<AgentAccount> accounts, IEnumerable<QueueOptions> queueOptions, IAgentLeg leg, TimeProvider time, ILogger<AcdEngine> log, AcdOptions? options = null)
    {
        this.leg = leg;
        this.time = time;
        this.log = log;
        this.options = options ?? new AcdOptions();
        foreach (var q in queueOptions)
        {
            if (q.Validate() is { } error) throw new ArgumentException(error);
            if (!queues.TryAdd(q.Name, q)) throw new ArgumentException($"queue {q.Name} is configured twice");
            counters[q.Name] = new QueueCounters();
            agentsByQueue[q.Name] = [];
        }
        foreach (var q in queues.Values)
            if (q.OverflowTo is { Length: > 0 } target && !queues.ContainsKey(target))
                throw new ArgumentException($"queue {q.Name} overflows to {target}, which is not configured");
        var now = time.GetUtcNow();
        foreach (var a in accounts)
        {
            if (a.Validate() is { } error) throw new ArgumentException(error);
            var agent = new Agent(a, now);
            if (!agents.TryAdd(a.Id, agent)) throw new ArgumentException($"agent {a.Id} is configured twice");
            agentOrder.Add(agent);
            foreach (var q in a.Queues)
            {
                if (!agentsByQueue.TryGetValue(q, out var list)) throw new ArgumentException($"agent {a.Id} serves queue {q}, which is not configured");
                list.Add(agent);
            }
        }
    }

    /// <summary>
    /// A call enters its queue (or is refused: unknown queue, duplicate id, an arrival in the future). With
    /// <see cref="CallRequest.ArrivedAt"/> it takes the place of that arrival; with <see cref="CallRequest.CallbackNumber"/>
    /// it waits as a callback at once (a request restored after a restart).
    /// </summary>
    public AcdResult Enqueue(CallRequest call)
    {
        var work = new Work();
        lock (gate)
        {
            if (string.IsNullOrWhiteSpace(call.CallId)) return AcdResult.Fail("a call needs an id");
            if (!queues.ContainsKey(call.Queue)) return AcdResult.Fail($"no queue {call.Queue}");
            if (waitingById.ContainsKey(call.CallId) || connected.ContainsKey(call.CallId)) return AcdResult.Fail($"call {call.CallId} is already in the ACD");
            var now = time.GetUtcNow();
            if (call.ArrivedAt > now) return AcdResult.Fail($"call {call.CallId} cannot arrive in the future ({call.ArrivedAt:O})");
            if (call.CallbackNumber is { } n && string.IsNullOrWhiteSpace(n)) return AcdResult.Fail("a callback needs a number");
            var queued = new QueuedCall(call, call.ArrivedAt ?? now, ++sequence);
            if (call.Retry && call.CallbackNumber is null) return AcdResult.Fail("only a callback is retried");
            if (call.CallbackNumber is { } number)
            {
                queued.Callback = true;
                queued.CallbackNumber = number;
                if (!call.Retry) counters[call.Queue].CallbacksRequested++;
            }
            waiting.Add(queued);
            waitingById.Add(call.CallId, queued);
            if (!call.Retry) counters[call.Queue].Offered++;
            log.LogInformation("Call {CallId} from {Caller} queued in {Queue} at priority {Priority}, arrived {ArrivedAt:O}{Callback:l}",
                call.CallId, Masking.Mask(call.Caller), call.Queue, call.Priority, queued.ArrivedAt, queued.Callback ? " (callback)" : "");
            work.Change(new AcdChange(AcdChangeKind.CallQueued, now, null, call.CallId, call.Queue, call.Priority.ToString()));
            Dispatch(now, work);
        }
        Flush(work);
        return AcdResult.Success;
    }

    /// <summary>The caller left before an agent took the call (or a callback could not reach them); an offer in progress is withdrawn.</summary>
    public AcdResult Abandon(string callId, AbandonReason reason)
    {
        var work = new Work();
        lock (gate)
        {
            if (!waitingById.TryGetValue(callId, out var call)) return AcdResult.Fail($"call {callId} is not waiting");
            var now = time.GetUtcNow();
            if (call.OfferId is { } offerId) Withdraw(offerId, now, work);
            Remove(call);
            var c = counters[call.Queue];
            c.Abandoned++;
            c.AbandonedBy[reason] = c.AbandonedBy.GetValueOrDefault(reason) + 1;
            abandoned.Enqueue(new AbandonedCall(callId, call.Queue, reason, now - call.ArrivedAt, now, call.Request.DraftRef, call.Request.Caller));
            if (abandoned.Count > options.AbandonedKept) abandoned.Dequeue();
            log.LogInformation("Call {CallId} abandoned in {Queue} after {WaitedSeconds:F0} s: {Reason}", callId, call.Queue, (now - call.ArrivedAt).TotalSeconds, reason);
            work.Change(new AcdChange(AcdChangeKind.CallAbandoned, now, null, callId, call.Queue, reason.ToString()));
            Dispatch(now, work);
        }
        Flush(work);
        return AcdResult.Success;
    }

    /// <summary>The caller pressed 1 to be called back: they hang up, the call keeps its place and becomes a callback offer.</summary>
    public AcdResult RequestCallback(string callId, string number)
    {
        var work = new Work();
        lock (gate)
        {
            if (!waitingById.TryGetValue(callId, out var call)) return AcdResult.Fail($"call {callId} is not waiting");
            if (string.IsNullOrWhiteSpace(number)) return AcdResult.Fail("a callback needs a number");
            if (call.Callback) return AcdResult.Fail($"call {callId} already waits for a callback");
            var now = time.GetUtcNow();
            // An agent ringing for the live call would answer a caller who has gone: withdraw it, without blame.
            if (call.OfferId is { } offerId) Withdraw(offerId, now, work);
            call.Callback = true;
            call.CallbackNumber = number;
            counters[call.Queue].CallbacksRequested++;
            log.LogInformation("Call {CallId} in {Queue} asks for a callback to {Number}", callId, call.Queue, Masking.Mask(number));
            work.Change(new AcdChange(AcdChangeKind.CallbackRequested, now, null, callId, call.Queue, null));
            Dispatch(now, work);
        }
        Flush(work);
        return AcdResult.Success;
    }

    /// <summary>
    /// A callback whose citizen could not be reached leaves the queue until its next attempt (Host enqueues it again,
    /// <see cref="CallRequest.Retry"/>, at its first arrival): an offer in progress is withdrawn without blaming the agent,
    /// and the call is not counted as abandoned, since the city still owes the citizen the call.
    /// </summary>
    public AcdResult DeferCallback(string callId)
    {
        var work = new Work();
        lock (gate)
        {
            if (!waitingById.TryGetValue(callId, out var call)) return AcdResult.Fail($"call {callId} is not waiting");
            if (!call.Callback) return AcdResult.Fail($"call {callId} is not a callback");
            var now = time.GetUtcNow();
            if (call.OfferId is { } offerId) Withdraw(offerId, now, work);
            Remove(call);
            log.LogInformation("Callback {CallId} in {Queue} leaves the queue until its next attempt", callId, call.Queue);
            work.Change(new AcdChange(AcdChangeKind.CallbackDeferred, now, null, callId, call.Queue, null));
            Dispatch(now, work);
        }
        Flush(work);
        return AcdResult.Success;
    }

    /// <summary>A connected call ended (either side's BYE): the agent goes to wrap-up, then available.</summary>
    public AcdResult CallEnded(string callId)
    {
        var work = new Work();
        lock (gate)
        {
            if (!connected.Remove(callId, out var entry)) return AcdResult.Fail($"call {callId} is not connected to an agent");
            var now = time.GetUtcNow();
            var agent = entry.Agent;
            var wrapUp = agent.Account.WrapUp ?? options.DefaultWrapUp;
            agent.CurrentCallId = null;
            counters[entry.Call.Queue].RecordHandle(now - entry.AnsweredAt + wrapUp);
            Move(agent, AgentState.WrapUp, null, now, work);
            agent.WrapUpEndsAt = now + wrapUp;
            work.Change(new AcdChange(AcdChangeKind.CallEnded, now, agent.Id, callId, entry.Call.Queue, null));
            if (wrapUp <= TimeSpan.Zero) Move(agent, AgentState.Available, "wrap-up done", now, work);
            Dispatch(now, work);
        }
        Flush(work);
        return AcdResult.Success;
    }

    /// <summary>An agent asks for a state (available, paused with a reason, offline, or ready early from wrap-up).</summary>
    public AcdResult SetAgentState(string agentId, AgentState to, string? reason = null)
    {
        var work = new Work();
        lock (gate)
        {
            if (!agents.TryGetValue(agentId, out var agent)) return AcdResult.Fail($"no agent {agentId}");
            if (AgentStateMachine.Check(agent.State, to, StateActor.Agent) is { } error) return AcdResult.Fail(error);
            if (to == AgentState.Paused && string.IsNullOrWhiteSpace(reason)) return AcdResult.Fail("a pause needs a reason (lunch, training, meeting…).");
            var now = time.GetUtcNow();
            Move(agent, to, reason, now, work);
            Dispatch(now, work);
        }
        Flush(work);
        return AcdResult.Success;
    }

    /// <summary>Offer timeouts, wrap-up ends, overflow and agents whose "not again right away" has passed; then routing.</summary>
    public void Tick()
    {
        var work = new Work();
        lock (gate)
        {
            var now = time.GetUtcNow();
            ExpireOffers(now, work);
            foreach (var agent in agentOrder)
                if (agent.State == AgentState.WrapUp && agent.WrapUpEndsAt <= now)
                    Move(agent, AgentState.Available, "wrap-up done", now, work);
            Overflow(now, work);
            Dispatch(now, work);
        }
        Flush(work);
    }

    private void Move(Agent agent, AgentState to, string? reason, DateTimeOffset now, Work work)
    {
        var from = agent.State;
        agent.MoveTo(to, reason, now);
        log.LogInformation("Agent {AgentId} {From} -> {To} {Reason}", agent.Id, from, to, reason ?? "");
        work.Change(new AcdChange(AcdChangeKind.AgentState, now, agent.Id, agent.CurrentCallId, null, to.ToString()));
    }

    private void Remove(QueuedCall call)
    {
        waiting.Remove(call);
        waitingById.Remove(call.Id);
    }

    /// <summary>What to do once the lock is released: ring legs, cancel withdrawn offers, tell listeners.</summary>
    private sealed class Work
    {
        public readonly List<(Offer Offer, CancellationTokenSource Cancel)> Start = [];
        public readonly List<CancellationTokenSource> Cancel = [];
        public readonly List<AcdChange> Changes = [];
        public void Change(AcdChange change) => Changes.Add(change);
    }

    private void Flush(Work work)
    {
        foreach (var cts in work.Cancel) cts.Cancel();
        if (Changed is { } changed)
            foreach (var c in work.Changes)
            {
                try { changed(c); }
                catch (Exception e) { log.LogError(e, "A listener of ACD changes failed"); }
            }
        foreach (var (offer, cts) in work.Start) _ = RingAsync(offer, cts);
    }
}
