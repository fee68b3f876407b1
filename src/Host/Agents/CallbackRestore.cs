using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telephony.Agents.Acd;
using Telephony.Agents.Queueing;
using Telephony.Host.Logging;
using Telephony.Tickets.Callbacks;
using Telephony.Tickets.Store;

namespace Telephony.Host.Agents;

/// <summary>
/// When <c>serve</c> starts (after the database is migrated): callback requests a stopped process left placing go back
/// to pending, and every pending request enters the ACD again as a callback in its queue with its first queue time, so it
/// keeps its place ahead of calls that came later; its desk call (the screen pop) is rebuilt from the draft in the store
/// (transcript, recording; the proposal is computed from the transcript when the agent opens it). A request waiting for
/// its next attempt (an unreachable citizen, <c>next_attempt_at</c> still ahead) is handed to <see cref="CallbackRetries"/>
/// and enters only when due, at the same place. A store that cannot be read is logged and the hotline starts anyway: the
/// rows stay pending and come back at the next start.
/// </summary>
public sealed class CallbackRestore(CallbackRequests requests, ITicketStore tickets, AcdEngine acd, CallDesk desk, CallbackRetries retries,
    TimeProvider time, ILogger<CallbackRestore> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancel)
    {
        IReadOnlyList<CallbackRequest> pending;
        try
        {
            var reset = await requests.Store.ResetPlacingAsync(time.GetUtcNow(), cancel).ConfigureAwait(false);
            if (reset > 0) log.LogWarning("{Count} callback requests were being placed when the hotline stopped: pending again", reset);
            pending = await requests.Store.PendingAsync(cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancel.IsCancellationRequested)
        {
            log.LogError(e, "Pending callback requests could not be read from the store: none restored now; they stay pending for the next start");
            return;
        }
        var restored = 0;
        foreach (var request in pending)
            if (await RestoreAsync(request, cancel).ConfigureAwait(false)) restored++;
        if (pending.Count > 0) log.LogInformation("Restored {Restored} of {Pending} pending callback requests into the ACD", restored, pending.Count);
    }

    public Task StopAsync(CancellationToken cancel) => Task.CompletedTask;

    private async Task<bool> RestoreAsync(CallbackRequest request, CancellationToken cancel)
    {
        var masked = PhoneMasking.MaskNumber(request.Number);
        var draft = await DraftAsync(request, cancel).ConfigureAwait(false);
        var context = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.DraftCode is { Length: > 0 } code) context["queryCode"] = code;
        desk.Register(new DeskCall(request.CallId, request.Queue, request.Number, request.DraftCode, draft?.Transcript, draft?.RecordingRef, context,
            request.QueuedAt));
        if (!Enum.TryParse<CallPriority>(request.Priority, out var priority))
        {
            log.LogWarning("Call {CallId}: stored callback priority {Priority} is unknown; restored at Normal", request.CallId, request.Priority);
            priority = CallPriority.Normal;
        }
        var now = time.GetUtcNow();
        var call = new CallRequest
        {
            CallId = request.CallId, Queue = request.Queue, Priority = priority, Caller = request.Number, DraftRef = request.DraftCode,
            // A clock set back since the request must not make it arrive in the future.
            ArrivedAt = request.QueuedAt <= now ? request.QueuedAt : now, CallbackNumber = request.Number,
        };
        if (request.NextAttemptAt is { } due && due > now)
        {
            retries.Schedule(call, due);
            log.LogInformation("Call {CallId}: callback to {Number} after {Attempts} attempts waits for its next attempt at {NextAttemptAt:O}, then enters {Queue} at its place (queued at {QueuedAt:O}, draft {DraftRef})",
                request.CallId, masked, request.Attempts, due, request.Queue, request.QueuedAt, request.DraftCode);
            return true;
        }
        var queued = acd.Enqueue(call);
        if (!queued.Ok)
        {
            desk.Remove(request.CallId);
            log.LogError("Call {CallId}: the callback to {Number} could not be restored into queue {Queue} ({Error}); it stays pending in the store",
                request.CallId, masked, request.Queue, queued.Error);
            return false;
        }
        log.LogInformation("Call {CallId}: callback to {Number} restored into {Queue} at its place (queued at {QueuedAt:O}, draft {DraftRef})",
            request.CallId, masked, request.Queue, request.QueuedAt, request.DraftCode);
        return true;
    }

    /// <summary>The draft the screen pop shows; without it (none, or the store failing) the desk call carries what the request holds.</summary>
    private async Task<Tickets.Domain.Ticket?> DraftAsync(CallbackRequest request, CancellationToken cancel)
    {
        if (request.DraftCode is not { Length: > 0 } code) return null;
        try
        {
            var draft = await tickets.GetByCodeAsync(code, cancel).ConfigureAwait(false);
            if (draft is null) log.LogWarning("Call {CallId}: the draft {DraftRef} of the restored callback is not in the store", request.CallId, code);
            return draft;
        }
        catch (Exception e) when (!cancel.IsCancellationRequested)
        {
            log.LogWarning(e, "Call {CallId}: the draft {DraftRef} of the restored callback could not be read", request.CallId, code);
            return null;
        }
    }
}
