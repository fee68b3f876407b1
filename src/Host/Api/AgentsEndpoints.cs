using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Telephony.Agents.Acd;
using Telephony.Agents.Model;

namespace Telephony.Host.Api;

public sealed record AgentStateBody(string? State, string? Reason);

public sealed record AgentDto(string Id, string Name, string SipUser, AgentState State, string? PauseReason, DateTimeOffset StateSince,
    string? CurrentCallId, DateTimeOffset? WrapUpEndsAt, IReadOnlyList<string> Queues, int Answered, int Missed, IReadOnlyList<StateChange> RecentHistory)
{
    public static AgentDto From(AgentView a) => new(a.Id, a.Name, a.SipUser, a.State, a.PauseReason, a.StateSince, a.CurrentCallId, a.WrapUpEndsAt,
        a.Queues, a.Answered, a.Missed, a.RecentHistory);
}

public sealed record QueueDto(string Name, string Strategy, int Waiting, int Callbacks, double LongestWaitSeconds, IReadOnlyDictionary<AgentState, int> AgentsByState,
    int Offered, int Answered, int Abandoned, int OverflowedOut, int AnsweredWithinThreshold, double ServiceLevelSeconds, double? ServiceLevel,
    IReadOnlyDictionary<Telephony.Agents.Queueing.AbandonReason, int> AbandonedByReason)
{
    public static QueueDto From(QueueView q) => new(q.Name, q.Strategy, q.Waiting, q.Callbacks, Math.Round(q.LongestWait.TotalSeconds, 1), q.AgentsByState,
        q.Offered, q.Answered, q.Abandoned, q.OverflowedOut, q.AnsweredWithinThreshold, q.ServiceLevelThreshold.TotalSeconds, q.ServiceLevel, q.AbandonedByReason);
}

public sealed record AcdSnapshotDto(IReadOnlyList<AgentDto> Agents, IReadOnlyList<QueueDto> Queues);

/// <summary>
/// The live state API (docs/agents.md): agents, queues, an agent's state change (400 with the reason when the state
/// machine refuses it) and <c>/api/acd/events</c>, the changes as server-sent events for the desktop and wallboard.
/// </summary>
public static class AgentsEndpoints
{
    public static IEndpointRouteBuilder MapAgents(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/agents", (AcdEngine acd) => Results.Ok(acd.Agents().Select(AgentDto.From).ToList()))
            .WithTags("Agents").Produces<List<AgentDto>>();

        app.MapGet("/api/agents/{id}", (string id, AcdEngine acd) =>
            acd.Agent(id) is { } a ? Results.Ok(AgentDto.From(a)) : Results.NotFound(new ErrorBody($"No agent {id}.")))
            .WithTags("Agents").Produces<AgentDto>().Produces<ErrorBody>(404);

        app.MapPost("/api/agents/{id}/state", async (string id, HttpRequest http, AcdEngine acd) =>
        {
            if (acd.Agent(id) is null) return Results.NotFound(new ErrorBody($"No agent {id}."));
            var (body, error) = await JsonBody.ReadAsync<AgentStateBody>(http);
            if (body is null) return Results.BadRequest(new ErrorBody(error!));
            if (!Enum.TryParse<AgentState>(body.State, ignoreCase: true, out var state) || !Enum.IsDefined(state) || int.TryParse(body.State, out _))
                return Results.BadRequest(new ErrorBody($"state must be one of {string.Join(", ", Enum.GetNames<AgentState>())}."));
            var result = acd.SetAgentState(id, state, body.Reason);
            return result.Ok ? Results.Ok(AgentDto.From(acd.Agent(id)!)) : Results.BadRequest(new ErrorBody(result.Error!));
        }).WithTags("Agents").Accepts<AgentStateBody>("application/json").Produces<AgentDto>().Produces<ErrorBody>(400).Produces<ErrorBody>(404);

        app.MapGet("/api/queues", (AcdEngine acd) => Results.Ok(acd.Queues().Select(QueueDto.From).ToList()))
            .WithTags("Agents").Produces<List<QueueDto>>();

        app.MapGet("/api/acd/events", (AcdEvents events, AcdEngine acd, CancellationToken cancel) =>
            TypedResults.ServerSentEvents(Items(events, acd, cancel)))
            .WithTags("Agents").WithSummary("Server-sent events: one per ACD change (agent state, call queued/offered/answered/abandoned)");
        return app;
    }

    /// <summary>First a <c>Snapshot</c> event (agents and queues), then one event per change, named by its kind.</summary>
    private static async IAsyncEnumerable<SseItem<object>> Items(AcdEvents events, AcdEngine acd, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancel)
    {
        using var subscription = events.Subscribe();
        yield return new SseItem<object>(new AcdSnapshotDto(acd.Agents().Select(AgentDto.From).ToList(), acd.Queues().Select(QueueDto.From).ToList()), "Snapshot");
        await foreach (var change in subscription.ReadAllAsync(cancel)) yield return new SseItem<object>(change, change.Kind.ToString());
    }
}
