namespace Telephony.Agents.Model;

/// <summary>
/// An agent as configured. <see cref="SipUser"/> names the registrar account whose contact the agent leg rings; the
/// password lives only in the registrar's <c>Accounts</c> section (docs/sip.md), never here.
/// </summary>
public sealed record AgentAccount
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string SipUser { get; init; }
    /// <summary>Queue names the agent serves.</summary>
    public IReadOnlyList<string> Queues { get; init; } = [];
    /// <summary>Skill → level 1–10.</summary>
    public IReadOnlyDictionary<Skill, int> Skills { get; init; } = new Dictionary<Skill, int>();
    /// <summary>Time after a call before the agent is offered the next one; null: the ACD default.</summary>
    public TimeSpan? WrapUp { get; init; }

    public int LevelOf(Skill skill) => Skills.TryGetValue(skill, out var level) ? level : 0;

    /// <summary>Null when valid, else what is wrong (configuration errors name the agent).</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Id)) return "an agent needs an Id";
        if (string.IsNullOrWhiteSpace(SipUser)) return $"agent {Id} needs a SipUser (its account in Accounts)";
        foreach (var (skill, level) in Skills)
            if (level is < 1 or > 10) return $"agent {Id}: skill {skill} level {level} is outside 1–10";
        if (WrapUp is { } w && w < TimeSpan.Zero) return $"agent {Id}: WrapUpSeconds cannot be negative";
        return null;
    }
}
