using Microsoft.Extensions.Logging;
using Telephony.Agents.Offers;
using Telephony.Host.Engine;
using Telephony.Media.Codecs;
using Telephony.Sip.Calls;
using Telephony.Sip.Message;
using Telephony.Sip.Registrar;

namespace Telephony.Host.Agents;

/// <summary>
/// Rings an agent over SIP, as the B2BUA's second leg (docs/agents.md, "Agent leg"): looks up the agent's
/// registered contact in the engine's registrar (the seat's <c>SipUser</c> is a registrar account), places an
/// INVITE to it, and reports how it went. An answered phone gets its RTP session and is parked in
/// <see cref="AnsweredAgentCalls"/> for the caller's queue transfer to bridge; the ACD's token cancelled before
/// the answer sends CANCEL (RFC 3261 §9.1). Outcomes: <see cref="AgentLegOutcomes"/>.
/// </summary>
public sealed class SipAgentLeg(SipEngineService sip, MediaEngine media, AnsweredAgentCalls answered, ILoggerFactory logs) : IAgentLeg
{
    /// <summary>Header naming the caller's call on the agent's INVITE, for softphones and captures that show it.</summary>
    public const string CallHeader = "X-Telephony-Call";

    private readonly ILogger _log = logs.CreateLogger<SipAgentLeg>();

    public async Task<OfferOutcome> OfferAsync(Offer offer, CancellationToken cancel)
    {
        if (offer.Callback)
        {
            // Nothing queues callbacks yet (the default flow offers none): ringing the agent would connect them to nobody.
            _log.LogWarning("Offer {OfferId}: call {CallId} is a callback, which the SIP agent leg does not place yet; counted as no answer", offer.Id, offer.CallId);
            return OfferOutcome.NoAnswer;
        }
        var engine = sip.Engine;
        var bindings = engine.Registrar?.Store.Lookup(offer.SipUser) ?? [];
        if (bindings.Count == 0)
        {
            _log.LogWarning("Offer {OfferId}: agent {AgentId} ({SipUser}) has no registered phone; unreachable", offer.Id, offer.AgentId, offer.SipUser);
            return OfferOutcome.Unreachable;
        }
        // The most recent registration; sent where that REGISTER came from, which is the phone's address even behind NAT.
        var binding = bindings[0];
        SipCall call;
        try
        {
            call = engine.PlaceCall(binding.Uri, binding.Source, From(engine.Options.Domain, offer.Queue),
                headers: [new(CallHeader, offer.CallId)]);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            _log.LogWarning("Offer {OfferId}: calling agent {AgentId} at {Contact} failed: {Error}; unreachable", offer.Id, offer.AgentId, binding.Uri.ToString(), e.Message);
            return OfferOutcome.Unreachable;
        }
        _log.LogInformation("Offer {OfferId}: ringing agent {AgentId} at {Contact} (agent leg {AgentCallId}) for call {CallId}",
            offer.Id, offer.AgentId, binding.Uri.ToString(), call.CallId, offer.CallId);

        var withdrawn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancel.Register(() => withdrawn.TrySetResult()))
            await Task.WhenAny(call.AnsweredTask, call.Completion, withdrawn.Task).ConfigureAwait(false);

        if (!call.AnsweredTask.IsCompletedSuccessfully)
        {
            if (call.Completion.IsCompleted)
            {
                var outcome = AgentLegOutcomes.Unanswered(call.EndReason!.Value, call.FinalStatus);
                _log.LogInformation("Offer {OfferId}: agent {AgentId} did not answer ({Reason}, {Status}): {Outcome}",
                    offer.Id, offer.AgentId, call.EndReason, call.FinalStatus, outcome);
                return outcome;
            }
            // The ACD gave up (offer timeout, caller gone): CANCEL; a 200 crossing it gets ACK and BYE from the session.
            call.Hangup();
            _log.LogInformation("Offer {OfferId}: withdrawn while ringing agent {AgentId}; CANCEL sent", offer.Id, offer.AgentId);
            return OfferOutcome.NoAnswer;
        }
        return Answered(offer, call, cancel);
    }

    private OfferOutcome Answered(Offer offer, SipCall call, CancellationToken cancel)
    {
        if (call.Media is not { } negotiated || !AudioCodecs.TryCreate(negotiated.Codec, out var codec))
        {
            _log.LogWarning("Offer {OfferId}: agent {AgentId} answered without usable media; hanging up, unreachable", offer.Id, offer.AgentId);
            call.Hangup();
            return OfferOutcome.Unreachable;
        }
        var session = media.Open(negotiated, out var error);
        if (session is null)
        {
            _log.LogWarning("Offer {OfferId}: no RTP session for agent {AgentId} ({Error}); hanging up, unreachable", offer.Id, offer.AgentId, error);
            call.Hangup();
            return OfferOutcome.Unreachable;
        }
        var agentCall = new SipAgentCall(offer.CallId, offer.AgentId, call, session, codec.SampleRate, _log);
        session.Start(media.Clock);
        answered.Park(agentCall);
        // If the ACD withdrew the offer meanwhile it ignores this answer and the caller's side never takes the phone:
        // take it back and end it (TryTakeBack loses to a transfer that took it first).
        cancel.Register(() => { if (answered.TryTakeBack(agentCall)) agentCall.Hangup(); });
        _log.LogInformation("Offer {OfferId}: agent {AgentId} answered (agent leg {AgentCallId}, {Codec} to {Remote})",
            offer.Id, offer.AgentId, call.CallId, negotiated.Codec, negotiated.RemoteRtp?.ToString() ?? "(latch)");
        return cancel.IsCancellationRequested ? OfferOutcome.NoAnswer : OfferOutcome.Answered;
    }

    /// <summary>The agent's phone shows the hotline and the queue, not the citizen's number (the desktop shows it, masked where needed).</summary>
    private static NameAddress From(string domain, string queue) =>
        new() { DisplayName = $"12345 {queue}", Uri = SipUri.Create("12345", domain) };
}
