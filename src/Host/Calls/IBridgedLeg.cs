using Microsoft.Extensions.Logging;
using Telephony.Media.Channel;

namespace Telephony.Host.Calls;

/// <summary>The far end of a B2BUA call as the caller's side needs it: when it ends, how to end it, how to join the caller to it.</summary>
public interface IBridgedLeg
{
    /// <summary>Completes when the leg has ended (either side's BYE, or ours).</summary>
    Task Ended { get; }

    /// <summary>BYE to the far end (CANCEL before the answer). Idempotent.</summary>
    void Hangup();

    /// <summary>
    /// Joins the caller's audio to the far end's both ways until the returned handle is disposed (which pauses the
    /// join: the caller's channel gets its own playback back, the far end hears silence). Throws when the caller's
    /// channel is not one this leg can bridge.
    /// </summary>
    IDisposable Connect(ICallChannel caller);
}

/// <summary>What every bridge does when it is over: either side's BYE ends both.</summary>
public static class BridgedLegs
{
    public static async Task EndBothAsync(ICallChannel caller, IBridgedLeg leg, string party, string partyId, ILogger log)
    {
        if (leg.Ended.IsCompleted && !caller.Ended.IsCancellationRequested)
        {
            log.LogInformation("Call {CallId}: {Party:l} {PartyId} hung up; hanging up the caller", caller.CallId, party, partyId);
            await caller.HangupAsync().ConfigureAwait(false);
        }
        else
        {
            log.LogInformation("Call {CallId}: the caller hung up; hanging up {Party:l} {PartyId}", caller.CallId, party, partyId);
            leg.Hangup();
        }
    }

    /// <summary>Completes when <paramref name="token"/> is cancelled (a call channel's end as a task).</summary>
    public static Task Ended(CancellationToken token)
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(() => ended.TrySetResult());
        return ended.Task;
    }
}
