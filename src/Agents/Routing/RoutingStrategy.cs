using Telephony.Agents.Model;
using Telephony.Agents.Queueing;

namespace Telephony.Agents.Routing;

/// <summary>How a queue picks among the agents who can take a call.</summary>
public enum RoutingStrategy
{
    /// <summary>The agent available the longest (fairest share of work).</summary>
    LongestIdle,
    /// <summary>The best summed level on the call's required skills; ties go to the longest idle.</summary>
    SkillsBased,
    /// <summary>The next agent after the last one offered, in the queue's agent order.</summary>
    RoundRobin,
}

/// <summary>Picks one agent from the eligible ones (all available, serving the queue, with the skills). Pure: no state but the cursor.</summary>
internal static class AgentSelector
{
    public static Agent? Pick(RoutingStrategy strategy, IReadOnlyList<Agent> eligible, QueuedCall call, ref int roundRobinCursor, IReadOnlyList<Agent> queueAgents)
    {
        if (eligible.Count == 0) return null;
        switch (strategy)
        {
            case RoutingStrategy.LongestIdle:
                return MinBy(eligible, (a, b) => Idle(a, b));
            case RoutingStrategy.SkillsBased:
                return MinBy(eligible, (a, b) =>
                {
                    var c = Score(b, call).CompareTo(Score(a, call));
                    return c != 0 ? c : Idle(a, b);
                });
            case RoutingStrategy.RoundRobin:
                // Walk the queue's fixed agent order from the cursor; the first eligible one wins.
                for (var step = 1; step <= queueAgents.Count; step++)
                {
                    var index = (roundRobinCursor + step) % queueAgents.Count;
                    if (index < 0) index += queueAgents.Count;
                    var candidate = queueAgents[index];
                    if (Contains(eligible, candidate)) { roundRobinCursor = index; return candidate; }
                }
                return null;
            default:
                throw new ArgumentOutOfRangeException(nameof(strategy), strategy, null);
        }
    }

    public static int Score(Agent agent, QueuedCall call)
    {
        var score = 0;
        foreach (var r in call.Request.Skills) score += agent.Account.LevelOf(r.Skill);
        return score;
    }

    public static bool HasSkills(Agent agent, QueuedCall call)
    {
        foreach (var r in call.Request.Skills)
            if (agent.Account.LevelOf(r.Skill) < Math.Max(1, r.MinLevel)) return false;
        return true;
    }

    private static int Idle(Agent a, Agent b)
    {
        var c = a.IdleSince.CompareTo(b.IdleSince);
        return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
    }

    private static Agent MinBy(IReadOnlyList<Agent> agents, Comparison<Agent> compare)
    {
        var best = agents[0];
        for (var i = 1; i < agents.Count; i++) if (compare(agents[i], best) < 0) best = agents[i];
        return best;
    }

    private static bool Contains(IReadOnlyList<Agent> agents, Agent agent)
    {
        for (var i = 0; i < agents.Count; i++) if (ReferenceEquals(agents[i], agent)) return true;
        return false;
    }
}
