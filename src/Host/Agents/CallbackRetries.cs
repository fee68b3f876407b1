using Microsoft.Extensions.Logging;
using Telephony.Agents.Acd;
using Telephony.Agents.Queueing;
using Telephony.Host.Logging;

namespace Telephony.Host.Agents;

/// <summary>
/// Callbacks waiting out the time between two attempts (docs/agents.md, "Callback"): the citizen could not be reached,
/// so the call is out of the ACD until its next attempt is due, then enters again as a callback at its first queue time
/// (its place ahead of calls that came later) and waits for the first free agent. One timer for all of them, set to the
/// earliest due; time comes from <see cref="TimeProvider"/>, so tests move a fake clock. The desk call stays registered
/// meanwhile (it is the screen pop of the agent who calls back). A stop loses nothing: the stored request is pending with
/// its next attempt time, and <see cref="CallbackRestore"/> schedules it here again.
/// </summary>
public sealed class CallbackRetries : IDisposable
{
    private readonly object gate = new();
    private readonly Func<AcdEngine> acd;
    private readonly CallDesk desk;
    private readonly TimeProvider time;
    private readonly ILogger<CallbackRetries> log;
    private readonly Dictionary<string, (DateTimeOffset Due, CallRequest Call)> scheduled = new(StringComparer.Ordinal);
    private readonly ITimer timer;

    public CallbackRetries(Func<AcdEngine> acd, CallDesk desk, TimeProvider time, ILogger<CallbackRetries> log)
    {
        this.acd = acd;
        this.desk = desk;
        this.time = time;
        this.log = log;
        timer = time.CreateTimer(_ => EnterDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>When the call <paramref name="callId"/> enters the ACD again; null when it is not waiting for an attempt.</summary>
    public DateTimeOffset? DueAt(string callId)
    {
        lock (gate) return scheduled.TryGetValue(callId, out var s) ? s.Due : null;
    }

    /// <summary>Enqueues <paramref name="call"/> (a callback) once <paramref name="due"/> has passed; at once if it has.</summary>
    public void Schedule(CallRequest call, DateTimeOffset due)
    {
        if (call.CallbackNumber is null) throw new ArgumentException($"call {call.CallId} is not a callback; only callbacks are tried again", nameof(call));
        lock (gate)
        {
            if (due > time.GetUtcNow())
            {
                scheduled[call.CallId] = (due, call);
                Arm();
                return;
            }
        }
        Enter(call);
    }

    private void EnterDue()
    {
        List<CallRequest> due = [];
        lock (gate)
        {
            var now = time.GetUtcNow();
            foreach (var (id, s) in scheduled.Where(s => s.Value.Due <= now).ToList())
            {
                scheduled.Remove(id);
                due.Add(s.Call);
            }
            Arm();
        }
        foreach (var call in due) Enter(call);
    }

    /// <summary>Under the lock: the timer set to the earliest due (never zero, so a fake clock does not fire it inside the lock).</summary>
    private void Arm()
    {
        if (scheduled.Count == 0)
        {
            timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        var next = scheduled.Values.Min(s => s.Due) - time.GetUtcNow();
        timer.Change(next > TimeSpan.Zero ? next : TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
    }

    private void Enter(CallRequest call)
    {
        var queued = acd().Enqueue(call);
        if (queued.Ok)
        {
            log.LogInformation("Call {CallId}: callback to {Number} is due again; back in {Queue} at its place (queued at {QueuedAt:O})",
                call.CallId, PhoneMasking.MaskNumber(call.CallbackNumber!), call.Queue, call.ArrivedAt);
            return;
        }
        desk.Remove(call.CallId);
        log.LogError("Call {CallId}: the callback to {Number} could not enter {Queue} again ({Error}); it stays pending in the store until the next start",
            call.CallId, PhoneMasking.MaskNumber(call.CallbackNumber!), call.Queue, queued.Error);
    }

    public void Dispose() => timer.Dispose();
}
