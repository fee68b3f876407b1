using Telephony.Tickets.Domain;

namespace Telephony.Tickets.Store;

/// <summary>A <c>tickets</c> row as Dapper writes it (updates): instants in Unix ms, enums by name, flags as 0/1.</summary>
internal sealed class TicketRow
{
    public long Id { get; set; }
    public string Code { get; set; } = "";
    public int Version { get; set; }
    public string Channel { get; set; } = "";
    public string? CallerPhone { get; set; }
    public string? CallerName { get; set; }
    public int Anonymous { get; set; }
    public int Confidential { get; set; }
    public string? Transcript { get; set; }
    public string? RecordingRef { get; set; }
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public string? Category1 { get; set; }
    public string? Category2 { get; set; }
    public string? Category3 { get; set; }
    public string Type { get; set; } = "";
    public string Urgency { get; set; } = "";
    public string? Location { get; set; }
    public string? Department { get; set; }
    public string Status { get; set; } = "";
    public string? Satisfaction { get; set; }
    public long? MergedInto { get; set; }
    public string? Reply { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public long? AcceptedAt { get; set; }
    public long? RepliedAt { get; set; }
    public long? ClosedAt { get; set; }
    public long? ReplyDueAt { get; set; }
    public long? ReplyWarnAt { get; set; }
    public long? CloseDueAt { get; set; }
    public long? CloseWarnAt { get; set; }
    public string SlaState { get; set; } = "";
    public long? SlaNextCheckAt { get; set; }
    /// <summary>Only for updates: the version the writer read.</summary>
    public int ExpectedVersion { get; set; }

    public static TicketRow From(Ticket t) => new()
    {
        Id = t.Id, Code = t.Code, Version = t.Version, Channel = t.Channel.ToString(),
        CallerPhone = t.Caller.Phone, CallerName = t.Caller.Name,
        Anonymous = t.Caller.Anonymous ? 1 : 0, Confidential = t.Caller.Confidential ? 1 : 0,
        Transcript = t.Transcript, RecordingRef = t.RecordingRef, Title = t.Title, Description = t.Description,
        Category1 = t.Category?.Level1, Category2 = t.Category?.Level2, Category3 = t.Category?.Level3,
        Type = t.Type.ToString(), Urgency = t.Urgency.ToString(), Location = t.Location, Department = t.Department,
        Status = t.Status.ToString(), Satisfaction = t.Satisfaction?.ToString(), MergedInto = t.MergedInto, Reply = t.Reply,
        CreatedAt = Ms(t.CreatedAt), UpdatedAt = Ms(t.UpdatedAt), AcceptedAt = Ms(t.AcceptedAt), RepliedAt = Ms(t.RepliedAt),
        ClosedAt = Ms(t.ClosedAt), ReplyDueAt = Ms(t.ReplyDueAt), ReplyWarnAt = Ms(t.ReplyWarnAt),
        CloseDueAt = Ms(t.CloseDueAt), CloseWarnAt = Ms(t.CloseWarnAt),
        SlaState = t.SlaState.ToString(), SlaNextCheckAt = Ms(t.SlaNextCheckAt),
    };

    internal static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
    internal static long? Ms(DateTimeOffset? t) => t?.ToUnixTimeMilliseconds();
    internal static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    internal static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}

/// <summary>A <c>ticket_history</c> row.</summary>
internal sealed class HistoryRow
{
    public long TicketId { get; set; }
    public long At { get; set; }
    public string Actor { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? FromStatus { get; set; }
    public string ToStatus { get; set; } = "";
    public string? Note { get; set; }

    public static HistoryRow From(HistoryEntry e) => new()
    {
        TicketId = e.TicketId, At = TicketRow.Ms(e.At), Actor = e.Actor, Kind = e.Kind.ToString(),
        FromStatus = e.From?.ToString(), ToStatus = e.To.ToString(), Note = e.Note,
    };

    public HistoryEntry ToEntry() => new(TicketId, TicketRow.At(At), Actor, Enum.Parse<HistoryKind>(Kind),
        FromStatus is null ? null : Enum.Parse<TicketStatus>(FromStatus), Enum.Parse<TicketStatus>(ToStatus), Note);
}
