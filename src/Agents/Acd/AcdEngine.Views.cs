using Telephony.Agents.Model;
using Telephony.Agents.Queueing;

namespace Telephony.Agents.Acd;

/// <summary>An agent as the live API shows it.</summary>
public sealed record AgentView(string Id, string Name, string SipUser, AgentState State, string? PauseReason, DateTimeOffset StateSince,
    DateTimeOffset IdleSince, string? CurrentCallId, DateTimeOffset? WrapUpEndsAt, IReadOnlyList<string> Queues, int Answered, int Missed,
    IReadOnlyList<StateChange> RecentHistory);

/// <summary>
/// A queue as the live API and the wallboard show it. <see cref="ServiceLevel"/>: answered within the threshold
/// (15 s, GB/T 33358-2016) over answered plus abandoned; null before any call has ended either way.
/// </summary>
public sealed record QueueView(string Name, string Strategy, int Waiting, int Callbacks, TimeSpan LongestWait, IReadOnlyDictionary<AgentState, int> AgentsByState,
    int Offered, int Answered, int Abandoned, int OverflowedOut, int AnsweredWithinThreshold, TimeSpan ServiceLevelThreshold, double? ServiceLevel,
    IReadOnlyDictionary<AbandonReason, int> AbandonedByReason);

/// <summary>Where a call stands, for the announcement "you are number 3, about 2 minutes".</summary>
public sealed record QueuePosition(string Queue, int Position, TimeSpan EstimatedWait);

/// <summary>A waiting call as the callback side needs it: where it waits, at what priority, since when (its place).</summary>
public sealed record WaitingCallView(string CallId, string Queue, CallPriority Priority, DateTimeOffset ArrivedAt, bool Callback);

public sealed partial class AcdEngine
{
    /// <summary>The call if it is waiting (or being offered), else null.</summary>
    public WaitingCallView? Waiting(string callId)
    {
        lock (gate)
            return waitingById.TryGetValue(callId, out var c) ? new WaitingCallView(c.Id, c.Queue, c.Request.Priority, c.ArrivedAt, c.Callback) : null;
    }

    public IReadOnlyList<AgentView> Agents()
    {
        lock (gate) return agentOrder.Select(View).ToList();
    }

    public AgentView? Agent(string id)
    {
        lock (gate) return agents.TryGetValue(id, out var a) ? View(a) : null;
    }

    public IReadOnlyList<QueueView> Queues()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            return queues.Values.Select(q => View(q, now)).ToList();
        }
    }

    public IReadOnlyList<AbandonedCall> AbandonedCalls()
    {
        lock (gate) return abandoned.ToList();
    }

    /// <summary>
    /// Position (1 = next) among the calls of the same queue, and the estimated wait: the calls ahead of this one,
    /// plus this one, shared by the agents logged in to the queue, at the queue's average handle time (measured, else
    /// the configured default). Null when the call is not waiting.
    /// </summary>
    public QueuePosition? Position(string callId)
    {
        lock (gate)
        {
            if (!waitingById.TryGetValue(callId, out var call)) return null;
            var position = 1;
            foreach (var other in waiting)
            {
                if (ReferenceEquals(other, call)) break;
                if (other.Queue == call.Queue) position++;
            }
            var staffed = 0;
            foreach (var a in agentsByQueue[call.Queue])
                if (a.State is not (AgentState.Offline or AgentState.Paused)) staffed++;
            var q = queues[call.Queue];
            var handle = counters[call.Queue].HandleSecondsAverage ?? q.DefaultHandleTime.TotalSeconds;
            // Nobody logged in: assume one agent, so the caller still hears a (long) figure rather than none.
            var wait = TimeSpan.FromSeconds(Math.Ceiling((double)position / Math.Max(1, staffed)) * handle);
            return new QueuePosition(call.Queue, position, wait);
        }
    }

    private AgentView View(Agent a) => new(a.Id, a.Account.Name, a.Account.SipUser, a.State, a.PauseReason, a.StateSince, a.IdleSince,
        a.CurrentCallId, a.WrapUpEndsAt, a.Account.Queues, a.Answered, a.Missed, a.History.TakeLast(20).ToList());

    private QueueView View(QueueOptions q, DateTimeOffset now)
    {
        var c = counters[q.Name];
        int count = 0, callbacks = 0;
        var longest = TimeSpan.Zero;
        foreach (var call in waiting)
        {
            if (call.Queue != q.Name) continue;
            count++;
            if (call.Callback) callbacks++;
            if (now - call.ArrivedAt > longest) longest = now - call.ArrivedAt;
        }
        var byState = Enum.GetValues<AgentState>().ToDictionary(s => s, _ => 0);
        foreach (var a in agentsByQueue[q.Name]) byState[a.State]++;
        var ended = c.Answered + c.Abandoned;
        return new QueueView(q.Name, q.Strategy.ToString(), count, callbacks, longest, byState, c.Offered, c.Answered, c.Abandoned, c.OverflowedOut,
            c.AnsweredWithinThreshold, q.ServiceLevelThreshold, ended == 0 ? null : (double)c.AnsweredWithinThreshold / ended,
            new Dictionary<AbandonReason, int>(c.AbandonedBy));
    }
}
