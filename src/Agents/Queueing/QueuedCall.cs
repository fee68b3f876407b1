using Telephony.Agents.Model;

namespace Telephony.Agents.Queueing;

/// <summary>Urgent calls first, then the enterprise line (营商环境专线), then the rest; within one, longest waiting first.</summary>
public enum CallPriority { Normal = 0, EnterpriseLine = 1, Urgent = 2 }

/// <summary>Why a call left the queue without an agent.</summary>
public enum AbandonReason { CallerHungUp, MaxWaitExceeded, NoAgentsLoggedIn, CallbackUnreachable, Shutdown }

/// <summary>A call entering the ACD. <see cref="DraftRef"/> keeps the draft work order (or its id) so an abandoned call keeps it.</summary>
public sealed record CallRequest
{
    public required string CallId { get; init; }
    public required string Queue { get; init; }
    public CallPriority Priority { get; init; } = CallPriority.Normal;
    public IReadOnlyList<SkillRequirement> Skills { get; init; } = [];
    /// <summary>The caller's number; logged masked only.</summary>
    public string? Caller { get; init; }
    public string? DraftRef { get; init; }
    /// <summary>
    /// When the call first entered the ACD, if earlier than now: a callback request restored after a restart keeps the
    /// place it had (the order is priority, then arrival). Null: it arrives now. Never in the future.
    /// </summary>
    public DateTimeOffset? ArrivedAt { get; init; }
    /// <summary>
    /// Set for a call that is a callback from the start (a request restored from the store after a restart): the number
    /// to call back; the citizen is no longer on the line.
    /// </summary>
    public string? CallbackNumber { get; init; }
    /// <summary>
    /// A callback entering again for another attempt after its citizen could not be reached
    /// (<see cref="Acd.AcdEngine.DeferCallback"/>): it was counted as offered and as a callback when it first entered.
    /// </summary>
    public bool Retry { get; init; }
}

/// <summary>A call waiting (or being offered). Mutated only by the ACD under its lock.</summary>
public sealed class QueuedCall(CallRequest request, DateTimeOffset arrivedAt, long sequence)
{
    public CallRequest Request { get; } = request;
    public string Id => Request.CallId;
    /// <summary>First arrival in the ACD: waiting time and order survive overflow into another queue.</summary>
    public DateTimeOffset ArrivedAt { get; } = arrivedAt;
    public long Sequence { get; } = sequence;
    public string Queue { get; internal set; } = request.Queue;
    /// <summary>When it entered <see cref="Queue"/>: the overflow timer counts from here.</summary>
    public DateTimeOffset QueuedAt { get; internal set; } = arrivedAt;
    /// <summary>The caller asked to be called back: they hung up but the call keeps its place.</summary>
    public bool Callback { get; internal set; }
    public string? CallbackNumber { get; internal set; }
    public long? OfferId { get; internal set; }
    /// <summary>Agents who did not take this call, and until when they are not offered it again.</summary>
    internal Dictionary<string, DateTimeOffset> NotBefore { get; } = new();
    public int Offers { get; internal set; }
}

/// <summary>Order in a queue: priority (high first), then arrival, then sequence so ties never collide.</summary>
internal sealed class QueueOrder : IComparer<QueuedCall>
{
    public static readonly QueueOrder Instance = new();
    public int Compare(QueuedCall? x, QueuedCall? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        var c = y!.Request.Priority.CompareTo(x!.Request.Priority);
        if (c != 0) return c;
        c = x.ArrivedAt.CompareTo(y.ArrivedAt);
        return c != 0 ? c : x.Sequence.CompareTo(y.Sequence);
    }
}
