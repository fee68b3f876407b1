namespace Telephony.Tickets.Domain;

/// <summary>What the agent desktop (or the web form) sends to create an order.</summary>
public sealed record NewTicket
{
    public Channel Channel { get; init; }
    public string? CallerPhone { get; init; }
    public string? CallerName { get; init; }
    public bool Anonymous { get; init; }
    public bool Confidential { get; init; }
    public string? Transcript { get; init; }
    public string? RecordingRef { get; init; }
    public string Title { get; init; } = "";
    public string Description { get; init; } = "";
    public Category? Category { get; init; }
    public TicketType Type { get; init; }
    public Urgency Urgency { get; init; }
    public string? Location { get; init; }
    public string? Department { get; init; }
    /// <summary>True when the agent finalizes at once (受理): the order starts Accepted and its SLA clock runs.</summary>
    public bool Accept { get; init; }
    public string Actor { get; init; } = "";
}
