using Telephony.Tickets.Domain;

namespace Telephony.Tickets;

public enum Outcome { Ok, NotFound, Invalid, Conflict }

/// <summary>The result of a change: the order, or why nothing changed (bad request, no such order, conflict).</summary>
public sealed record TicketResult(Outcome Outcome, Ticket? Ticket, string? Error)
{
    public static TicketResult Ok(Ticket t) => new(Outcome.Ok, t, null);
    public static TicketResult NotFound(long id) => new(Outcome.NotFound, null, $"No work order {id}.");
    public static TicketResult Invalid(string error) => new(Outcome.Invalid, null, error);
    public static TicketResult Conflict(string error) => new(Outcome.Conflict, null, error);
}
