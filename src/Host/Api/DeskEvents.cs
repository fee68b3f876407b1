using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Telephony.Agents.Acd;

namespace Telephony.Host.Api;

/// <summary>What a desktop hears about one of its calls: offered (pop the screen), answered, ended (wrap-up runs).</summary>
public sealed record DeskCallEventDto(string CallId, string Kind);

/// <summary>
/// The server-sent events of one logged-in agent (<c>GET /api/desk/events</c>): <c>state</c> (the agent, with the
/// wrap-up end and the server's clock) at once and after each of their changes, <c>call</c> for their offers,
/// answers and hang-ups (and at once for a call still open, so a reloaded page pops it again). Other agents'
/// changes never reach this stream. It ends when the session does (logout).
/// </summary>
public static class DeskEvents
{
    public static async IAsyncEnumerable<SseItem<object>> ForAgentAsync(string agentId, HttpContext http, AcdEvents events, AcdEngine acd,
        DeskAssignments assignments, DeskSessions sessions, TimeProvider time, [EnumeratorCancellation] CancellationToken cancel)
    {
        using var subscription = events.Subscribe();
        if (acd.Agent(agentId) is not { } first) yield break;
        yield return new SseItem<object>(DeskEndpoints.Dto(first, time), "state");
        foreach (var open in assignments.OpenFor(agentId).Reverse())
            yield return new SseItem<object>(new DeskCallEventDto(open.CallId, open.Answered ? "Answered" : "Offered"), "call");
        await foreach (var change in subscription.ReadAllAsync(cancel))
        {
            if (change.AgentId != agentId) continue;
            if (sessions.AgentOf(http) != agentId) yield break;
            switch (change.Kind)
            {
                // Read when sent, under the ACD's lock: the view has the whole command's effect (a wrap-up's end time included).
                case AcdChangeKind.AgentState:
                    if (acd.Agent(agentId) is { } now) yield return new SseItem<object>(DeskEndpoints.Dto(now, time), "state");
                    break;
                case AcdChangeKind.CallOffered or AcdChangeKind.CallAnswered or AcdChangeKind.CallEnded when change.CallId is { } callId:
                    var kind = change.Kind switch { AcdChangeKind.CallOffered => "Offered", AcdChangeKind.CallAnswered => "Answered", _ => "Ended" };
                    yield return new SseItem<object>(new DeskCallEventDto(callId, kind), "call");
                    break;
            }
        }
    }
}
