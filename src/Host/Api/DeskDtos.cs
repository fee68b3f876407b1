using Telephony.Agents.Model;
using Telephony.Intake;
using Telephony.Tickets.Domain;

namespace Telephony.Host.Api;

/// <summary>POST /api/desk/login.</summary>
public sealed record DeskLoginBody(string? AgentId, string? Password);

/// <summary>POST /api/desk/state: Available, Paused (with a reason) or Offline.</summary>
public sealed record DeskStateBody(string? State, string? Reason);

/// <summary>
/// The agent as their desktop shows it. <see cref="ServerNow"/> lets the page count the wrap-up down on its own
/// clock without trusting it to agree with the server's.
/// </summary>
public sealed record DeskAgentDto(string Id, string Name, AgentState State, string? PauseReason, DateTimeOffset StateSince,
    string? CurrentCallId, DateTimeOffset? WrapUpEndsAt, double? WrapUpSecondsLeft, DateTimeOffset ServerNow, int Answered, int Missed);

/// <summary>
/// The screen pop: what the IVR gathered (number masked), intake's proposal for the transcript, and the draft as
/// stored now (its <see cref="DeskDraftDto.Version"/> is what the finalize names).
/// </summary>
public sealed record DeskPopDto(string CallId, string Queue, string? Caller, DateTimeOffset At, bool Answered, string? Transcript,
    string? RecordingUrl, IReadOnlyDictionary<string, string> Context, DeskProposalDto? Proposal, DeskDraftDto? Draft);

public sealed record DeskProposalDto(IReadOnlyList<DeskCategoryDto> Categories, string Department, string DepartmentRule, string DepartmentReason,
    bool Urgent, double UrgencyScore, bool Emergency, string? EmergencyService, TicketType Type, double TypeConfidence,
    IReadOnlyList<string> Cues, IReadOnlyList<DeskSimilarDto> SimilarOrders, string? ProposedDuplicate)
{
    public static DeskProposalDto From(IntakeProposal p) => new(
        p.Categories.Take(3).Select(c => new DeskCategoryDto(c.Category, Math.Round(c.Probability, 3))).ToList(),
        p.Department.Department, p.Department.RuleId, p.Department.Reason,
        p.Urgency.IsUrgent, Math.Round(p.Urgency.Score, 3), p.Emergency.IsEmergency, p.Emergency.Service,
        DeskFinalize.Map(p.Type.Type), Math.Round(p.Type.Confidence, 3),
        p.Urgency.Hits.Concat(p.Emergency.Hits).Concat(p.Type.Hits).Select(h => $"{h.RuleId}: {h.Matched}").Distinct().ToList(),
        p.SimilarOrders.Select(s => new DeskSimilarDto(s.OrderId, Math.Round(s.Score, 3), s.IsOpen)).ToList(),
        p.ProposedDuplicate?.OrderId);
}

public sealed record DeskCategoryDto(string Category, double Probability);

public sealed record DeskSimilarDto(string OrderId, double Score, bool IsOpen);

public sealed record DeskDraftDto(long Id, string Code, int Version, TicketStatus Status, string Title, string Description,
    CategoryDto? Category, string? Department, Urgency Urgency, TicketType Type)
{
    public static DeskDraftDto From(Ticket t) => new(t.Id, t.Code, t.Version, t.Status, t.Title, t.Description,
        t.Category is { } c ? new CategoryDto(c.Level1, c.Level2, c.Level3) : null, t.Department, t.Urgency, t.Type);
}

/// <summary>
/// POST /api/desk/calls/{callId}/finalize: the work order as the agent edited it, the status to move it to
/// (Accepted or Dispatched), and the draft version the screen pop showed (omit it when the call has no draft).
/// </summary>
public sealed record DeskFinalizeBody(string? Title, string? Description, CategoryDto? Category, string? Department,
    Urgency? Urgency, TicketType? Type, TicketStatus? Status, int? ExpectedVersion, string? Note);

/// <summary>The answer to a finalize: the order's id, its query code (read to the caller) and its status.</summary>
public sealed record DeskFinalizedDto(long Id, string Code, TicketStatus Status, int Version);
