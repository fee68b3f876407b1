using Microsoft.Extensions.Logging;
using Telephony.Tickets.Domain;
using Telephony.Tickets.Sla;
using Telephony.Tickets.Store;

namespace Telephony.Tickets;

/// <summary>
/// The operations on work orders: create, transition, assign, note. Each checks its input and the
/// <see cref="Lifecycle"/> first, so a refused request changes nothing; each change writes one history row and
/// bumps the row version in the same transaction.
/// </summary>
public sealed class TicketService(ITicketStore store, SlaClock sla, TimeProvider time, ILogger<TicketService> log, Taxonomy? taxonomy = null)
{
    public ITicketStore Store => store;

    public async Task<TicketResult> CreateAsync(NewTicket request, CancellationToken cancel = default)
    {
        if (TicketValidation.Check(request, taxonomy) is { } error) return TicketResult.Invalid(error);
        var now = Now();
        var ticket = new Ticket
        {
            Version = 1,
            Channel = request.Channel,
            Caller = new Caller(Normalize(request.CallerPhone), Trim(request.CallerName), request.Anonymous || string.IsNullOrWhiteSpace(request.CallerName), request.Confidential),
            Transcript = request.Transcript,
            RecordingRef = Trim(request.RecordingRef),
            Title = request.Title.Trim(),
            Description = request.Description.Trim(),
            Category = request.Category,
            Type = request.Type,
            Urgency = request.Urgency,
            Location = Trim(request.Location),
            Department = Trim(request.Department),
            Status = request.Accept ? TicketStatus.Accepted : TicketStatus.Draft,
            CreatedAt = now,
            UpdatedAt = now,
            SlaState = SlaState.None,
        };
        if (request.Accept)
        {
            ticket.AcceptedAt = now;
            sla.Start(ticket, now);
        }
        var created = new HistoryEntry(0, now, request.Actor.Trim(), HistoryKind.Created, null, ticket.Status, null);
        await store.InsertAsync(ticket, created, cancel);
        log.LogInformation("Work order {TicketId} created ({Type}, {Urgency}, {Status}) for caller {Phone}",
            ticket.Id, ticket.Type, ticket.Urgency, ticket.Status, PersonalData.MaskPhone(ticket.Caller.Phone));
        return TicketResult.Ok(ticket);
    }

    public async Task<TicketResult> TransitionAsync(long id, int expectedVersion, TransitionRequest request, CancellationToken cancel = default)
    {
        if (TicketValidation.Check(request) is { } error) return TicketResult.Invalid(error);
        var current = await store.GetAsync(id, cancel);
        if (current is null) return TicketResult.NotFound(id);
        if (current.Version != expectedVersion) return Stale(current, expectedVersion);
        if (Lifecycle.Check(current, request) is { } refused) return TicketResult.Conflict(refused);
        if (request.To == TicketStatus.Merged)
        {
            var target = await store.GetAsync(request.MergedInto!.Value, cancel);
            if (target is null) return TicketResult.Invalid($"mergedInto: no work order {request.MergedInto}.");
            if (Lifecycle.IsTerminal(target.Status)) return TicketResult.Conflict($"Order {target.Id} is {target.Status}: merge into an open order.");
        }

        var now = Now();
        var next = current.Clone();
        Apply(next, request, now);
        next.Version = current.Version + 1;
        next.UpdatedAt = now;
        var entry = new HistoryEntry(id, now, request.Actor.Trim(), HistoryKind.Transition, current.Status, request.To, Trim(request.Note));
        if (!await store.UpdateAsync(next, expectedVersion, entry, cancel)) return await StaleAsync(id, expectedVersion, cancel);
        log.LogInformation("Work order {TicketId} {From} -> {To} by {Actor}", id, current.Status, request.To, entry.Actor);
        return TicketResult.Ok(next);
    }

    private void Apply(Ticket t, TransitionRequest r, DateTimeOffset now)
    {
        t.Status = r.To;
        switch (r.To)
        {
            case TicketStatus.Accepted:
                t.AcceptedAt = now;
                sla.Start(t, now);
                break;
            case TicketStatus.Dispatched when r.Department is { Length: > 0 } d:
                t.Department = d.Trim();
                break;
            case TicketStatus.Replied:
                t.RepliedAt = now;
                t.Reply = r.Note!.Trim();
                SlaClock.Refresh(t, now);
                break;
            case TicketStatus.Visited:
                t.Satisfaction = r.Satisfaction;
                break;
            case TicketStatus.Closed:
                t.ClosedAt = now;
                SlaClock.Refresh(t, now);
                break;
            case TicketStatus.Merged:
                t.MergedInto = r.MergedInto;
                t.ClosedAt = now;
                SlaClock.Refresh(t, now);
                break;
            case TicketStatus.Reopened:
                // A dissatisfied citizen gets the work done again: a fresh clock from now, a fresh reply.
                t.RepliedAt = null;
                t.Satisfaction = null;
                sla.Start(t, now);
                break;
        }
    }

    public async Task<TicketResult> AssignAsync(long id, int expectedVersion, string department, string actor, string? note, CancellationToken cancel = default)
    {
        if (TicketValidation.CheckAssign(department, actor, note) is { } error) return TicketResult.Invalid(error);
        var current = await store.GetAsync(id, cancel);
        if (current is null) return TicketResult.NotFound(id);
        if (current.Version != expectedVersion) return Stale(current, expectedVersion);
        if (Lifecycle.IsTerminal(current.Status)) return TicketResult.Conflict($"The order is {current.Status}: it cannot be assigned any more.");
        var now = Now();
        var next = current.Clone();
        next.Department = department.Trim();
        next.Version++;
        next.UpdatedAt = now;
        var text = string.IsNullOrWhiteSpace(note) ? $"Assigned to {next.Department}" : $"Assigned to {next.Department}: {note.Trim()}";
        var entry = new HistoryEntry(id, now, actor.Trim(), HistoryKind.Assigned, current.Status, current.Status, text);
        if (!await store.UpdateAsync(next, expectedVersion, entry, cancel)) return await StaleAsync(id, expectedVersion, cancel);
        return TicketResult.Ok(next);
    }

    /// <summary>A note in the history; it changes nothing else, so it needs no version.</summary>
    public async Task<TicketResult> AddNoteAsync(long id, string actor, string note, CancellationToken cancel = default)
    {
        if (TicketValidation.CheckNote(actor, note) is { } error) return TicketResult.Invalid(error);
        var current = await store.GetAsync(id, cancel);
        if (current is null) return TicketResult.NotFound(id);
        await store.AddHistoryAsync(new HistoryEntry(id, Now(), actor.Trim(), HistoryKind.Note, current.Status, current.Status, note.Trim()), cancel);
        return TicketResult.Ok(current);
    }

    private static TicketResult Stale(Ticket current, int expected) =>
        TicketResult.Conflict($"The order changed: it is at version {current.Version}, the request was made against version {expected}. Reload and retry.");

    private async Task<TicketResult> StaleAsync(long id, int expected, CancellationToken cancel) =>
        await store.GetAsync(id, cancel) is { } now ? Stale(now, expected) : TicketResult.NotFound(id);

    /// <summary>Whole milliseconds, the store's resolution: a returned order equals the order read back.</summary>
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());

    private static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static string? Normalize(string? phone) =>
        string.IsNullOrWhiteSpace(phone) ? null : new string(phone.Where(c => char.IsAsciiDigit(c) || c == '+').ToArray());
}
