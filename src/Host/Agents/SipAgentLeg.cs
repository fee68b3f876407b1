using Microsoft.Extensions.Logging;
using Telephony.Agents.Offers;
using Telephony.Host.Engine;
using Telephony.Host.Calls;
using Telephony.Sip.Calls;
using Telephony.Sip.Message;
using Telephony.Sip.Registrar;

namespace Telephony.Host.Agents;

/// <summary>
/// Rings an agent over SIP, as the B2BUA's second leg (docs/agents.md, "Agent leg"): looks up the agent's
/// registered contact in the engine's registrar (the seat's <c>SipUser</c> is a registrar account), places an
/// INVITE to it, and reports how it went. An answered phone gets its RTP session and is parked in
/// <see cref="AnsweredAgentCalls"/> for the caller's queue transfer to bridge; the ACD's token cancelled before
/// the answer sends CANCEL (RFC 3261 §9.1). Ringing and the answer's media are <see cref="OutboundLeg"/>, shared with the trunk. Outcomes: <see cref="AgentLegOutcomes"/>.
/// A callback offer (<see cref="Offer.Callback"/>) rings the agent the same way; the answered phone then goes to
/// <see cref="CallbackCalls"/>, which calls the citizen and bridges the two.
/// </summary>
public sealed class SipAgentLeg(SipEngineService sip, MediaEngine media, AnsweredAgentCalls answered, CallbackCalls callbacks, ILoggerFactory logs) : IAgentLeg
{
    /// <summary>Header naming the caller's call on the agent's INVITE, for softphones and captures that show it.</summary>
    public const string CallHeader = "X-Telephony-Call";

    private readonly ILogger _log = logs.CreateLogger<SipAgentLeg>();

    public async Task<OfferOutcome> OfferAsync(Offer offer, CancellationToken cancel)
    {
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
            call = engine.PlaceCall(binding.Uri, binding.Source, From(engine.Options.Domain, offer.Queue, offer.Callback),
                headers: [new(CallHeader, offer.CallId)]);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            _log.LogWarning("Offer {OfferId}: calling agent {AgentId} at {Contact} failed: {Error}; unreachable", offer.Id, offer.AgentId, binding.Uri.ToString(), e.Message);
            return OfferOutcome.Unreachable;
        }
        _log.LogInformation("Offer {OfferId}: ringing agent {AgentId} at {Contact} (agent leg {AgentCallId}) for call {CallId}{Callback:l}",
            offer.Id, offer.AgentId, binding.Uri.ToString(), call.CallId, offer.CallId, offer.Callback ? " (callback)" : "");

        var rang = await OutboundLeg.RingAsync(call, media, offer.CallId, "agent", offer.AgentId, _log, cancel).ConfigureAwait(false);
        switch (rang.Outcome)
        {
            case RingOutcome.Unanswered:
                var outcome = AgentLegOutcomes.Unanswered(rang.Reason!.Value, rang.Status);
                _log.LogInformation("Offer {OfferId}: agent {AgentId} did not answer ({Reason}, {Status}): {Outcome}",
                    offer.Id, offer.AgentId, rang.Reason, rang.Status, outcome);
                return outcome;
            case RingOutcome.Withdrawn:
                // The ACD gave up (offer timeout, caller gone): CANCEL went out.
                _log.LogInformation("Offer {OfferId}: withdrawn while ringing agent {AgentId}; CANCEL sent", offer.Id, offer.AgentId);
                return OfferOutcome.NoAnswer;
            case RingOutcome.NoMedia:
                _log.LogWarning("Offer {OfferId}: agent {AgentId} answered without usable media ({Error}); hung up, unreachable", offer.Id, offer.AgentId, rang.Error);
                return OfferOutcome.Unreachable;
        }
        var agentCall = new SipAgentCall(offer.AgentId, rang.Leg!);
        // A callback has no caller on the line to take the phone: the leg connects it to the citizen itself.
        if (offer.Callback) return await callbacks.ConnectAsync(offer, agentCall, cancel).ConfigureAwait(false);
        answered.Park(agentCall);
        // If the ACD withdrew the offer meanwhile it ignores this answer and the caller's side never takes the phone:
        // take it back and end it (TryTakeBack loses to a transfer that took it first).
        cancel.Register(() => { if (answered.TryTakeBack(agentCall)) agentCall.Hangup(); });
        _log.LogInformation("Offer {OfferId}: agent {AgentId} answered (agent leg {AgentCallId}, {Codec} to {Remote})",
            offer.Id, offer.AgentId, call.CallId, call.Media!.Codec, call.Media.RemoteRtp?.ToString() ?? "(latch)");
        return cancel.IsCancellationRequested ? OfferOutcome.NoAnswer : OfferOutcome.Answered;
    }

    /// <summary>
    /// The agent's phone shows the hotline and the queue, not the citizen's number (the desktop shows it, masked where
    /// needed); a callback says 回拨 (callback), so the agent expects ringback before the citizen answers.
    /// </summary>
    private static NameAddress From(string domain, string queue, bool callback) =>
        new() { DisplayName = callback ? $"12345 {queue} 回拨" : $"12345 {queue}", Uri = SipUri.Create("12345", domain) };
}
