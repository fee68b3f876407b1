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
/// The web form's requests become the same drafts (<see cref="CreateWebDraftAsync"/>), and progress by code
/// answers for them too: a citizen who wrote in may call to ask.
/// </summary>
public sealed class TicketWorkOrders(TicketService tickets, IntakeAnalyzer? intake, ILogger<TicketWorkOrders> log) : IWorkOrders
{
    public const string Actor = "ivr";
    public const string WebActor = "web";
    private const int TitleLength = 30;

    public async Task<DraftCreated> CreateDraftAsync(DraftRequest request, CancellationToken cancellation)
    {
        var text = request.Transcript?.Trim();
        var result = await tickets.CreateAsync(Proposed(new NewTicket
        {
            Channel = Channel.Phone,
            CallerPhone = string.IsNullOrWhiteSpace(request.CallerNumber) ? null : request.CallerNumber,
            Anonymous = string.IsNullOrWhiteSpace(request.CallerNumber),
            Transcript = text,
            RecordingRef = request.RecordingPath,
            Title = text is { Length: > 0 } ? Shorten(text) : "电话诉求（无转写，请听取录音）",
            Description = text is { Length: > 0 } ? text : $"来电录音：{Path.GetFileName(request.RecordingPath) ?? "无"}",
        }, text, request.Classification), cancellation);
        if (result.Ticket is not { } ticket)
            throw new InvalidOperationException($"the work order was not created: {result.Error}");
        log.LogInformation("Call {CallId}: draft work order {TicketId} with query code {Code} for {Caller}",
            request.CallId, ticket.Id, ticket.Code, PhoneMasking.MaskNumber(request.CallerNumber));
        return new DraftCreated(ticket.Code, ticket.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A request typed on the web form (src/Host/Api/WebIntake.cs): the same draft a call makes, with the same
    /// proposal, on channel web. Tickets' validation may refuse it (the result says why; nothing is stored).
    /// </summary>
    public async Task<TicketResult> CreateWebDraftAsync(WebDraftRequest request, RequestClassification? classification, CancellationToken cancellation)
    {
        var text = request.Description.Trim();
        var result = await tickets.CreateAsync(Proposed(new NewTicket
        {
            Channel = Channel.Web,
            CallerPhone = request.Phone,
            CallerName = request.Anonymous ? null : request.CallerName,
            Anonymous = request.Anonymous || string.IsNullOrWhiteSpace(request.CallerName),
            Confidential = request.Confidential,
            Title = string.IsNullOrWhiteSpace(request.Title) ? Shorten(text) : request.Title.Trim(),
            Description = text,
            Location = request.Location,
        }, text, classification, WebActor), cancellation);
        if (result.Ticket is { } ticket)
            log.LogInformation("Web request: draft work order {TicketId} with query code {Code} for {Caller}",
                ticket.Id, ticket.Code, PhoneMasking.MaskNumber(request.Phone));
        return result;
    }

    /// <summary>Intake's proposal on a new draft, the same for every channel: category, department, urgency (an emergency is urgent), type.</summary>
    private NewTicket Proposed(NewTicket ticket, string? text, RequestClassification? c, string actor = Actor)
    {
        var type = TicketType.Consultation;
        if (text is { Length: > 0 } && intake is not null) type = Map(intake.Analyze(text, similarCount: 0).Type.Type);
        return ticket with
        {
            Category = c is { Category.Length: > 0 } ? new Category(c.Category, null, null) : null,
            Department = c?.Department,
            Urgency = c?.Urgency == "urgent" || c?.Emergency == true ? Urgency.Urgent : Urgency.Normal,
            Type = type,
            Accept = false,
            Actor = actor,
        };
    }

    /// <summary>
    /// The status by query code. Only the status is said, never personal data, so the caller's number is not
    /// required to match (a citizen may call from another phone); the check digit rejects mistyped codes.
    /// </summary>
    public async Task<OrderProgress?> GetProgressAsync(string queryCode, string callerNumber, CancellationToken cancellation)
    {
        var ticket = await tickets.Store.GetByCodeAsync(queryCode.Trim(), cancellation);
        if (ticket is null) return null;
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

/// <summary>What the web form sends (already checked by the endpoint): the citizen's number, so they can query progress.</summary>
public sealed record WebDraftRequest(string Phone, string? CallerName, bool Anonymous, bool Confidential, string? Title, string Description, string? Location);
