using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Telephony.Host.Configuration;
using Telephony.Tickets.Codes;
using Telephony.Tickets.Domain;
using Telephony.Tickets.Store;

namespace Telephony.Host.Api;

/// <summary>
/// The public progress query: the page at <c>/progress</c> and <c>GET /api/progress?code=…&amp;phone4=…</c>.
/// A code alone is not enough: the last four digits of the caller's number must match too, so a guessed code
/// reads nothing, and a wrong code and a wrong suffix get the same 404 (no oracle for which was wrong). Limited
/// per client address (<c>Tickets:Progress:PermitsPerMinute</c>, default 10); the answer has no personal data.
/// </summary>
public static class TicketsProgress
{
    public const string Policy = "progress";

    public static IServiceCollection AddTicketsProgress(this IServiceCollection services, IConfiguration configuration)
    {
        var permits = int.Parse(configuration["Tickets:Progress:PermitsPerMinute"] ?? "10", CultureInfo.InvariantCulture);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Policy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return services;
    }

    public static IEndpointRouteBuilder MapTicketsProgress(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/progress", async (string? code, string? phone4, ITicketStore store, CancellationToken cancel) =>
        {
            if (!QueryCode.TryParse(code, out var normalized, out var reason)) return TicketsEndpoints.Bad(reason!);
            if (phone4 is null || phone4.Length != 4 || !phone4.All(char.IsAsciiDigit)) return TicketsEndpoints.Bad("phone4: the last four digits of the number you called from.");
            var ticket = await store.GetByCodeAsync(normalized, cancel);
            if (ticket is null || !SameDigits(PersonalData.LastFour(ticket.Caller.Phone), phone4))
                return Results.NotFound(new ErrorBody("No work order with this code and number."));
            var history = await store.HistoryAsync(ticket.Id, cancel);
            var steps = history.Where(h => h.Kind is HistoryKind.Created or HistoryKind.Transition)
                .Select(h => new ProgressStepDto(h.At, h.To, ChineseNames.Of(h.To))).ToList();
            return Results.Ok(new ProgressDto(ticket.Code, ticket.Type, ChineseNames.Of(ticket.Type), ticket.Status, ChineseNames.Of(ticket.Status),
                ticket.Category?.ToString(), ticket.CreatedAt, ticket.RepliedAt is null ? ticket.ReplyDueAt ?? ticket.CloseDueAt : ticket.CloseDueAt,
                ticket.Reply, steps));
        }).RequireRateLimiting(Policy).WithTags("Progress").Produces<ProgressDto>().Produces<ErrorBody>(400).Produces<ErrorBody>(404).Produces(429);

        app.MapGet("/progress", () =>
        {
            var page = Path.Combine(AppContext.BaseDirectory, "wwwroot", "progress.html");
            if (!File.Exists(page)) page = RepositoryLayout.Resolve("src/Host/wwwroot/progress.html");
            return Results.File(page, "text/html; charset=utf-8");
        }).ExcludeFromDescription();
        return app;
    }

    // Constant time, so response timing does not tell how many digits matched.
    private static bool SameDigits(string? expected, string given) =>
        expected is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given));
}
