using Microsoft.Extensions.Logging;
using Telephony.Agents.Model;
using Telephony.Agents.Offers;
using Telephony.Agents.Queueing;
using Telephony.Agents.Routing;

namespace Telephony.Agents.Acd;

/// <summary>Routing (which call to which agent), the offers in flight, their outcomes and timeouts, and overflow.</summary>
public sealed partial class AcdEngine
{
    private sealed record OfferInFlight(Offer Offer, Agent Agent, QueuedCall Call, CancellationTokenSource Cancel);

    private readonly Dictionary<long, OfferInFlight> offers = new();
    private readonly List<Agent> eligible = [];
    private long offerIds;

    /// <summary>
    /// Walks the waiting calls in routing order (priority, then longest waiting) and gives each the agent its queue's
    /// strategy picks among those free to take it, until no agent is available. A call nobody can take does not block
    /// the calls behind it (a rare dialect must not stop the whole queue).
    /// </summary>
    private void Dispatch(DateTimeOffset now, Work work)
    {
        var free = 0;
        foreach (var a in agentOrder) if (a.State == AgentState.Available) free++;
        if (free == 0 || waiting.Count == 0) return;
        foreach (var call in waiting)
        {
            if (call.OfferId is not null) continue;
            var queueAgents = agentsByQueue[call.Queue];
            eligible.Clear();
            foreach (var agent in queueAgents)
                if (agent.State == AgentState.Available && AgentSelector.HasSkills(agent, call)
                    && !(call.NotBefore.TryGetValue(agent.Id, out var notBefore) && notBefore > now))
                    eligible.Add(agent);
            var queue = queues[call.Queue];
            var c = counters[call.Queue];
            var chosen = AgentSelector.Pick(queue.Strategy, eligible, call, ref c.RoundRobinCursor, queueAgents);
            if (chosen is null) continue;
            Decisions++;
            StartOffer(call, chosen, queue, now, work);
            if (--free == 0) return;
        }
    }

    private void StartOffer(QueuedCall call, Agent agent, QueueOptions queue, DateTimeOffset now, Work work)
    {
        var offer = new Offer(++offerIds, call.Id, agent.Id, agent.Account.SipUser, call.Queue, now, now + queue.OfferTimeout,
            call.Callback, call.CallbackNumber, call.Request);
        var cts = new CancellationTokenSource();
        offers.Add(offer.Id, new OfferInFlight(offer, agent, call, cts));
        call.OfferId = offer.Id;
        call.Offers++;
        agent.CurrentCallId = call.Id;
        Move(agent, AgentState.Ringing, call.Callback ? "callback" : null, now, work);
        log.LogInformation("Offer {OfferId}: call {CallId} in {Queue} to agent {AgentId} ({Strategy}, callback {Callback})",
            offer.Id, call.Id, call.Queue, agent.Id, queue.Strategy, call.Callback);
        work.Change(new AcdChange(AcdChangeKind.CallOffered, now, agent.Id, call.Id, call.Queue, null));
        work.Start.Add((offer, cts));
    }

    private async Task RingAsync(Offer offer, CancellationTokenSource cts)
    {
        OfferOutcome outcome;
        try
        {
            outcome = await leg.OfferAsync(offer, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return; // the ACD withdrew the offer and has already decided what follows
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Offer {OfferId} to agent {AgentId} failed: counted as unreachable", offer.Id, offer.AgentId);
            outcome = OfferOutcome.Unreachable;
        }
        Resolve(offer.Id, outcome);
    }

    /// <summary>The leg reported: answered connects the call; otherwise the agent is freed and the call goes to the next agent.</summary>
    private void Resolve(long offerId, OfferOutcome outcome)
    {
        var work = new Work();
        lock (gate)
        {
            // A late answer after a timeout or withdrawal is ignored: the ACD has moved on and the leg was cancelled.
            if (!offers.TryGetValue(offerId, out var inFlight)) return;
            var now = time.GetUtcNow();
            Conclude(inFlight, outcome, now, work);
            Dispatch(now, work);
        }
        Flush(work);
    }

    private void Conclude(OfferInFlight inFlight, OfferOutcome outcome, DateTimeOffset now, Work work)
    {
        offers.Remove(inFlight.Offer.Id);
        var (agent, call) = (inFlight.Agent, inFlight.Call);
        call.OfferId = null;
        log.LogInformation("Offer {OfferId}: call {CallId} agent {AgentId} {Outcome}", inFlight.Offer.Id, call.Id, agent.Id, outcome);
        if (outcome == OfferOutcome.Answered)
        {
            Remove(call);
            var c = counters[call.Queue];
            c.Answered++;
            if (now - call.ArrivedAt <= queues[call.Queue].ServiceLevelThreshold) c.AnsweredWithinThreshold++;
            agent.Answered++;
            connected[call.Id] = (agent, call, now);
            Move(agent, AgentState.OnCall, null, now, work);
            work.Change(new AcdChange(AcdChangeKind.CallAnswered, now, agent.Id, call.Id, call.Queue, null));
            return;
        }
        agent.CurrentCallId = null;
        agent.Missed++;
        call.NotBefore[agent.Id] = now + queues[call.Queue].ReofferSameAgentAfter;
        if (outcome == OfferOutcome.Unreachable) Move(agent, AgentState.Offline, "unreachable", now, work);
        else Move(agent, AgentState.Available, outcome == OfferOutcome.Busy ? "busy" : "no answer", now, work);
    }

    /// <summary>
    /// The agent of a callback offer answered and the leg now rings the citizen: the offer's deadline moves to now +
    /// <paramref name="by"/>, so the offer timeout (meant for the agent's phone ringing) does not take the agent away while
    /// the citizen's phone rings. The offer stays out (the call waiting, first in line) until the leg reports Answered, or
    /// abandons the call when the citizen cannot be reached. Fails when the offer is no longer out or is not a callback.
    /// </summary>
    public AcdResult ExtendOffer(long offerId, TimeSpan by)
    {
        lock (gate)
        {
            if (!offers.TryGetValue(offerId, out var inFlight)) return AcdResult.Fail($"offer {offerId} is not out");
            if (!inFlight.Offer.Callback) return AcdResult.Fail($"offer {offerId} is not a callback");
            var deadline = time.GetUtcNow() + by;
            offers[offerId] = inFlight with { Offer = inFlight.Offer with { Deadline = deadline } };
            log.LogInformation("Offer {OfferId}: callback of call {CallId}, agent {AgentId} answered; the offer now ends at {Deadline:O}",
                offerId, inFlight.Call.Id, inFlight.Agent.Id, deadline);
        }
        return AcdResult.Success;
    }

    /// <summary>Takes an offer back without blaming the agent (the caller hung up or asked for a callback).</summary>
    private void Withdraw(long offerId, DateTimeOffset now, Work work)
    {
        if (!offers.Remove(offerId, out var inFlight)) return;
        inFlight.Call.OfferId = null;
        inFlight.Agent.CurrentCallId = null;
        Move(inFlight.Agent, AgentState.Available, "offer withdrawn", now, work);
        work.Cancel.Add(inFlight.Cancel);
    }

    private void ExpireOffers(DateTimeOffset now, Work work)
    {
        List<OfferInFlight>? expired = null;
        foreach (var o in offers.Values)
            if (o.Offer.Deadline <= now) (expired ??= []).Add(o);
        if (expired is null) return;
        foreach (var o in expired)
        {
            work.Cancel.Add(o.Cancel);
            Conclude(o, OfferOutcome.NoAnswer, now, work);
        }
    }

    /// <summary>A call waiting past its queue's OverflowAfter moves to OverflowTo, keeping its arrival time (and so its order).</summary>
    private void Overflow(DateTimeOffset now, Work work)
    {
        List<QueuedCall>? moving = null;
        foreach (var call in waiting)
        {
            if (call.OfferId is not null) continue;
            var q = queues[call.Queue];
            if (q.OverflowAfter is { } after && now - call.QueuedAt >= after) (moving ??= []).Add(call);
        }
        if (moving is null) return;
        foreach (var call in moving)
        {
            var from = call.Queue;
            var to = queues[from].OverflowTo!;
            counters[from].OverflowedOut++;
            counters[to].Offered++;
            call.Queue = to;
            call.QueuedAt = now;
            log.LogInformation("Call {CallId} overflowed from {From} to {To}", call.Id, from, to);
            work.Change(new AcdChange(AcdChangeKind.CallOverflowed, now, null, call.Id, to, from));
        }
    }
}
