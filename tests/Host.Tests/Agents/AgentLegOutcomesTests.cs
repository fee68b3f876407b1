using Telephony.Agents.Offers;
using Telephony.Host.Agents;
using Telephony.Sip.Calls;

namespace Telephony.Host.Tests.Agents;

public class AgentLegOutcomesTests
{
    [TestCase(CallEndReason.Declined, 486, OfferOutcome.Busy)]
    [TestCase(CallEndReason.Declined, 600, OfferOutcome.Busy)]
    [TestCase(CallEndReason.Declined, 603, OfferOutcome.Busy)]
    [TestCase(CallEndReason.Declined, 408, OfferOutcome.NoAnswer)]
    [TestCase(CallEndReason.Declined, 480, OfferOutcome.NoAnswer)]
    [TestCase(CallEndReason.Cancelled, 487, OfferOutcome.NoAnswer)]
    [TestCase(CallEndReason.Timeout, 408, OfferOutcome.Unreachable)]
    [TestCase(CallEndReason.Timeout, 503, OfferOutcome.Unreachable)]
    [TestCase(CallEndReason.Declined, 404, OfferOutcome.Unreachable)]
    [TestCase(CallEndReason.Declined, 488, OfferOutcome.Unreachable)]
    [TestCase(CallEndReason.Declined, 500, OfferOutcome.Unreachable)]
    [TestCase(CallEndReason.Shutdown, null, OfferOutcome.Unreachable)]
    public void An_unanswered_invite_maps_to_the_acd_outcome(CallEndReason reason, int? status, OfferOutcome expected) =>
        Assert.That(AgentLegOutcomes.Unanswered(reason, status), Is.EqualTo(expected));
}
