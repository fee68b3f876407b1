using Telephony.Agents.Routing;

namespace Telephony.Agents.Queueing;

/// <summary>One ACD queue as configured (<c>Queues</c> section, docs/agents.md).</summary>
public sealed record QueueOptions
{
    public required string Name { get; init; }
    public RoutingStrategy Strategy { get; init; } = RoutingStrategy.LongestIdle;
    /// <summary>How long an agent's phone rings before the call goes to the next agent.</summary>
    public TimeSpan OfferTimeout { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>An agent who did not take a call is not offered that call again for this long (unless nobody else can).</summary>
    public TimeSpan ReofferSameAgentAfter { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>After this long waiting here, a call moves to <see cref="OverflowTo"/>; null: never.</summary>
    public TimeSpan? OverflowAfter { get; init; }
    public string? OverflowTo { get; init; }
    /// <summary>GB/T 33358-2016 asks that calls be answered within 15 s: the service level counts answers within this.</summary>
    public TimeSpan ServiceLevelThreshold { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>The handle time assumed for estimated waits until the queue has measured some calls.</summary>
    public TimeSpan DefaultHandleTime { get; init; } = TimeSpan.FromSeconds(180);

    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) return "a queue needs a Name";
        if (OfferTimeout <= TimeSpan.Zero) return $"queue {Name}: OfferTimeoutSeconds must be positive";
        if (OverflowAfter is not null && string.IsNullOrWhiteSpace(OverflowTo)) return $"queue {Name}: OverflowAfterSeconds needs OverflowTo";
        if (OverflowAfter is { } o && o <= TimeSpan.Zero) return $"queue {Name}: OverflowAfterSeconds must be positive";
        if (string.Equals(OverflowTo, Name, StringComparison.Ordinal)) return $"queue {Name}: cannot overflow into itself";
        return null;
    }
}
