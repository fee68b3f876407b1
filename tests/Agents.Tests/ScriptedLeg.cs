using System.Collections.Concurrent;
using Telephony.Agents.Offers;

namespace Telephony.Agents.Tests;

/// <summary>
/// An agent leg the test drives: every offer is recorded in order and stays ringing until the test answers it (or the
/// ACD cancels it). It also checks the ACD's promises as offers arrive: no agent rung for two calls at once, no call
/// rung at two agents at once.
/// </summary>
public sealed class ScriptedLeg : IAgentLeg
{
    private readonly object gate = new();
    private readonly Dictionary<long, TaskCompletionSource<OfferOutcome>> ringing = new();
    private readonly Dictionary<string, long> ringingAgent = new();
    private readonly Dictionary<string, long> ringingCall = new();

    public List<Offer> Log { get; } = [];
    public ConcurrentQueue<string> Violations { get; } = new();
    public Func<Offer, OfferOutcome?>? AutoAnswer { get; set; }

    public Task<OfferOutcome> OfferAsync(Offer offer, CancellationToken cancel)
    {
        var tcs = new TaskCompletionSource<OfferOutcome>();
        lock (gate)
        {
            Log.Add(offer);
            if (ringingAgent.TryGetValue(offer.AgentId, out var other)) Violations.Enqueue($"agent {offer.AgentId} offered {offer.CallId} while ringing for offer {other}");
            if (ringingCall.TryGetValue(offer.CallId, out var other2)) Violations.Enqueue($"call {offer.CallId} offered to {offer.AgentId} while offer {other2} rings");
            ringing[offer.Id] = tcs;
            ringingAgent[offer.AgentId] = offer.Id;
            ringingCall[offer.CallId] = offer.Id;
        }
        cancel.Register(() => { Forget(offer); tcs.TrySetCanceled(cancel); });
        if (AutoAnswer?.Invoke(offer) is { } outcome) { Forget(offer); tcs.TrySetResult(outcome); }
        return tcs.Task;
    }

    public bool IsRinging(long offerId) { lock (gate) return ringing.ContainsKey(offerId); }

    public Offer Last => Log[^1];

    /// <summary>Ends the ringing offer with this outcome (the ACD then acts on it inline).</summary>
    public void Complete(Offer offer, OfferOutcome outcome)
    {
        TaskCompletionSource<OfferOutcome>? tcs;
        lock (gate) ringing.TryGetValue(offer.Id, out tcs);
        if (tcs is null) throw new InvalidOperationException($"offer {offer.Id} is not ringing");
        Forget(offer);
        tcs.TrySetResult(outcome);
    }

    private void Forget(Offer offer)
    {
        lock (gate)
        {
            ringing.Remove(offer.Id);
            if (ringingAgent.TryGetValue(offer.AgentId, out var a) && a == offer.Id) ringingAgent.Remove(offer.AgentId);
            if (ringingCall.TryGetValue(offer.CallId, out var c) && c == offer.Id) ringingCall.Remove(offer.CallId);
        }
    }
}
