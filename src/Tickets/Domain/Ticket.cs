namespace Telephony.Tickets.Domain;

/// <summary>
/// A work order (工单). Changed only through <see cref="TicketService"/>, which checks the
/// <see cref="Lifecycle"/>, writes a history row per change and bumps <see cref="Version"/> (optimistic concurrency).
/// </summary>
public sealed class Ticket
{
    public long Id { get; set; }
    /// <summary>The citizen's query code (<see cref="Codes.QueryCode"/>): digits with a Verhoeff check digit.</summary>
    public string Code { get; set; } = "";
    /// <summary>Row version: an update names the version it read and fails if another writer came first.</summary>
    public int Version { get; set; }
    public Channel Channel { get; set; }
    public Caller Caller { get; set; } = new(null, null, false, false);
    public string? Transcript { get; set; }
    /// <summary>Where the call recording is (a path or URI the recorder gave), not the audio itself.</summary>
    public string? RecordingRef { get; set; }
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public Category? Category { get; set; }
    public TicketType Type { get; set; }
    public Urgency Urgency { get; set; }
    public string? Location { get; set; }
    public string? Department { get; set; }
    public TicketStatus Status { get; set; }
    public Satisfaction? Satisfaction { get; set; }
    public long? MergedInto { get; set; }
    /// <summary>The last reply to the citizen (the note of the move to Replied): what the progress page shows.</summary>
    public string? Reply { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public DateTimeOffset? RepliedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public DateTimeOffset? ReplyDueAt { get; set; }
    public DateTimeOffset? CloseDueAt { get; set; }
    public DateTimeOffset? ReplyWarnAt { get; set; }
    public DateTimeOffset? CloseWarnAt { get; set; }
    public SlaState SlaState { get; set; }
    /// <summary>When the SLA state next changes (warning or overdue): what the background job polls on.</summary>
    public DateTimeOffset? SlaNextCheckAt { get; set; }

    public Ticket Clone() => (Ticket)MemberwiseClone();
}

/// <summary>
/// The caller. <see cref="Anonymous"/>: the caller gave no name (the number may still be known from caller ID).
/// <see cref="Confidential"/>: the caller asked that their identity be kept from the department (保密);
/// the API then masks it.
/// </summary>
public sealed record Caller(string? Phone, string? Name, bool Anonymous, bool Confidential);

/// <summary>A three-level category from the taxonomy (一级/二级/三级分类); lower levels may be missing.</summary>
public sealed record Category(string Level1, string? Level2, string? Level3)
{
    public override string ToString() => string.Join(" / ", new[] { Level1, Level2, Level3 }.Where(s => s is { Length: > 0 }));
}

public enum HistoryKind { Created, Transition, Assigned, Note, Sla }

/// <summary>One row of an order's history: who, when, from which status to which, and a note.</summary>
public sealed record HistoryEntry(
    long TicketId,
    DateTimeOffset At,
    string Actor,
    HistoryKind Kind,
    TicketStatus? From,
    TicketStatus To,
    string? Note);
