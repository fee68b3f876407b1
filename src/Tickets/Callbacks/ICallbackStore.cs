namespace Telephony.Tickets.Callbacks;

/// <summary>Persistence of callback requests, in the work orders' database (<see cref="CallbackStore"/>, three dialects).</summary>
public interface ICallbackStore
{
    /// <summary>Stores a new pending request; false (nothing written) when its call already has one.</summary>
    Task<bool> AddAsync(CallbackRequest request, CancellationToken cancel = default);

    Task<CallbackRequest?> GetAsync(string callId, CancellationToken cancel = default);

    /// <summary>
    /// Moves the request of <paramref name="callId"/> from <paramref name="from"/> to <paramref name="to"/> (counting an
    /// attempt when it is placed); false when it is not in <paramref name="from"/> (or missing). An illegal move throws.
    /// </summary>
    Task<bool> MoveAsync(string callId, CallbackState from, CallbackState to, DateTimeOffset at, CancellationToken cancel = default);

    /// <summary>
    /// The citizen of a placing request could not be reached and attempts are left: pending again, due at
    /// <paramref name="nextAttemptAt"/>; false when it is not placing (or missing).
    /// </summary>
    Task<bool> RetryLaterAsync(string callId, DateTimeOffset nextAttemptAt, DateTimeOffset at, CancellationToken cancel = default);

    /// <summary>The pending requests, in queue order (first queued first).</summary>
    Task<IReadOnlyList<CallbackRequest>> PendingAsync(CancellationToken cancel = default);

    /// <summary>At start: requests left placing by a stopped process go back to pending; returns how many.</summary>
    Task<int> ResetPlacingAsync(DateTimeOffset at, CancellationToken cancel = default);
}
