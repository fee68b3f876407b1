using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Telephony.Agents.Acd;
using Telephony.Agents.Offers;
using Telephony.Agents.Queueing;
using Telephony.Host.Logging;
using Telephony.Media.Channel;
using Telephony.Tickets.Callbacks;

namespace Telephony.Host.Agents;

/// <summary>The citizen's answered leg of a callback, or why it could not be reached.</summary>
public sealed record CallbackDial(ICallChannel? Citizen, string? Failure)
{
    public static CallbackDial Failed(string why) => new(null, why);
}

/// <summary>Places the citizen's leg of a callback (over the outbound trunk in <c>serve</c>; tests script it).</summary>
public interface ICallbackDialer
{
    /// <summary>How long a citizen's phone may ring before the dial gives up (the offer is kept out that long).</summary>
    TimeSpan RingTimeout { get; }

    /// <summary>Rings <paramref name="number"/> for ACD call <paramref name="callId"/>; cancelling <paramref name="withdraw"/> stops ringing.</summary>
    Task<CallbackDial> DialAsync(string callId, string number, CancellationToken withdraw);
}

/// <summary>
/// The second half of a callback (docs/agents.md, "Callback"): the agent's phone has answered a callback offer, so the
/// citizen is called over the trunk while the agent hears ringback; the offer stays out meanwhile
/// (<see cref="AcdEngine.ExtendOffer"/>), so the call is still first in line and no other agent can get it.
/// The citizen answers: the leg reports <see cref="OfferOutcome.Answered"/>, and once the ACD has recorded the answer
/// (<c>CallAnswered</c>) the two are bridged as any agent call (<see cref="ConnectedCall"/>: the agent's finalize reads
/// the query code to the citizen) until either hangs up, then <see cref="AcdEngine.CallEnded"/> and the desk call goes.
/// The citizen cannot be reached (busy, no answer, refused, no trunk): the agent is hung up and freed without blame; with
/// attempts left (<see cref="CallbackOptions.MaxAttempts"/>) the call leaves the queue (<see cref="AcdEngine.DeferCallback"/>)
/// and enters again at its first queue time after <see cref="CallbackOptions.RetryAfter"/> (<see cref="CallbackRetries"/>),
/// its desk call kept; after the last attempt it is abandoned as <see cref="AbandonReason.CallbackUnreachable"/> (its draft
/// stays in the store). The agent hangs up while the citizen rings: the dial is withdrawn and the call goes on waiting for the next agent.
/// The stored request follows (<see cref="CallbackRequests"/>): placing while the citizen is rung, done once the bridged call
/// ended, unreachable, or pending again when the placing ends without an outcome (so a restart offers it again), with
/// its next attempt time when the citizen is to be tried again.
/// </summary>
public sealed class CallbackCalls(Func<AcdEngine> acd, CallDesk desk, ICallbackDialer dialer, CallbackRequests requests, CallbackRetries retries,
    TimeProvider time, ILogger<CallbackCalls> log)
{
    /// <summary>How often and how far apart an unreachable citizen is called (<c>Agents:Callback</c>).</summary>
    public CallbackOptions Options { get; init; } = CallbackOptions.Off;

    /// <summary>How long the ACD may take to report an answer the leg reported (its event follows its lock at once).</summary>
    public TimeSpan AnswerReportTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Past the citizen's ring timeout, what the offer is kept out for (placing the call, the answer's media).</summary>
    private static readonly TimeSpan DialMargin = TimeSpan.FromSeconds(15);

    /// <summary>The agent of <paramref name="offer"/> (a callback) answered with <paramref name="agent"/>: what to report to the ACD.</summary>
    public async Task<OfferOutcome> ConnectAsync(Offer offer, IAgentCall agent, CancellationToken cancel)
    {
        var engine = acd();
        var masked = PhoneMasking.MaskNumber(offer.CallbackNumber ?? "");
        if (offer.CallbackNumber is not { Length: > 0 } number || !engine.ExtendOffer(offer.Id, dialer.RingTimeout + DialMargin).Ok)
        {
            log.LogInformation("Offer {OfferId}: callback of call {CallId} is no longer out (or has no number); hanging up agent {AgentId}", offer.Id, offer.CallId, offer.AgentId);
            agent.Hangup();
            return OfferOutcome.NoAnswer;
        }
        log.LogInformation("Offer {OfferId}: agent {AgentId} answered the callback of call {CallId}; calling the citizen at {Number}",
            offer.Id, offer.AgentId, offer.CallId, masked);
        await requests.MoveAsync(offer.CallId, CallbackState.Pending, CallbackState.Placing).ConfigureAwait(false);

        CallbackDial dial;
        using (var withdraw = CancellationTokenSource.CreateLinkedTokenSource(cancel))
        using (agent.PlayRingback())
        {
            // The agent giving up while the citizen's phone rings withdraws the dial too.
            _ = agent.Ended.ContinueWith(_ => { try { withdraw.Cancel(); } catch (ObjectDisposedException) { } }, TaskScheduler.Default);
            dial = await dialer.DialAsync(offer.CallId, number, withdraw.Token).ConfigureAwait(false);
        }

        if (cancel.IsCancellationRequested || agent.Ended.IsCompleted)
        {
            // The ACD withdrew the offer (shutdown, the call abandoned) or the agent hung up: nobody to connect.
            if (dial.Citizen is { } answered) _ = answered.HangupAsync();
            agent.Hangup();
            await requests.MoveAsync(offer.CallId, CallbackState.Placing, CallbackState.Pending).ConfigureAwait(false);
            log.LogInformation("Offer {OfferId}: callback of call {CallId} {Why} while the citizen was rung; {CitizenState}",
                offer.Id, offer.CallId, cancel.IsCancellationRequested ? "withdrawn by the ACD" : $"ended by agent {offer.AgentId}",
                dial.Citizen is null ? "not answered" : "the citizen's leg hung up");
            return OfferOutcome.NoAnswer;
        }
        if (dial.Citizen is not { } citizen)
        {
            await UnreachableAsync(engine, offer, agent, number, masked, dial.Failure).ConfigureAwait(false);
            return OfferOutcome.NoAnswer;
        }

        var reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var codes = Channel.CreateUnbounded<string>();
        void OnChange(AcdChange c)
        {
            if (c.Kind == AcdChangeKind.CallAnswered && c.CallId == offer.CallId && c.AgentId == offer.AgentId) reported.TrySetResult();
        }
        void OnFinalized(DeskFinalized f)
        {
            if (f.CallId == offer.CallId) codes.Writer.TryWrite(f.QueryCode);
        }
        engine.Changed += OnChange;
        desk.Finalized += OnFinalized;
        // Withdrawn between here and the ACD taking the answer (it then ignores it): the bridge must not start.
        var withdrawn = cancel.Register(() => reported.TrySetCanceled());
        log.LogInformation("Call {CallId}: the citizen at {Number} answered the callback; connecting agent {AgentId}", offer.CallId, masked, offer.AgentId);
        _ = BridgeAsync(offer, agent, citizen, reported.Task, codes.Reader, () =>
        {
            withdrawn.Dispose();
            engine.Changed -= OnChange;
            desk.Finalized -= OnFinalized;
        });
        return OfferOutcome.Answered;
    }

    /// <summary>
    /// The citizen was not reached on this attempt: tried again later while attempts are left, else given up. A count that
    /// cannot be read (the store failing) is taken as the last attempt: the promise cannot be kept track of.
    /// </summary>
    private async Task UnreachableAsync(AcdEngine engine, Offer offer, IAgentCall agent, string number, string masked, string? why)
    {
        var attempt = await requests.AttemptsAsync(offer.CallId).ConfigureAwait(false);
        var max = Options.MaxAttempts;
        if (attempt < max && engine.Waiting(offer.CallId) is { } waiting && engine.DeferCallback(offer.CallId).Ok)
        {
            agent.Hangup();
            var due = time.GetUtcNow() + Options.RetryAfter;
            log.LogWarning("Call {CallId}: callback to {Number} not reached ({Why}), attempt {Attempt} of {MaxAttempts}; tried again at {NextAttemptAt:O}, its desk call kept; hanging up agent {AgentId}",
                offer.CallId, masked, why, attempt, max, due, offer.AgentId);
            await requests.RetryLaterAsync(offer.CallId, due).ConfigureAwait(false);
            // Its current queue (it may have overflowed) and its first arrival: the place it had.
            retries.Schedule(offer.Call with { Queue = waiting.Queue, ArrivedAt = waiting.ArrivedAt, CallbackNumber = number, Retry = true }, due);
            return;
        }
        if (attempt is { } last)
            log.LogWarning("Call {CallId}: callback to {Number} not reached ({Why}), attempt {Attempt} of {MaxAttempts}; abandoned as unreachable, its draft {DraftRef} kept; hanging up agent {AgentId}",
                offer.CallId, masked, why, last, max, offer.Call.DraftRef, offer.AgentId);
        else
            log.LogWarning("Call {CallId}: callback to {Number} not reached ({Why}), its attempts unknown (the store could not be read); abandoned as unreachable, its draft {DraftRef} kept; hanging up agent {AgentId}",
                offer.CallId, masked, why, offer.Call.DraftRef, offer.AgentId);
        engine.Abandon(offer.CallId, AbandonReason.CallbackUnreachable);
        desk.Remove(offer.CallId);
        agent.Hangup();
        await requests.MoveAsync(offer.CallId, CallbackState.Placing, CallbackState.Unreachable).ConfigureAwait(false);
    }

    private async Task BridgeAsync(Offer offer, IAgentCall agent, ICallChannel citizen, Task reported, ChannelReader<string> codes, Action unsubscribe)
    {
        var engine = acd();
        try
        {
            try { await reported.WaitAsync(AnswerReportTimeout).ConfigureAwait(false); }
            catch (Exception e) when (e is TimeoutException or TaskCanceledException)
            {
                log.LogWarning("Call {CallId}: the ACD did not take the callback's answer by agent {AgentId} ({Why}); hanging up both", offer.CallId, offer.AgentId,
                    e is TimeoutException ? "no report" : "the offer was withdrawn");
                await citizen.HangupAsync().ConfigureAwait(false);
                agent.Hangup();
                await requests.MoveAsync(offer.CallId, CallbackState.Placing, CallbackState.Pending).ConfigureAwait(false);
                return;
            }
            try
            {
                await new ConnectedCall(citizen, agent, codes, log).RunAsync().ConfigureAwait(false);
            }
            finally
            {
                engine.CallEnded(offer.CallId);
                desk.Remove(offer.CallId);
                await requests.MoveAsync(offer.CallId, CallbackState.Placing, CallbackState.Done).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            log.LogError(e, "Call {CallId}: the callback's connection failed", offer.CallId);
        }
        finally
        {
            unsubscribe();
        }
    }
}
