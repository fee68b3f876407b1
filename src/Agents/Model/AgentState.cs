namespace Telephony.Agents.Model;

/// <summary>What an agent is doing. Ringing and OnCall are set by the ACD only; the others an agent may ask for.</summary>
public enum AgentState { Offline, Available, Ringing, OnCall, WrapUp, Paused }

/// <summary>Who asks for a change: the agent (desktop, API) or the ACD (offers, answers, hang-ups, timers).</summary>
public enum StateActor { Agent, Acd }

/// <summary>
/// The agent state machine: every allowed transition in one table, with who may make it. Anything not in the
/// table is illegal and rejected with a reason, never silently ignored (docs/agents.md draws the diagram).
/// </summary>
public static class AgentStateMachine
{
    private static readonly Dictionary<(AgentState From, AgentState To), StateActor[]> Allowed = new()
    {
        [(AgentState.Offline, AgentState.Available)] = [StateActor.Agent],
        [(AgentState.Offline, AgentState.Paused)] = [StateActor.Agent],
        [(AgentState.Available, AgentState.Paused)] = [StateActor.Agent],
        [(AgentState.Available, AgentState.Offline)] = [StateActor.Agent, StateActor.Acd],
        [(AgentState.Available, AgentState.Ringing)] = [StateActor.Acd],
        [(AgentState.Ringing, AgentState.OnCall)] = [StateActor.Acd],
        // No answer or busy: back to available (this call is not re-offered to them right away).
        [(AgentState.Ringing, AgentState.Available)] = [StateActor.Acd],
        // Unreachable (softphone not registered): the agent cannot take calls until they log in again.
        [(AgentState.Ringing, AgentState.Offline)] = [StateActor.Acd],
        [(AgentState.OnCall, AgentState.WrapUp)] = [StateActor.Acd],
        // The wrap-up timer ends, or the agent is ready early.
        [(AgentState.WrapUp, AgentState.Available)] = [StateActor.Agent, StateActor.Acd],
        [(AgentState.WrapUp, AgentState.Paused)] = [StateActor.Agent],
        [(AgentState.Paused, AgentState.Available)] = [StateActor.Agent],
        [(AgentState.Paused, AgentState.Offline)] = [StateActor.Agent],
        // A paused agent may change the reason (lunch, then training).
        [(AgentState.Paused, AgentState.Paused)] = [StateActor.Agent],
    };

    /// <summary>Null when allowed, else why not (shown to the agent as the API's 400 message).</summary>
    public static string? Check(AgentState from, AgentState to, StateActor actor)
    {
        if (Allowed.TryGetValue((from, to), out var actors))
            return actors.Contains(actor) ? null : $"{from} to {to} is made by the ACD, not by the agent.";
        if (to is AgentState.Ringing or AgentState.OnCall && actor == StateActor.Agent)
            return $"{to} is set by the ACD when a call is offered or answered.";
        return $"An agent cannot go from {from} to {to}.";
    }
}
