using Microsoft.Extensions.Logging;
using Telephony.Host.Logging;
using Telephony.Ivr.Services;
using Telephony.Media.Channel;

namespace Telephony.Host.Ivr;

/// <summary>
/// Transfer to 110/119/120 or another outside number when no trunk to the public network is configured
/// (no <c>Trunk</c> section; with one, <see cref="Trunk.SipTrunkTransfer"/> places the call). The answer is <see cref="TransferOutcome.Unavailable"/> with the reason, and the
/// flow advises the caller to dial the number themselves (the default flow does).
/// </summary>
public sealed class NoExternalTrunk(ILogger<NoExternalTrunk> log) : IExternalTransfer
{
    public Task<TransferResult> TransferToNumberAsync(ICallChannel call, string number, CancellationToken cancellation)
    {
        log.LogWarning("Call {CallId} from {Caller}: transfer to {Number} asked; no outside trunk is configured, the caller is advised to dial it",
            call.CallId, PhoneMasking.MaskNumber(call.Caller), number);
        return Task.FromResult(new TransferResult(TransferOutcome.Unavailable, "no outside trunk is configured (Trunk:Uri)"));
    }
}
