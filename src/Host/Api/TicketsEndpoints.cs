using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Telephony.Tickets;
using Telephony.Tickets.Domain;
using Telephony.Tickets.Store;

namespace Telephony.Host.Api;

/// <summary>
/// The work-order HTTP API (JSON). Bodies are read here rather than bound by the framework so that a malformed
/// body gets a 400 with a message like every other bad request. 404: no such order; 409: an illegal transition or a
/// stale <c>expectedVersion</c>, with the reason. Described in the OpenAPI document at /openapi/v1.json.
/// </summary>
public static class TicketsEndpoints
{
    public static IEndpointRouteBuilder MapTickets(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tickets").WithTags("Tickets");

        api.MapPost("/", async (HttpRequest http, TicketService service) =>
        {
            var (body, error) = await JsonBody.ReadAsync<CreateTicketRequest>(http);
            if (body is null) return Bad(error!);
            if (body.Type is null) return Bad("type is required (Consultation, Help, Complaint, Report, Suggestion, Praise).");
            var result = await service.CreateAsync(new NewTicket
            {
                Channel = body.Channel ?? Channel.Phone, CallerPhone = body.CallerPhone, CallerName = body.CallerName,
                Anonymous = body.Anonymous ?? false, Confidential = body.Confidential ?? false, Transcript = body.Transcript,
                RecordingRef = body.RecordingRef, Title = body.Title ?? "", Description = body.Description ?? "",
                Category = body.Category is { } c ? new Category(c.Level1 ?? "", c.Level2, c.Level3) : null,
                Type = body.Type.Value, Urgency = body.Urgency ?? Urgency.Normal, Location = body.Location,
                Department = body.Department, Accept = body.Accept ?? false, Actor = body.Actor ?? "",
            }, http.HttpContext.RequestAborted);
            return result.Outcome == Outcome.Ok
                ? Results.Created($"/api/tickets/{result.Ticket!.Id}", TicketDto.From(result.Ticket))
                : Map(result);
        }).Accepts<CreateTicketRequest>("application/json").Produces<TicketDto>(201).Produces<ErrorBody>(400);

        api.MapGet("/{id:long}", async (long id, ITicketStore store, CancellationToken cancel) =>
            await store.GetAsync(id, cancel) is { } t ? Results.Ok(TicketDto.From(t)) : NotFound(id))
            .Produces<TicketDto>().Produces<ErrorBody>(404);

        api.MapGet("/{id:long}/history", async (long id, ITicketStore store, CancellationToken cancel) =>
        {
            if (await store.GetAsync(id, cancel) is null) return NotFound(id);
            var history = await store.HistoryAsync(id, cancel);
            return Results.Ok(history.Select(h => new HistoryDto(h.At, h.Actor, h.Kind, h.From, h.To, h.Note)).ToList());
        }).Produces<List<HistoryDto>>().Produces<ErrorBody>(404);

        api.MapGet("/", async (HttpRequest http, ITicketStore store) =>
        {
            var (query, error) = ParseQuery(http.Query);
            if (query is null) return Bad(error!);
            var page = await store.SearchAsync(query, http.HttpContext.RequestAborted);
            return Results.Ok(new TicketPageDto(page.Items.Select(TicketDto.From).ToList(), page.Page, page.PageSize, page.Total));
        }).Produces<TicketPageDto>().Produces<ErrorBody>(400)
          .WithSummary("Search: q (keyword), code, phone, status, department, from, to (ISO 8601), page, pageSize (≤ 100)");

        api.MapPost("/{id:long}/transitions", async (long id, HttpRequest http, TicketService service) =>
        {
            var (body, error) = await JsonBody.ReadAsync<TransitionBody>(http);
            if (body is null) return Bad(error!);
            if (body.To is null) return Bad("to is required (the status to move to).");
            if (body.ExpectedVersion is null) return Bad("expectedVersion is required (the version you read).");
            return Map(await service.TransitionAsync(id, body.ExpectedVersion.Value, new TransitionRequest(
                body.To.Value, body.Actor ?? "", body.Note, body.Satisfaction, body.MergedInto, body.Department), http.HttpContext.RequestAborted));
        }).Accepts<TransitionBody>("application/json").Produces<TicketDto>().Produces<ErrorBody>(400).Produces<ErrorBody>(404).Produces<ErrorBody>(409);

        api.MapPost("/{id:long}/assign", async (long id, HttpRequest http, TicketService service) =>
        {
            var (body, error) = await JsonBody.ReadAsync<AssignBody>(http);
            if (body is null) return Bad(error!);
            if (body.ExpectedVersion is null) return Bad("expectedVersion is required (the version you read).");
            return Map(await service.AssignAsync(id, body.ExpectedVersion.Value, body.Department ?? "", body.Actor ?? "", body.Note, http.HttpContext.RequestAborted));
        }).Accepts<AssignBody>("application/json").Produces<TicketDto>().Produces<ErrorBody>(400).Produces<ErrorBody>(404).Produces<ErrorBody>(409);

        api.MapPost("/{id:long}/notes", async (long id, HttpRequest http, TicketService service) =>
        {
            var (body, error) = await JsonBody.ReadAsync<NoteBody>(http);
            if (body is null) return Bad(error!);
            return Map(await service.AddNoteAsync(id, body.Actor ?? "", body.Note ?? "", http.HttpContext.RequestAborted));
        }).Accepts<NoteBody>("application/json").Produces<TicketDto>().Produces<ErrorBody>(400).Produces<ErrorBody>(404);

        return app;
    }

    internal static IResult Bad(string message) => Results.BadRequest(new ErrorBody(message));

    private static IResult NotFound(long id) => Results.NotFound(new ErrorBody($"No work order {id}."));

    private static IResult Map(TicketResult r) => r.Outcome switch
    {
        Outcome.Ok => Results.Ok(TicketDto.From(r.Ticket!)),
        Outcome.NotFound => Results.NotFound(new ErrorBody(r.Error!)),
        Outcome.Conflict => Results.Conflict(new ErrorBody(r.Error!)),
        _ => Bad(r.Error!),
    };

    private static (TicketQuery? Query, string? Error) ParseQuery(IQueryCollection q)
    {
        TicketStatus? status = null;
        if (q["status"].ToString() is { Length: > 0 } s)
        {
            if (!Enum.TryParse<TicketStatus>(s, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed)) return (null, $"status: unknown status '{s}'.");
            status = parsed;
        }
        if (!TryInstant(q["from"], "from", out var from, out var error) || !TryInstant(q["to"], "to", out var to, out error)) return (null, error);
        if (!TryInt(q["page"], 1, out var page) || page < 1) return (null, "page: a whole number from 1.");
        if (!TryInt(q["pageSize"], 20, out var size) || size is < 1 or > TicketQuery.MaxPageSize) return (null, $"pageSize: a whole number from 1 to {TicketQuery.MaxPageSize}.");
        var keyword = q["q"].ToString();
        if (keyword.Length > 100) return (null, "q: at most 100 characters.");
        return (new TicketQuery
        {
            Keyword = keyword.Length > 0 ? keyword : null, Code = Blank(q["code"]), Phone = Blank(q["phone"]), Status = status,
            Department = Blank(q["department"]), From = from, To = to, Page = page, PageSize = size,
        }, null);
    }

    private static string? Blank(Microsoft.Extensions.Primitives.StringValues v) => v.ToString() is { Length: > 0 } s ? s : null;

    private static bool TryInt(Microsoft.Extensions.Primitives.StringValues v, int fallback, out int value)
    {
        value = fallback;
        return v.Count == 0 || int.TryParse(v.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryInstant(Microsoft.Extensions.Primitives.StringValues v, string name, out DateTimeOffset? value, out string? error)
    {
        value = null;
        error = null;
        if (v.Count == 0 || v.ToString().Length == 0) return true;
        if (DateTimeOffset.TryParse(v.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) { value = parsed; return true; }
        error = $"{name}: an ISO 8601 date or instant (2026-03-02 or 2026-03-02T09:00:00+08:00).";
        return false;
    }
}
