using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Telephony.Intake;

namespace Telephony.Host.Api;

/// <summary>The text of a request to analyse (a transcript or a typed message) and how many similar orders to return.</summary>
public sealed record IntakeProposalRequest(string? Text, int? Similar);

/// <summary>
/// <c>POST /api/intake/proposals</c>: text → top-3 categories with probabilities, department with the catalogue
/// rule that chose it, urgency, emergency (110/119/120) with the rules, request type with a confidence, similar
/// open orders and a proposed duplicate (docs/api.md, docs/intake.md). Nothing is stored.
/// </summary>
public static class IntakeEndpoints
{
    public const int MaxTextLength = 10_000;
    public const int MaxSimilar = 20;

    public static IEndpointRouteBuilder MapIntake(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/intake/proposals", async (HttpRequest http, IntakeAnalyzer analyzer) =>
        {
            if (!(http.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
                return TicketsEndpoints.Bad("The body must be JSON (Content-Type: application/json).");
            IntakeProposalRequest? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync<IntakeProposalRequest>(http.Body, JsonSerializerOptions.Web, http.HttpContext.RequestAborted);
            }
            catch (JsonException e)
            {
                return TicketsEndpoints.Bad($"The body is not valid JSON: {e.Message}");
            }
            if (body?.Text is not { } text || string.IsNullOrWhiteSpace(text)) return TicketsEndpoints.Bad("text is required (the request as the caller said or wrote it).");
            if (text.Length > MaxTextLength) return TicketsEndpoints.Bad($"text is longer than {MaxTextLength} characters.");
            if (body.Similar is < 0 or > MaxSimilar) return TicketsEndpoints.Bad($"similar must be from 0 to {MaxSimilar}.");
            return Results.Ok(analyzer.Analyze(text, body.Similar ?? 5));
        }).WithTags("Intake").Accepts<IntakeProposalRequest>("application/json").Produces<IntakeProposal>().Produces<ErrorBody>(400);
        return app;
    }
}
