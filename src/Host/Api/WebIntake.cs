using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Telephony.Host.Configuration;
using Telephony.Host.Ivr;
using Telephony.Intake;
using Telephony.Tickets;
using Telephony.Tickets.Domain;

namespace Telephony.Host.Api;

/// <summary>
/// Web intake: the public form at <c>/report</c> and <c>POST /api/intake/requests</c>. A typed request becomes the
/// same draft work order a call makes (channel web): classified by the IVR's <see cref="IntakeClassifier"/> and stored
/// by its <see cref="TicketWorkOrders"/>, so both channels propose the same category, department and urgency. An
/// emergency is answered with the number to dial (110/119/120) and the request is still kept. Limited per client
/// address (<c>Intake:Web:PermitsPerMinute</c>, default 5), like the progress query.
/// </summary>
public static class WebIntake
{
    public const string Policy = "web-intake";

    public static IServiceCollection AddWebIntake(this IServiceCollection services, IConfiguration configuration)
    {
        var text = configuration["Intake:Web:PermitsPerMinute"] ?? "5";
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var permits) || permits < 1)
            throw new InvalidOperationException($"Intake:Web:PermitsPerMinute must be a whole number of at least 1, not '{text}'");
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Policy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        // The IVR's adapters, stateless: the same classes the classify and createDraft nodes use.
        services.TryAddSingleton(sp => new IntakeClassifier(sp.GetRequiredService<IntakeAnalyzer>()));
        services.TryAddSingleton(sp => new TicketWorkOrders(sp.GetRequiredService<TicketService>(), sp.GetRequiredService<IntakeAnalyzer>(),
            sp.GetRequiredService<ILogger<TicketWorkOrders>>()));
        return services;
    }

    public static IEndpointRouteBuilder MapWebIntake(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/intake/requests", async (HttpRequest http, IntakeClassifier classifier, TicketWorkOrders orders, ILogger<WebIntakeLog> log) =>
        {
            var (body, error) = await JsonBody.ReadAsync<WebIntakeRequest>(http);
            if (body is null) return TicketsEndpoints.Bad(error!);
            if (WebIntakeValidation.Check(body) is { } invalid) return TicketsEndpoints.Bad(invalid);
            var cancel = http.HttpContext.RequestAborted;
            var description = body.Description!.Trim();
            Telephony.Ivr.Services.RequestClassification? classification = null;
            try
            {
                classification = await classifier.ClassifyAsync(description, cancel);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // As on the phone: a classifier failure leaves the proposal empty, the request is still kept.
                log.LogError(e, "Web request: classification failed; the draft is stored without a proposal");
            }
            var result = await orders.CreateWebDraftAsync(new WebDraftRequest(WebIntakeValidation.Digits(body.Phone!), body.CallerName?.Trim(),
                body.Anonymous ?? false, body.Confidential ?? false, body.Title, description, body.Location?.Trim()), classification, cancel);
            if (result.Ticket is not { } ticket) return TicketsEndpoints.Bad(result.Error ?? "the request was not accepted.");
            var emergency = classification is { Emergency: true };
            var service = emergency ? classification!.EmergencyService : null;
            return Results.Created($"/progress", new WebIntakeResponse(ticket.Code, ticket.Status, ChineseNames.Of(ticket.Status),
                ticket.Category?.ToString(), ticket.Department, ticket.Urgency, ChineseNames.Of(ticket.Type), emergency, service,
                emergency ? Advice(service) : null, "/progress"));
        }).RequireRateLimiting(Policy).WithTags("Intake").Accepts<WebIntakeRequest>("application/json")
          .Produces<WebIntakeResponse>(201).Produces<ErrorBody>(400).Produces(429);

        app.MapGet("/report", () => Page("report.html", "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/report.js", () => Page("report.js", "text/javascript; charset=utf-8")).ExcludeFromDescription();
        return app;
    }

    /// <summary>What the citizen reads when the rules see an emergency: the web cannot transfer, so it says whom to call.</summary>
    public static string Advice(string? service) => service switch
    {
        "110" => "您反映的情况属于紧急情况，请立即拨打110报警。",
        "119" => "您反映的情况属于紧急情况，请立即拨打119火警电话。",
        "120" => "您反映的情况属于紧急情况，请立即拨打120急救电话。",
        _ => "您反映的情况属于紧急情况，请立即拨打110、119或120。",
    };

    private static IResult Page(string file, string contentType)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "wwwroot", file);
        if (!File.Exists(path)) path = RepositoryLayout.Resolve(Path.Combine("src/Host/wwwroot", file));
        return Results.File(path, contentType);
    }

    /// <summary>The category for the endpoint's log lines.</summary>
    public sealed class WebIntakeLog;
}

/// <summary>The web form: the phone number is required (the progress query asks for its last four digits); a name only if the citizen gives one.</summary>
public sealed record WebIntakeRequest(string? CallerName, bool? Anonymous, string? Phone, bool? Confidential, string? Title, string? Description, string? Location);

/// <summary>
/// The registered request: the query code (for /progress with the phone's last four digits), the proposal, and for
/// an emergency the number to dial with the advice to show.
/// </summary>
public sealed record WebIntakeResponse(string QueryCode, TicketStatus Status, string StatusName, string? Category, string? Department,
    Urgency Urgency, string TypeName, bool Emergency, string? EmergencyService, string? Advice, string ProgressUrl);
