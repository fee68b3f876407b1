namespace Telephony.Agents.Acd;

/// <summary>The answer to a command: ok, or why it was refused (nothing changed then).</summary>
public readonly record struct AcdResult(bool Ok, string? Error)
{
    public static readonly AcdResult Success = new(true, null);
    public static AcdResult Fail(string error) => new(false, error);
}

/// <summary>What changed, for live views (server-sent events): an agent's state, or a queue's content.</summary>
public enum AcdChangeKind { AgentState, CallQueued, CallOffered, CallAnswered, CallAbandoned, CallOverflowed, CallbackRequested, CallbackDeferred, CallEnded }

public sealed record AcdChange(AcdChangeKind Kind, DateTimeOffset At, string? AgentId, string? CallId, string? Queue, string? Detail);

/// <summary>Settings for the whole ACD (<c>Agents</c> section defaults).</summary>
public sealed record AcdOptions
{
    /// <summary>Wrap-up after a call, for agents without their own.</summary>
    public TimeSpan DefaultWrapUp { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>How many abandoned calls are kept for the live API.</summary>
    public int AbandonedKept { get; init; } = 1000;
}

internal static class Masking
{
    /// <summary>138****5678: logs never carry a caller's full number.</summary>
    public static string Mask(string? number) => number switch
    {
        null or "" => "",
        { Length: >= 7 } n => string.Concat(n.AsSpan(0, 3), "****", n.AsSpan(n.Length - 4)),
        _ => "****",
    };
}
