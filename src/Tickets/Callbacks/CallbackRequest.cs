namespace Telephony.Tickets.Callbacks;

/// <summary>Where a callback request stands: waiting, being placed (an agent answered, the citizen is rung), or over.</summary>
public enum CallbackState { Pending, Placing, Done, Unreachable }

/// <summary>
/// A caller's request to be called back, as the store keeps it until it is over (docs/tickets.md, "callback_requests").
/// <see cref="Number"/> is the whole number (it is dialled); logs mask it. <see cref="QueuedAt"/> is when the call first
/// entered the ACD: its place in the queue after a restart and on each retry. <see cref="Priority"/> is the ACD's priority
/// by name. <see cref="NextAttemptAt"/> is set on a pending request whose citizen could not be reached: it is not offered
/// to an agent before then (null: due now).
/// </summary>
public sealed record CallbackRequest
{
    public required string CallId { get; init; }
    public required string Queue { get; init; }
    public required string Number { get; init; }
    public string? DraftCode { get; init; }
    public required string Priority { get; init; }
    public required DateTimeOffset QueuedAt { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
    public CallbackState State { get; init; } = CallbackState.Pending;
    public int Attempts { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>
/// The moves a request may make, in one table: placed when an agent answers its offer; back to pending when the placing
/// is given up without an outcome (the agent hung up, the offer withdrawn, a restart); done when the citizen was reached
/// (or an agent took the live call first); unreachable when the citizen could not be. Anything else is a bug.
/// </summary>
public static class CallbackStates
{
    private static readonly HashSet<(CallbackState From, CallbackState To)> Allowed =
    [
        (CallbackState.Pending, CallbackState.Placing),
        (CallbackState.Pending, CallbackState.Done),
        (CallbackState.Placing, CallbackState.Pending),
        (CallbackState.Placing, CallbackState.Done),
        (CallbackState.Placing, CallbackState.Unreachable),
    ];

    public static bool CanMove(CallbackState from, CallbackState to) => Allowed.Contains((from, to));
}
