using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Telephony.Agents.Acd;
using Telephony.Agents.Model;
using Telephony.Host.Agents;
using Telephony.Host.Configuration;

namespace Telephony.Host.Api;

/// <summary>
/// The agent desktop's API (docs/agents.md "Agent desktop", docs/api.md): login with the seat's desk password
/// (a session cookie), state changes, the agent's own event stream, the screen pop and recording of a call offered
/// to them, and the finalize of its work order. 401: not logged in (or a wrong login, which changes nothing);
/// 403: another agent's call; 404: no such call.
/// </summary>
public static class DeskEndpoints
{
    /// <summary>The states an agent asks for at the desktop; Ringing, OnCall and WrapUp are the ACD's.</summary>
    private static readonly AgentState[] Asked = [AgentState.Available, AgentState.Paused, AgentState.Offline];

    public static IEndpointRouteBuilder MapDesk(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/desk").WithTags("Desk");

        api.MapPost("/login", async (HttpContext http, DeskPasswords passwords, DeskSessions sessions, AcdEngine acd, TimeProvider time, ILogger<DeskSessions> log) =>
        {
            var (body, error) = await JsonBody.ReadAsync<DeskLoginBody>(http.Request);
            if (body is null) return TicketsEndpoints.Bad(error!);
            if (string.IsNullOrWhiteSpace(body.AgentId) || string.IsNullOrEmpty(body.Password)) return TicketsEndpoints.Bad("agentId and password are required.");
            var agentId = body.AgentId.Trim();
            if (!passwords.Verify(agentId, body.Password) || acd.Agent(agentId) is not { } agent)
            {
                log.LogWarning("Desk login refused for agent {AgentId} from {Address}", agentId, http.Connection.RemoteIpAddress);
                return Results.Json(new ErrorBody("Wrong agent id or password."), statusCode: StatusCodes.Status401Unauthorized);
            }
            http.Response.Cookies.Append(DeskSessions.Cookie, sessions.Open(agentId), new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", MaxAge = DeskSessions.Lifetime, Secure = http.Request.IsHttps,
            });
            log.LogInformation("Agent {AgentId} logged in to the desk", agentId);
            return Results.Ok(Dto(agent, time));
        }).RequireRateLimiting(DeskServices.LoginPolicy)
          .Accepts<DeskLoginBody>("application/json").Produces<DeskAgentDto>().Produces<ErrorBody>(400).Produces<ErrorBody>(401).Produces(429);

        api.MapPost("/logout", (HttpContext http, DeskSessions sessions, AcdEngine acd) =>
        {
            if (sessions.AgentOf(http) is { } agentId && acd.Agent(agentId) is { State: AgentState.Available or AgentState.Paused })
                acd.SetAgentState(agentId, AgentState.Offline, "logout");
            sessions.Close(http);
            http.Response.Cookies.Delete(DeskSessions.Cookie, new CookieOptions { Path = "/" });
            return Results.NoContent();
        }).Produces(204).WithSummary("Ends the session; an available or paused agent goes offline (one on a call stays on it).");

        api.MapGet("/me", (HttpContext http, DeskSessions sessions, AcdEngine acd, TimeProvider time) =>
            sessions.AgentOf(http) is { } id && acd.Agent(id) is { } a ? Results.Ok(Dto(a, time)) : NotLoggedIn())
            .Produces<DeskAgentDto>().Produces<ErrorBody>(401);

        api.MapPost("/state", async (HttpContext http, DeskSessions sessions, AcdEngine acd, TimeProvider time) =>
        {
            if (sessions.AgentOf(http) is not { } agentId) return NotLoggedIn();
            var (body, error) = await JsonBody.ReadAsync<DeskStateBody>(http.Request);
            if (body is null) return TicketsEndpoints.Bad(error!);
            if (!Enum.TryParse<AgentState>(body.State, ignoreCase: true, out var state) || !Asked.Contains(state) || int.TryParse(body.State, out _))
                return TicketsEndpoints.Bad($"state must be one of {string.Join(", ", Asked)}.");
            var result = acd.SetAgentState(agentId, state, body.Reason?.Trim());
            return result.Ok ? Results.Ok(Dto(acd.Agent(agentId)!, time)) : TicketsEndpoints.Bad(result.Error!);
        }).Accepts<DeskStateBody>("application/json").Produces<DeskAgentDto>().Produces<ErrorBody>(400).Produces<ErrorBody>(401);

        api.MapGet("/events", (HttpContext http, DeskSessions sessions, AcdEvents events, AcdEngine acd, DeskAssignments assignments, TimeProvider time, CancellationToken cancel) =>
            sessions.AgentOf(http) is { } agentId
                ? TypedResults.ServerSentEvents(DeskEvents.ForAgentAsync(agentId, http, events, acd, assignments, sessions, time, cancel))
                : NotLoggedIn())
            .WithSummary("Server-sent events of the logged-in agent: state (with the wrap-up end), call (Offered, Answered, Ended)");

        api.MapGet("/calls/{callId}", async (string callId, HttpContext http, DeskSessions sessions, DeskAssignments assignments, DeskScreenPop pop) =>
        {
            if (sessions.AgentOf(http) is not { } agentId) return NotLoggedIn();
            if (Visible(callId, agentId, assignments, out var call, out var assignment) is { } refused) return refused;
            return Results.Ok(await pop.BuildAsync(call!, assignment!, http.RequestAborted));
        }).Produces<DeskPopDto>().Produces<ErrorBody>(401).Produces<ErrorBody>(403).Produces<ErrorBody>(404);

        api.MapGet("/calls/{callId}/recording", (string callId, HttpContext http, DeskSessions sessions, DeskAssignments assignments) =>
        {
            if (sessions.AgentOf(http) is not { } agentId) return NotLoggedIn();
            if (Visible(callId, agentId, assignments, out var call, out _) is { } refused) return refused;
            if (call!.RecordingPath is not { Length: > 0 } path || !File.Exists(path)) return Results.NotFound(new ErrorBody($"Call {callId} has no recording."));
            // Range requests let the player seek in a long recording without fetching it whole.
            return Results.File(path, "audio/wav", enableRangeProcessing: true);
        }).Produces(200, contentType: "audio/wav").Produces<ErrorBody>(401).Produces<ErrorBody>(403).Produces<ErrorBody>(404);

        api.MapPost("/calls/{callId}/finalize", async (string callId, HttpContext http, DeskSessions sessions, DeskFinalize finalize) =>
        {
            if (sessions.AgentOf(http) is not { } agentId) return NotLoggedIn();
            var (body, error) = await JsonBody.ReadAsync<DeskFinalizeBody>(http.Request);
            if (body is null) return TicketsEndpoints.Bad(error!);
            var result = await finalize.RunAsync(agentId, callId, body, http.RequestAborted);
            return result.Ticket is { } t
                ? Results.Ok(new DeskFinalizedDto(t.Id, t.Code, t.Status, t.Version))
                : Results.Json(new ErrorBody(result.Error!), statusCode: result.Status);
        }).Accepts<DeskFinalizeBody>("application/json").Produces<DeskFinalizedDto>().Produces<ErrorBody>(400).Produces<ErrorBody>(401)
          .Produces<ErrorBody>(404).Produces<ErrorBody>(409);

        app.MapGet("/desk", () => Page("desk.html", "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/desk/desk.js", () => Page("desk.js", "text/javascript; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/desk/desk.css", () => Page("desk.css", "text/css; charset=utf-8")).ExcludeFromDescription();
        return app;
    }

    public static DeskAgentDto Dto(AgentView a, TimeProvider time)
    {
        var now = time.GetUtcNow();
        double? left = a.WrapUpEndsAt is { } end ? Math.Max(0, Math.Round((end - now).TotalSeconds, 1)) : null;
        return new DeskAgentDto(a.Id, a.Name, a.State, a.PauseReason, a.StateSince, a.CurrentCallId, a.WrapUpEndsAt, left, now, a.Answered, a.Missed);
    }

    /// <summary>Null when the agent may see the call (it was offered to them); else the 404 or 403 to answer.</summary>
    private static IResult? Visible(string callId, string agentId, DeskAssignments assignments,
        out DeskCall? call, out DeskAssignments.Assignment? assignment)
    {
        call = assignments.CallOf(callId);
        assignment = assignments.Of(callId);
        if (call is null) return Results.NotFound(new ErrorBody($"No call {callId} at the desk."));
        if (assignment is null || assignment.AgentId != agentId)
            return Results.Json(new ErrorBody($"Call {callId} was not offered to you."), statusCode: StatusCodes.Status403Forbidden);
        return null;
    }

    private static IResult NotLoggedIn() => Results.Json(new ErrorBody("Log in to the desk first."), statusCode: StatusCodes.Status401Unauthorized);

    private static IResult Page(string file, string contentType)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "wwwroot", file);
        if (!File.Exists(path)) path = RepositoryLayout.Resolve(Path.Combine("src", "Host", "wwwroot", file));
        return Results.File(path, contentType);
    }
}
