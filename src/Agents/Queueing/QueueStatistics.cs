namespace Telephony.Agents.Queueing;

/// <summary>Counters of one queue since start; mutated by the ACD under its lock.</summary>
internal sealed class QueueCounters
{
    public int Offered;          // calls that entered this queue (arrived or overflowed in)
    public int Answered;
    public int AnsweredWithinThreshold;
    public int Abandoned;
    public int OverflowedOut;
    public int CallbacksRequested;
    public readonly Dictionary<AbandonReason, int> AbandonedBy = new();
    /// <summary>Exponential moving average of talk + wrap-up, for estimated waits; null until a call has ended.</summary>
    public double? HandleSecondsAverage;
    public int RoundRobinCursor = -1;

    public void RecordHandle(TimeSpan handle)
    {
        const double weight = 0.1;
        HandleSecondsAverage = HandleSecondsAverage is { } a ? a + weight * (handle.TotalSeconds - a) : handle.TotalSeconds;
    }
}

/// <summary>An abandoned call, kept with its reason and its draft for the supervisor and for call-back lists.</summary>
public sealed record AbandonedCall(string CallId, string Queue, AbandonReason Reason, TimeSpan Waited, DateTimeOffset At, string? DraftRef, string? Caller);
