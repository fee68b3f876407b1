using Telephony.Ivr.Services;
using Telephony.Sip.Calls;

namespace Telephony.Host.Trunk;

/// <summary>
/// What an INVITE to the trunk that ended before an answer means for the flow. Every outcome but
/// <see cref="TransferOutcome.Transferred"/> and <see cref="TransferOutcome.HungUp"/> takes the flow on
/// (the default flow's <c>transfer_unavailable</c>: the caller is told, the request is kept as a draft).
/// Unavailable: the far end could not take the call now (busy, no answer, down). Failed: our side is
/// misconfigured (credentials, codecs, URI), which an operator must fix; the log says which.
/// </summary>
public static class TrunkOutcomes
{
    public static TransferResult Unanswered(CallEndReason reason, int? status) => reason switch
    {
        // Timer B or a transport error (the 408/503 the transaction made up, RFC 3261 §8.1.3.1): the gateway is not there.
        CallEndReason.Timeout => new(TransferOutcome.Unavailable, "the trunk did not respond"),
        CallEndReason.Cancelled => new(TransferOutcome.Unavailable, "no answer"),
        CallEndReason.Shutdown => new(TransferOutcome.Failed, "the engine is stopping"),
        _ => status switch
        {
            // §21.4.24 busy here, §21.6.1 busy everywhere, §21.6.2 decline.
            486 or 600 => new(TransferOutcome.Unavailable, $"busy ({status})"),
            603 => new(TransferOutcome.Unavailable, "declined (603)"),
            // §21.4.9 request timeout, §21.4.18 temporarily unavailable, §21.4.25 request terminated.
            408 or 480 or 487 => new(TransferOutcome.Unavailable, $"no answer ({status})"),
            // §21.4.2/§21.4.8: the trunk still wants credentials after our retry (or we have none configured).
            401 or 407 or 403 => new(TransferOutcome.Failed, $"the trunk refused our credentials ({status}): check Trunk:Username and Trunk:Password"),
            // §21.4.5 not found, §21.4.21 address incomplete, §21.6.3 does not exist anywhere.
            404 or 484 or 604 => new(TransferOutcome.Failed, $"the trunk does not know the number ({status}): check Trunk:Uri and Trunk:Numbers"),
            // §21.4.26 / §21.6.4 not acceptable: no codec in common.
            488 or 606 => new(TransferOutcome.Failed, $"no codec in common with the trunk ({status})"),
            >= 500 and < 600 => new(TransferOutcome.Unavailable, $"the trunk is failing ({status})"),
            null => new(TransferOutcome.Unavailable, "the call ended before an answer"),
            _ => new(TransferOutcome.Unavailable, $"refused ({status})"),
        },
    };
}
