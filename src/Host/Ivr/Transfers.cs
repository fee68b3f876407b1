using Microsoft.Extensions.Logging;
using Telephony.Host.Logging;
using Telephony.Ivr.Services;
using Telephony.Media.Channel;

namespace Telephony.Host.Ivr;

/// <summary>
/// Transfer to an agent queue before the ACD is joined to calls (issue 9): there is nobody to take the
/// call, so the answer is <see cref="TransferOutcome.Unavailable"/> and the flow keeps the recorded request
/// as a draft and tells the caller so. Replaced by the ACD's transfer when agents exist.
/// </summary>
public sealed class NoAgentsYet(ILogger<NoAgentsYet> log) : IQueueTransfer
{
    public Task<TransferResult> TransferToQueueAsync(ICallChannel call, string queue, IReadOnlyDictionary<string, string> context, CancellationToken cancellation)
    {
        log.LogInformation("Call {CallId} from {Caller}: transfer to queue {Queue} asked; no agent seats are connected to calls yet",
            call.CallId, PhoneMasking.MaskNumber(call.Caller), queue);
        return Task.FromResult(new TransferResult(TransferOutcome.Unavailable, "no agents are connected to calls yet"));
    }
}

/// <summary>
/// Transfer to 110/119/120 or another outside number. The engine has no trunk to the public network, so
/// until one is configured the answer is <see cref="TransferOutcome.Unavailable"/> with the reason, and the
/// flow advises the caller to dial the number themselves (the default flow does).
/// </summary>
public sealed class NoExternalTrunk(ILogger<NoExternalTrunk> log) : IExternalTransfer
{
    public Task<TransferResult> TransferToNumberAsync(ICallChannel call, string number, CancellationToken cancellation)
    {
        log.LogWarning("Call {CallId} from {Caller}: transfer to {Number} asked; no outside trunk is configured, the caller is advised to dial it",
            call.CallId, PhoneMasking.MaskNumber(call.Caller), number);
        return Task.FromResult(new TransferResult(TransferOutcome.Unavailable, "no outside trunk is configured"));
    }
}
