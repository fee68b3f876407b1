using Telephony.Tickets.Domain;

namespace Telephony.Host.Api;

/// <summary>POST /api/tickets.</summary>
public sealed record CreateTicketRequest(
    Channel? Channel, string? CallerPhone, string? CallerName, bool? Anonymous, bool? Confidential,
    string? Transcript, string? RecordingRef, string? Title, string? Description, CategoryDto? Category,
    TicketType? Type, Urgency? Urgency, string? Location, string? Department, bool? Accept, string? Actor);

public sealed record CategoryDto(string? Level1, string? Level2, string? Level3);

/// <summary>POST /api/tickets/{id}/transitions.</summary>
public sealed record TransitionBody(TicketStatus? To, int? ExpectedVersion, string? Actor, string? Note,
    Satisfaction? Satisfaction, long? MergedInto, string? Department);

/// <summary>POST /api/tickets/{id}/assign.</summary>
public sealed record AssignBody(string? Department, int? ExpectedVersion, string? Actor, string? Note);

/// <summary>POST /api/tickets/{id}/notes.</summary>
public sealed record NoteBody(string? Actor, string? Note);

public sealed record ErrorBody(string Error);

/// <summary>A work order as staff see it. A confidential caller's number and name are masked.</summary>
public sealed record TicketDto(
    long Id, string Code, int Version, Channel Channel, string? CallerPhone, string? CallerName, bool Anonymous, bool Confidential,
    string? Transcript, string? RecordingRef, string Title, string Description, CategoryDto? Category, TicketType Type,
    Urgency Urgency, string? Location, string? Department, TicketStatus Status, Satisfaction? Satisfaction, long? MergedInto,
    string? Reply, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? AcceptedAt, DateTimeOffset? RepliedAt,
    DateTimeOffset? ClosedAt, DateTimeOffset? ReplyDueAt, DateTimeOffset? CloseDueAt, SlaState SlaState)
{
    public static TicketDto From(Ticket t) => new(
        t.Id, t.Code, t.Version, t.Channel,
        t.Caller.Confidential ? PersonalData.MaskPhone(t.Caller.Phone) : t.Caller.Phone,
        t.Caller.Confidential ? PersonalData.MaskName(t.Caller.Name) : t.Caller.Name,
        t.Caller.Anonymous, t.Caller.Confidential, t.Transcript, t.RecordingRef, t.Title, t.Description,
        t.Category is { } c ? new CategoryDto(c.Level1, c.Level2, c.Level3) : null, t.Type, t.Urgency, t.Location, t.Department,
        t.Status, t.Satisfaction, t.MergedInto, t.Reply, t.CreatedAt, t.UpdatedAt, t.AcceptedAt, t.RepliedAt, t.ClosedAt,
        t.ReplyDueAt, t.CloseDueAt, t.SlaState);
}

public sealed record HistoryDto(DateTimeOffset At, string Actor, HistoryKind Kind, TicketStatus? From, TicketStatus To, string? Note);

public sealed record TicketPageDto(IReadOnlyList<TicketDto> Items, int Page, int PageSize, long Total);

/// <summary>What the public progress page shows: no names, numbers, addresses, transcripts or internal notes.</summary>
public sealed record ProgressDto(string Code, TicketType Type, string TypeName, TicketStatus Status, string StatusName,
    string? Category, DateTimeOffset CreatedAt, DateTimeOffset? DueAt, string? Reply, IReadOnlyList<ProgressStepDto> Steps);

public sealed record ProgressStepDto(DateTimeOffset At, TicketStatus Status, string StatusName);
