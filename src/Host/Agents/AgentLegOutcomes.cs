using Telephony.Agents.Offers;
using Telephony.Sip.Calls;

namespace Telephony.Host.Agents;

/// <summary>
/// What an INVITE to an agent's phone that ended before an answer means for the ACD (docs/agents.md, "Agent leg").
/// Busy and no-answer keep the agent logged in (the ACD offers the call to someone else); anything that says the
/// phone cannot take calls at all logs the agent out (Unreachable), so the next caller does not wait on them too.
/// The ACD re-offers the call on every outcome but Answered, so no mapping here can lose a call.
/// </summary>
public static class AgentLegOutcomes
{
    public static OfferOutcome Unanswered(CallEndReason reason, int? status) => reason switch
    {
        // Timer B or a transport error (the 408/503 the transaction made up, RFC 3261 §8.1.3.1): nobody there.
        CallEndReason.Timeout => OfferOutcome.Unreachable,
        // 487 after our CANCEL (offer timeout or caller gone): the phone rang, nobody picked up.
        CallEndReason.Cancelled => OfferOutcome.NoAnswer,
        CallEndReason.Shutdown => OfferOutcome.Unreachable,
        _ => status switch
        {
            // §21.4.24, §21.6.1, §21.6.2: busy here, busy everywhere, declined (the agent pressed reject).
            486 or 600 or 603 => OfferOutcome.Busy,
            // §21.4.9 the phone's own timeout, §21.4.18 temporarily unavailable (do-not-disturb), 487 terminated.
            408 or 480 or 487 => OfferOutcome.NoAnswer,
            // 404, 403, 488 (no common codec), 5xx: this phone cannot take our calls until someone fixes it.
            _ => OfferOutcome.Unreachable,
        },
    };
}
