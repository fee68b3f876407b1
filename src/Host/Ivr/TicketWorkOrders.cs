using Microsoft.Extensions.Logging;
using Telephony.Host.Logging;
using Telephony.Intake;
using Telephony.Intake.Rules;
using Telephony.Ivr.Services;
using Telephony.Tickets;
using Telephony.Tickets.Domain;
using Telephony.Tickets.Store;

namespace Telephony.Host.Ivr;

/// <summary>
/// The flow's work-order nodes over Tickets: a phone call becomes a draft (草稿) carrying the recording and
/// the transcript, with intake's proposal (category, department, urgency, type) for the agent to confirm.
/// Without a transcript (no model, a failed run) the draft still is created, titled for a person to listen.
/// </summary>
public sealed class TicketWorkOrders(TicketService tickets, IntakeAnalyzer? intake, ILogger<TicketWorkOrders> log) : IWorkOrders
{
    public const string Actor = "ivr";
    private const int TitleLength = 30;

    public async Task<DraftCreated> CreateDraftAsync(DraftRequest request, CancellationToken cancellation)
    {
        var text = request.Transcript?.Trim();
        var type = TicketType.Consultation;
        if (text is { Length: > 0 } && intake is not null) type = Map(intake.Analyze(text, similarCount: 0).Type.Type);
        var c = request.Classification;
        var result = await tickets.CreateAsync(new NewTicket
        {
            Channel = Channel.Phone,
            CallerPhone = string.IsNullOrWhiteSpace(request.CallerNumber) ? null : request.CallerNumber,
            Anonymous = string.IsNullOrWhiteSpace(request.CallerNumber),
            Transcript = text,
            RecordingRef = request.RecordingPath,
            Title = text is { Length: > 0 } ? Shorten(text) : "电话诉求（无转写，请听取录音）",
            Description = text is { Length: > 0 } ? text : $"来电录音：{Path.GetFileName(request.RecordingPath) ?? "无"}",
            Category = c is { Category.Length: > 0 } ? new Category(c.Category, null, null) : null,
            Department = c?.Department,
            Urgency = c?.Urgency == "urgent" || c?.Emergency == true ? Urgency.Urgent : Urgency.Normal,
            Type = type,
            Accept = false,
            Actor = Actor,
        }, cancellation);
        if (result.Ticket is not { } ticket)
            throw new InvalidOperationException($"the work order was not created: {result.Error}");
        log.LogInformation("Call {CallId}: draft work order {TicketId} with query code {Code} for {Caller}",
            request.CallId, ticket.Id, ticket.Code, PhoneMasking.MaskNumber(request.CallerNumber));
        return new DraftCreated(ticket.Code, ticket.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The status by query code. Only the status is said, never personal data, so the caller's number is not
    /// required to match (a citizen may call from another phone); the check digit rejects mistyped codes.
    /// </summary>
    public async Task<OrderProgress?> GetProgressAsync(string queryCode, string callerNumber, CancellationToken cancellation)
    {
        var ticket = await tickets.Store.GetByCodeAsync(queryCode.Trim(), cancellation);
        if (ticket is null || ticket.Status == TicketStatus.Draft && ticket.Channel == Channel.Web) return null;
        return new OrderProgress(ticket.Code, ticket.Status.ToString(), ChineseNames.Of(ticket.Status), StatusPrompt(ticket.Status));
    }

    public async Task<int> CountOpenOrdersAsync(string callerNumber, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(callerNumber)) return 0;
        var page = await tickets.Store.SearchAsync(new TicketQuery { Phone = callerNumber, PageSize = TicketQuery.MaxPageSize }, cancellation);
        return page.Items.Count(t => t.Status is not (TicketStatus.Closed or TicketStatus.Merged));
    }

    /// <summary>The prompt that says a status (prompts/prompts.tsv: status_accepted …).</summary>
    public static string StatusPrompt(TicketStatus status) => "status_" + System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    private static string Shorten(string text) => text.Length <= TitleLength ? text : text[..TitleLength] + "…";

    private static TicketType Map(RequestType type) => type switch
    {
        RequestType.Complaint => TicketType.Complaint,
        RequestType.Help => TicketType.Help,
        RequestType.Report => TicketType.Report,
        RequestType.Suggestion => TicketType.Suggestion,
        RequestType.Praise => TicketType.Praise,
        _ => TicketType.Consultation,
    };
}
