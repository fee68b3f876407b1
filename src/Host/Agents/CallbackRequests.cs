using Microsoft.Extensions.Logging;
using Telephony.Agents.Acd;
using Telephony.Host.Logging;
using Telephony.Tickets.Callbacks;

namespace Telephony.Host.Agents;

/// <summary>
/// The call side's use of the persisted callback requests (docs/agents.md, "Callback"): the request is stored before the
/// caller is promised anything (<see cref="PersistAsync"/>; false means do not promise), and each outcome moves its row
/// (<see cref="MoveAsync"/>). A store error is logged here, with the number masked, and never thrown at a call.
/// </summary>
public sealed class CallbackRequests(ICallbackStore store, TimeProvider time, ILogger<CallbackRequests> log)
{
    public ICallbackStore Store => store;

    /// <summary>Stores the pending request of the waiting call <paramref name="waiting"/>; true once it is committed.</summary>
    public async Task<bool> PersistAsync(WaitingCallView waiting, string number, string? draftCode, CancellationToken cancel)
    {
        var request = new CallbackRequest
        {
            CallId = waiting.CallId, Queue = waiting.Queue, Number = number, DraftCode = draftCode, Priority = waiting.Priority.ToString(),
            QueuedAt = waiting.ArrivedAt, RequestedAt = time.GetUtcNow(),
        };
        try
        {
            if (await store.AddAsync(request, cancel).ConfigureAwait(false))
            {
                log.LogInformation("Call {CallId}: callback request to {Number} stored (queue {Queue}, queued at {QueuedAt:O}, draft {DraftRef})",
                    waiting.CallId, PhoneMasking.MaskNumber(number), waiting.Queue, waiting.ArrivedAt, draftCode);
                return true;
            }
            log.LogError("Call {CallId}: a callback request for this call is already stored; not promised again", waiting.CallId);
            return false;
        }
        catch (Exception e) when (!cancel.IsCancellationRequested)
        {
            log.LogError(e, "Call {CallId}: the callback request to {Number} could not be stored; the caller is not promised a callback and waits on",
                waiting.CallId, PhoneMasking.MaskNumber(number));
            return false;
        }
    }

    /// <summary>Moves the request of <paramref name="callId"/>; false (logged) when the row was not in <paramref name="from"/> or the store failed.</summary>
    public async Task<bool> MoveAsync(string callId, CallbackState from, CallbackState to)
    {
        // An illegal move is a bug of the caller: thrown, not logged away as a store failure.
        if (!CallbackStates.CanMove(from, to)) throw new InvalidOperationException($"A callback request cannot move from {from} to {to}");
        try
        {
            if (await store.MoveAsync(callId, from, to, time.GetUtcNow()).ConfigureAwait(false))
            {
                log.LogInformation("Call {CallId}: callback request {From} -> {To}", callId, from, to);
                return true;
            }
            log.LogWarning("Call {CallId}: callback request not moved {From} -> {To}: no such request in {From}", callId, from, to, from);
            return false;
        }
        catch (Exception e)
        {
            log.LogError(e, "Call {CallId}: callback request could not be moved {From} -> {To} in the store", callId, from, to);
            return false;
        }
    }

    /// <summary>
    /// The citizen of <paramref name="callId"/> could not be reached and attempts are left: pending again, due at
    /// <paramref name="nextAttemptAt"/> (a restart meanwhile schedules it, not offers it at once); false (logged) otherwise.
    /// </summary>
    public async Task<bool> RetryLaterAsync(string callId, DateTimeOffset nextAttemptAt)
    {
        try
        {
            if (await store.RetryLaterAsync(callId, nextAttemptAt, time.GetUtcNow()).ConfigureAwait(false))
            {
                log.LogInformation("Call {CallId}: callback request Placing -> Pending, next attempt at {NextAttemptAt:O}", callId, nextAttemptAt);
                return true;
            }
            log.LogWarning("Call {CallId}: callback request not put back to pending for its next attempt: no such request in Placing", callId);
            return false;
        }
        catch (Exception e)
        {
            log.LogError(e, "Call {CallId}: callback request could not be put back to pending for its next attempt in the store", callId);
            return false;
        }
    }

    /// <summary>How many times the request of <paramref name="callId"/> was placed; null (logged) when it cannot be read.</summary>
    public async Task<int?> AttemptsAsync(string callId)
    {
        try
        {
            if (await store.GetAsync(callId).ConfigureAwait(false) is { } request) return request.Attempts;
            log.LogWarning("Call {CallId}: no stored callback request to count its attempts", callId);
            return null;
        }
        catch (Exception e)
        {
            log.LogError(e, "Call {CallId}: the callback request's attempts could not be read from the store", callId);
            return null;
        }
    }
}
