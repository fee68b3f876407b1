using System.Collections.Concurrent;
using Telephony.Agents.Offers;

namespace Telephony.Host.Tests.Desk;

/// <summary>
/// The agent's phone, scripted: each offer rings until the test answers it (or after <see cref="AutoAnswerAfter"/>),
/// the way the SIP agent leg reports a 200 OK. It stands in only for the SIP leg (built separately); the ACD, the
/// desk, the store and intake around it are the real ones.
/// </summary>
public sealed class ScriptedAgentLeg : IAgentLeg
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<OfferOutcome>> ringing = new(StringComparer.Ordinal);

    public TimeSpan? AutoAnswerAfter { get; set; }
    public ConcurrentQueue<Offer> Offers { get; } = new();

    public async Task<OfferOutcome> OfferAsync(Offer offer, CancellationToken cancel)
    {
        Offers.Enqueue(offer);
        var outcome = new TaskCompletionSource<OfferOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        ringing[offer.CallId] = outcome;
        if (AutoAnswerAfter is { } after) _ = Task.Delay(after, cancel).ContinueWith(_ => outcome.TrySetResult(OfferOutcome.Answered), TaskScheduler.Default);
        using (cancel.Register(() => outcome.TrySetCanceled(cancel)))
            return await outcome.Task;
    }

    /// <summary>The agent picks up (or the phone reports busy, no answer…).</summary>
    public void Answer(string callId, OfferOutcome outcome = OfferOutcome.Answered)
    {
        if (!ringing.TryRemove(callId, out var tcs)) throw new InvalidOperationException($"call {callId} is not ringing");
        tcs.TrySetResult(outcome);
    }
}
