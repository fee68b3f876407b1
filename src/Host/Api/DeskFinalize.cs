using Microsoft.Extensions.Logging;
using Telephony.Host.Agents;
using Telephony.Host.Logging;
using Telephony.Intake.Rules;
using Telephony.Tickets;
using Telephony.Tickets.Domain;
using Telephony.Tickets.Store;

namespace Telephony.Host.Api;

/// <summary>
/// Finalizing a call's work order at the desktop (受理): the draft the IVR made takes the agent's edits, then moves
/// to Accepted (and on to Dispatched when the agent dispatches at once), each step with the agent's id as the actor
/// in its history; without a draft the order is created accepted. Then <see cref="CallDesk.Finalize"/> tells the
/// call side, which reads the query code to the caller. Every check runs before the first write, so a refused
/// request changes nothing; the writes name the version read, so a concurrent change is a 409, not an overwrite.
/// </summary>
public sealed class DeskFinalize(TicketService tickets, ITicketStore store, CallDesk desk, DeskAssignments assignments, TimeProvider time,
    ILogger<DeskFinalize> log, Taxonomy? taxonomy)
{
    public sealed record Result(int Status, string? Error, Ticket? Ticket)
    {
        public static Result Fail(int status, string error) => new(status, error, null);
    }

    public async Task<Result> RunAsync(string agentId, string callId, DeskFinalizeBody body, CancellationToken cancel)
    {
        if (assignments.CallOf(callId) is not { } call) return Result.Fail(404, $"No call {callId} at the desk.");
        var owner = assignments.Of(callId);
        if (owner is null || owner.AgentId != agentId || !owner.Answered)
            return Result.Fail(409, $"Call {callId} is not yours: only the agent who answered it finalizes its work order.");
        if (owner.Finalized) return Result.Fail(409, $"The work order of call {callId} is finalized already.");
        if (Check(body) is { } bad) return Result.Fail(400, bad);
        var target = body.Status!.Value;
        var edited = new NewTicket
        {
            Channel = Channel.Phone, CallerPhone = call.Caller, Anonymous = string.IsNullOrWhiteSpace(call.Caller),
            Transcript = call.Transcript, RecordingRef = call.RecordingPath, Title = body.Title ?? "", Description = body.Description ?? "",
            Category = body.Category is { } c && Blank(c.Level1) is not null ? new Category(Blank(c.Level1)!, Blank(c.Level2), Blank(c.Level3)) : null,
            Type = body.Type!.Value, Urgency = body.Urgency!.Value, Department = Blank(body.Department), Accept = true, Actor = agentId,
        };
        if (TicketValidation.Check(edited, taxonomy) is { } invalid) return Result.Fail(400, invalid);

        Ticket? draft = null;
        if (call.DraftCode is { Length: > 0 } code)
        {
            draft = await store.GetByCodeAsync(code, cancel);
            if (draft is null) return Result.Fail(409, $"The draft {code} of call {callId} is no longer in the store.");
            if (draft.Status != TicketStatus.Draft) return Result.Fail(409, $"The order {code} is {draft.Status} already: reload the screen pop.");
            if (body.ExpectedVersion is null) return Result.Fail(400, "expectedVersion is required: the draft version the screen pop showed.");
            if (draft.Version != body.ExpectedVersion) return Result.Fail(409, $"The draft changed meanwhile (version {draft.Version}, you edited version {body.ExpectedVersion}): reload and check it.");
        }

        // Claimed before the first write, so a double click cannot finalize twice; given back if the writes fail.
        if (!assignments.TryFinalize(callId, agentId)) return Result.Fail(409, $"The work order of call {callId} is finalized already.");
        try
        {
            var result = draft is null ? await CreateAsync(edited, cancel) : await EditAndAcceptAsync(draft, edited, body.Note, cancel);
            if (result.Ticket is not { } done)
            {
                assignments.Unfinalize(callId);
                return Result.Fail(result.Outcome switch { Outcome.NotFound => 409, Outcome.Conflict => 409, _ => 400 }, result.Error!);
            }
            if (target == TicketStatus.Dispatched)
            {
                var dispatched = await tickets.TransitionAsync(done.Id, done.Version,
                    new TransitionRequest(TicketStatus.Dispatched, agentId, "坐席受理后直接派单", Department: edited.Department), cancel);
                // Accepted is what the caller is owed a code for; a dispatch lost to a concurrent writer is redone from the order.
                if (dispatched.Ticket is { } moved) done = moved;
                else log.LogWarning("Call {CallId}: work order {TicketId} accepted but not dispatched: {Error}", callId, done.Id, dispatched.Error);
            }
            log.LogInformation("Call {CallId} from {Caller}: agent {AgentId} finalized work order {TicketId} ({Code}) as {Status}",
                callId, PhoneMasking.MaskNumber(call.Caller ?? ""), agentId, done.Id, done.Code, done.Status);
            Tell(new DeskFinalized(callId, agentId, done.Code, done.Status.ToString()));
            return new Result(200, null, done);
        }
        catch
        {
            assignments.Unfinalize(callId);
            throw;
        }
    }

    /// <summary>The order is stored either way: a failing listener on the call side is logged, not turned into a retry.</summary>
    private void Tell(DeskFinalized finalized)
    {
        try { desk.Finalize(finalized); }
        catch (Exception e) { log.LogError(e, "Call {CallId}: the call side failed to take the finalized code {Code}", finalized.CallId, finalized.QueryCode); }
    }

    private Task<TicketResult> CreateAsync(NewTicket edited, CancellationToken cancel) => tickets.CreateAsync(edited, cancel);

    /// <summary>
    /// The agent's corrections go in as one versioned write with its own history row (what they changed, by whom),
    /// then the lifecycle's Draft → Accepted through the service (SLA clock starts there).
    /// </summary>
    private async Task<TicketResult> EditAndAcceptAsync(Ticket draft, NewTicket edited, string? note, CancellationToken cancel)
    {
        var next = draft.Clone();
        next.Title = edited.Title.Trim();
        next.Description = edited.Description.Trim();
        next.Category = edited.Category;
        next.Department = edited.Department;
        next.Urgency = edited.Urgency;
        next.Type = edited.Type;
        var changes = Changes(draft, next);
        if (changes.Length > 0)
        {
            next.Version = draft.Version + 1;
            next.UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
            var entry = new HistoryEntry(draft.Id, next.UpdatedAt, edited.Actor, HistoryKind.Note, draft.Status, draft.Status, "坐席修改：" + changes);
            if (!await store.UpdateAsync(next, draft.Version, entry, cancel))
                return TicketResult.Conflict("The draft changed meanwhile: reload and check it.");
        }
        return await tickets.TransitionAsync(draft.Id, next.Version, new TransitionRequest(TicketStatus.Accepted, edited.Actor, Blank(note)), cancel);
    }

    private static string Changes(Ticket before, Ticket after) => string.Join("；", new[]
    {
        before.Title != after.Title ? "标题" : null,
        before.Description != after.Description ? "描述" : null,
        before.Category?.ToString() != after.Category?.ToString() ? $"分类 {before.Category?.ToString() ?? "无"} → {after.Category?.ToString() ?? "无"}" : null,
        before.Department != after.Department ? $"部门 {before.Department ?? "无"} → {after.Department ?? "无"}" : null,
        before.Urgency != after.Urgency ? $"紧急程度 {before.Urgency} → {after.Urgency}" : null,
        before.Type != after.Type ? $"类型 {ChineseNames.Of(before.Type)} → {ChineseNames.Of(after.Type)}" : null,
    }.OfType<string>());

    private static string? Check(DeskFinalizeBody b)
    {
        if (b.Status is not (TicketStatus.Accepted or TicketStatus.Dispatched)) return "status must be Accepted (受理) or Dispatched (受理并派单).";
        if (b.Type is not { } type || !Enum.IsDefined(type)) return "type is required (Consultation, Help, Complaint, Report, Suggestion, Praise).";
        if (b.Urgency is not { } urgency || !Enum.IsDefined(urgency)) return "urgency is required (Normal or Urgent).";
        if (b.Category is { } c && string.IsNullOrWhiteSpace(c.Level1) && (Blank(c.Level2) ?? Blank(c.Level3)) is not null) return "category.level1 is required when a category is given.";
        if (b.Status == TicketStatus.Dispatched && string.IsNullOrWhiteSpace(b.Department)) return "Dispatch needs a responsible department: give department.";
        if (b.Note is { Length: > TicketValidation.MaxNote }) return $"note is longer than {TicketValidation.MaxNote} characters.";
        return null;
    }

    public static TicketType Map(RequestType type) => type switch
    {
        RequestType.Complaint => TicketType.Complaint,
        RequestType.Help => TicketType.Help,
        RequestType.Report => TicketType.Report,
        RequestType.Suggestion => TicketType.Suggestion,
        RequestType.Praise => TicketType.Praise,
        _ => TicketType.Consultation,
    };

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
