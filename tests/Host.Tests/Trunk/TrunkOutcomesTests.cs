using Telephony.Host.Trunk;
using Telephony.Ivr.Services;
using Telephony.Sip.Calls;

namespace Telephony.Host.Tests.Trunk;

public class TrunkOutcomesTests
{
    [TestCase(486, TransferOutcome.Unavailable, "busy")]
    [TestCase(600, TransferOutcome.Unavailable, "busy")]
    [TestCase(603, TransferOutcome.Unavailable, "declined")]
    [TestCase(480, TransferOutcome.Unavailable, "no answer")]
    [TestCase(408, TransferOutcome.Unavailable, "no answer")]
    [TestCase(503, TransferOutcome.Unavailable, "failing")]
    [TestCase(500, TransferOutcome.Unavailable, "failing")]
    [TestCase(407, TransferOutcome.Failed, "Trunk:Username")]
    [TestCase(401, TransferOutcome.Failed, "credentials")]
    [TestCase(404, TransferOutcome.Failed, "Trunk:Numbers")]
    [TestCase(484, TransferOutcome.Failed, "number")]
    [TestCase(488, TransferOutcome.Failed, "codec")]
    [TestCase(606, TransferOutcome.Failed, "codec")]
    [TestCase(699, TransferOutcome.Unavailable, "699")]
    public void A_final_response_maps_to_an_outcome_that_takes_the_flow_on(int status, TransferOutcome expected, string reason)
    {
        var result = TrunkOutcomes.Unanswered(CallEndReason.Declined, status);
        Assert.That(result.Outcome, Is.EqualTo(expected));
        Assert.That(result.Reason, Does.Contain(reason));
        Assert.That(result.Outcome, Is.Not.EqualTo(TransferOutcome.Transferred).And.Not.EqualTo(TransferOutcome.HungUp),
            "a refusal never ends the flow: it goes on to transfer_unavailable");
    }

    [Test]
    public void No_response_from_the_gateway_is_unavailable()
    {
        var result = TrunkOutcomes.Unanswered(CallEndReason.Timeout, 408);
        Assert.That(result.Outcome, Is.EqualTo(TransferOutcome.Unavailable));
        Assert.That(result.Reason, Does.Contain("did not respond"));
    }

    [Test]
    public void Engine_shutdown_while_ringing_is_a_failure()
    {
        Assert.That(TrunkOutcomes.Unanswered(CallEndReason.Shutdown, null).Outcome, Is.EqualTo(TransferOutcome.Failed));
    }
}
