using Telephony.Agents.Queueing;

namespace Telephony.Agents.Offers;

/// <summary>What ringing an agent came to.</summary>
public enum OfferOutcome { Answered, NoAnswer, Busy, Unreachable }

/// <summary>
/// A call offered to one agent. <see cref="Callback"/>: the caller hung up asking to be called back, so the leg
/// rings the agent and then calls <see cref="CallbackNumber"/>.
/// </summary>
public sealed record Offer(long Id, string CallId, string AgentId, string SipUser, string Queue, DateTimeOffset At, DateTimeOffset Deadline,
    bool Callback, string? CallbackNumber, CallRequest Call);

/// <summary>
/// Rings an agent's phone (the lead's B2BUA over SIP implements it; tests use a scripted fake). The returned task
/// ends with the outcome; the token is cancelled when the ACD gives up (offer timeout, caller abandoned) and the
/// leg must then stop ringing (CANCEL). An exception counts as <see cref="OfferOutcome.Unreachable"/>.
/// </summary>
public interface IAgentLeg
{
    Task<OfferOutcome> OfferAsync(Offer offer, CancellationToken cancel);
}
