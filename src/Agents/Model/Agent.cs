namespace Telephony.Agents.Model;

/// <summary>One state change, kept for statistics (time in state, occupancy) and the desktop's history.</summary>
public sealed record StateChange(DateTimeOffset At, AgentState From, AgentState To, string? Reason);

/// <summary>
/// An agent at run time. Mutated only by <see cref="Acd.AcdEngine"/> under its lock; readers get <see cref="Acd.AgentView"/> copies.
/// </summary>
public sealed class Agent(AgentAccount account, DateTimeOffset now)
{
    private const int HistoryLimit = 500;
    private readonly Queue<StateChange> history = new();
    private readonly Dictionary<AgentState, TimeSpan> timeIn = new();

    public AgentAccount Account { get; } = account;
    public string Id => Account.Id;
    public AgentState State { get; private set; } = AgentState.Offline;
    public string? PauseReason { get; private set; }
    public DateTimeOffset StateSince { get; private set; } = now;
    /// <summary>When the agent last became available: "longest idle" is the earliest of these.</summary>
    public DateTimeOffset IdleSince { get; private set; } = now;
    public string? CurrentCallId { get; internal set; }
    public DateTimeOffset? WrapUpEndsAt { get; internal set; }
    public int Answered { get; internal set; }
    public int Missed { get; internal set; }

    public IReadOnlyCollection<StateChange> History => history;

    /// <summary>Time spent in a state so far, the current stretch included.</summary>
    public TimeSpan TimeIn(AgentState state, DateTimeOffset now) =>
        timeIn.GetValueOrDefault(state) + (State == state ? now - StateSince : TimeSpan.Zero);

    internal void MoveTo(AgentState to, string? reason, DateTimeOffset now)
    {
        timeIn[State] = timeIn.GetValueOrDefault(State) + (now - StateSince);
        history.Enqueue(new StateChange(now, State, to, reason));
        if (history.Count > HistoryLimit) history.Dequeue();
        if (to == AgentState.Available) IdleSince = now;
        State = to;
        StateSince = now;
        PauseReason = to == AgentState.Paused ? reason : null;
        if (to != AgentState.WrapUp) WrapUpEndsAt = null;
    }
}
