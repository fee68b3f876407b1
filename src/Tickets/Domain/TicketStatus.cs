namespace Telephony.Tickets.Domain;

/// <summary>The states of a work order; the allowed moves between them are in <see cref="Lifecycle"/>.</summary>
public enum TicketStatus
{
    Draft,
    Accepted,
    Dispatched,
    InProgress,
    Replied,
    Visited,
    Closed,
    Returned,
    Escalated,
    Merged,
    Reopened,
}
