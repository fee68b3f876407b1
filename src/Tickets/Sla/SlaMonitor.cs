using Microsoft.Extensions.Logging;
using Telephony.Tickets.Domain;
using Telephony.Tickets.Store;

namespace Telephony.Tickets.Sla;

/// <summary>
/// The background job: every <c>period</c> (on <see cref="TimeProvider"/>, so tests drive it with a fake clock)
/// it takes the orders whose next SLA check is due, marks them in warning or overdue, writes a history row and
/// logs a warning. An order changed meanwhile by an agent (version conflict) is picked up on the next tick.
/// </summary>
public sealed class SlaMonitor(ITicketStore store, TimeProvider time, ILogger<SlaMonitor> log)
{
    public const int BatchSize = 500;
    public const string Actor = "sla-monitor";

    /// <summary>One pass; returns how many orders changed state.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancel = default)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var marked = 0;
        for (var batch = 0; batch < 20; batch++)
        {
            var due = await store.DueForSlaCheckAsync(now, BatchSize, cancel);
            var progressed = 0;
            foreach (var current in due)
            {
                var next = current.Clone();
                var changed = SlaClock.Refresh(next, now);
                next.Version = current.Version + 1;
                HistoryEntry? entry = changed
                    ? new HistoryEntry(current.Id, now, Actor, HistoryKind.Sla, current.Status, current.Status, Describe(next))
                    : null;
                if (!await store.UpdateAsync(next, current.Version, entry, cancel)) continue;
                progressed++;
                if (!changed) continue;
                marked++;
                log.LogWarning("Work order {TicketId} ({Code}) is {SlaState}: reply due {ReplyDue}, close due {CloseDue}, department {Department}",
                    next.Id, next.Code, next.SlaState, next.ReplyDueAt, next.CloseDueAt, next.Department);
            }
            if (due.Count < BatchSize || progressed == 0) break;
        }
        return marked;
    }

    public async Task RunAsync(TimeSpan period, CancellationToken cancel)
    {
        using var timer = new PeriodicTimer(period, time);
        do
        {
            try
            {
                await RunOnceAsync(cancel);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "SLA check failed; retrying in {Period}", period);
            }
        }
        while (await timer.WaitForNextTickAsync(cancel));
    }

    private static string Describe(Ticket t) => t.SlaState switch
    {
        SlaState.Warning => "SLA warning: 80 % of the allowed time used",
        SlaState.Overdue => "SLA overdue: the deadline has passed",
        _ => $"SLA {t.SlaState}",
    };
}
