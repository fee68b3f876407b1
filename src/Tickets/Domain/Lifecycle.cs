namespace Telephony.Tickets.Domain;

/// <summary>
/// The work-order state machine: every legal move is one row of <see cref="Table"/>; anything else is an
/// illegal transition and is refused with a reason (never a silent no-op). Conditions that depend on the
/// request (a rating for a visit, a target for a merge) are checked in <see cref="Check"/>.
/// </summary>
public static class Lifecycle
{
    public static readonly IReadOnlyDictionary<TicketStatus, TicketStatus[]> Table = new Dictionary<TicketStatus, TicketStatus[]>
    {
        // An agent finalizes the draft (受理), or folds it into an open order at once.
        [TicketStatus.Draft] = [TicketStatus.Accepted, TicketStatus.Merged],
        // Dispatched to a department, or answered on the spot (a consultation the agent can answer).
        [TicketStatus.Accepted] = [TicketStatus.Dispatched, TicketStatus.Replied, TicketStatus.Merged],
        [TicketStatus.Dispatched] = [TicketStatus.InProgress, TicketStatus.Returned, TicketStatus.Escalated, TicketStatus.Merged],
        [TicketStatus.InProgress] = [TicketStatus.Replied, TicketStatus.Returned, TicketStatus.Escalated],
        // The department disputes the dispatch: the hotline dispatches again (to the right department) or merges.
        [TicketStatus.Returned] = [TicketStatus.Dispatched, TicketStatus.Merged],
        // 督办: supervised by the hotline office; the department still has to act and reply.
        [TicketStatus.Escalated] = [TicketStatus.Dispatched, TicketStatus.InProgress, TicketStatus.Replied],
        [TicketStatus.Replied] = [TicketStatus.Visited, TicketStatus.Closed],
        // After the return visit: satisfied → closed; dissatisfied → reopened.
        [TicketStatus.Visited] = [TicketStatus.Closed, TicketStatus.Reopened],
        [TicketStatus.Reopened] = [TicketStatus.Dispatched, TicketStatus.InProgress],
        [TicketStatus.Closed] = [],
        [TicketStatus.Merged] = [],
    };

    public static bool IsAllowed(TicketStatus from, TicketStatus to) =>
        Table.TryGetValue(from, out var next) && Array.IndexOf(next, to) >= 0;

    public static bool IsTerminal(TicketStatus status) => Table[status].Length == 0;

    /// <summary>Null when the move is legal for this order and request; otherwise the reason it is refused.</summary>
    public static string? Check(Ticket ticket, TransitionRequest request)
    {
        var from = ticket.Status;
        var to = request.To;
        if (!IsAllowed(from, to))
            return IsTerminal(from)
                ? $"The order is {from} ({ChineseNames.Of(from)}): it cannot change any more."
                : $"Illegal transition {from} → {to}: from {from} the order can go to {string.Join(", ", Table[from])}.";
        switch (to)
        {
            case TicketStatus.Visited when request.Satisfaction is null:
                return "A return visit (Visited) records the citizen's satisfaction: give satisfaction.";
            case TicketStatus.Reopened when ticket.Satisfaction != Satisfaction.Dissatisfied:
                return "Only an order rated Dissatisfied at the return visit can be reopened.";
            case TicketStatus.Closed when from == TicketStatus.Visited && ticket.Satisfaction == Satisfaction.Dissatisfied:
                return "The citizen was dissatisfied: reopen the order instead of closing it.";
            case TicketStatus.Merged when request.MergedInto is null:
                return "A merge names the order this duplicate is folded into: give mergedInto.";
            case TicketStatus.Merged when request.MergedInto == ticket.Id:
                return "An order cannot be merged into itself.";
            case TicketStatus.Dispatched when string.IsNullOrWhiteSpace(request.Department ?? ticket.Department):
                return "Dispatch needs a responsible department: give department.";
            case TicketStatus.Replied when string.IsNullOrWhiteSpace(request.Note):
                return "A reply needs its text: give note (it is what the citizen reads).";
        }
        return null;
    }
}

/// <summary>What a caller of the service asks: move the order to <see cref="To"/>.</summary>
public sealed record TransitionRequest(
    TicketStatus To,
    string Actor,
    string? Note = null,
    Satisfaction? Satisfaction = null,
    long? MergedInto = null,
    string? Department = null);
