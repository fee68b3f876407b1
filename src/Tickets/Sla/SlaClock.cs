using Telephony.Tickets.Domain;

namespace Telephony.Tickets.Sla;

/// <summary>
/// Sets an order's deadlines when the clock starts (acceptance, or reopening) and tells where the order stands
/// at a given instant: on time, in warning (past <see cref="SlaPolicy.WarnAt"/> of the allowance) or overdue.
/// </summary>
public sealed class SlaClock(SlaPolicy policy, WorkingCalendar calendar)
{
    public SlaPolicy Policy => policy;
    public WorkingCalendar Calendar => calendar;

    /// <summary>Starts the clock at <paramref name="start"/>: fills the due and warning instants of both milestones.</summary>
    public void Start(Ticket ticket, DateTimeOffset start)
    {
        var targets = policy.For(ticket.Type, ticket.Urgency);
        (ticket.ReplyDueAt, ticket.ReplyWarnAt) = Deadline(start, targets.Reply);
        (ticket.CloseDueAt, ticket.CloseWarnAt) = Deadline(start, targets.Close);
        Refresh(ticket, start);
    }

    private (DateTimeOffset? Due, DateTimeOffset? Warn) Deadline(DateTimeOffset start, SlaSpan? span)
    {
        if (span is not { } s) return (null, null);
        return s.Unit == SlaUnit.Hours
            ? (Ms(start.AddHours(s.Amount)), Ms(start.AddHours(s.Amount * policy.WarnAt)))
            : (Ms(calendar.AddWorkingDays(start, s.Amount)), Ms(calendar.AddWorkingDays(start, s.Amount * policy.WarnAt)));
    }

    /// <summary>Rounded to the millisecond: the store keeps instants in Unix milliseconds, so what is computed equals what is read back.</summary>
    public static DateTimeOffset Ms(DateTimeOffset t) =>
        new DateTimeOffset((t.UtcTicks + TimeSpan.TicksPerMillisecond / 2) / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, TimeSpan.Zero).ToOffset(t.Offset);

    /// <summary>The state at <paramref name="now"/> and the next instant it changes (null: it never will).</summary>
    public static (SlaState State, DateTimeOffset? NextCheck) Evaluate(Ticket ticket, DateTimeOffset now)
    {
        if (ticket.ReplyDueAt is null && ticket.CloseDueAt is null) return (SlaState.None, null);
        var state = SlaState.OnTime;
        DateTimeOffset? next = null;
        var closed = ticket.ClosedAt is not null || Lifecycle.IsTerminal(ticket.Status);
        var replied = ticket.RepliedAt is not null || closed;
        Milestone(replied, ticket.ReplyWarnAt, ticket.ReplyDueAt);
        Milestone(closed, ticket.CloseWarnAt, ticket.CloseDueAt);
        return (state, next);

        void Milestone(bool met, DateTimeOffset? warn, DateTimeOffset? due)
        {
            if (met || due is null) return;
            SlaState here;
            DateTimeOffset? change;
            if (now >= due) (here, change) = (SlaState.Overdue, null);
            else if (warn is not null && now >= warn) (here, change) = (SlaState.Warning, due);
            else (here, change) = (SlaState.OnTime, warn ?? due);
            if (here > state) state = here;
            if (change is not null && (next is null || change < next)) next = change;
        }
    }

    /// <summary>Sets <see cref="Ticket.SlaState"/> and <see cref="Ticket.SlaNextCheckAt"/> for <paramref name="now"/>; true when the state changed.</summary>
    public static bool Refresh(Ticket ticket, DateTimeOffset now)
    {
        var (state, next) = Evaluate(ticket, now);
        var changed = state != ticket.SlaState;
        ticket.SlaState = state;
        ticket.SlaNextCheckAt = next;
        return changed;
    }
}
