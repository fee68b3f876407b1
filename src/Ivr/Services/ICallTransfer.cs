using Telephony.Media.Channel;

namespace Telephony.Ivr.Services;

/// <summary>
/// Hands the call to an ACD queue (Agents, next issue) or to an external number (110/119/120). Host implements
/// both over the SIP engine (B2BUA leg or REFER). Completes when the transfer is done or refused; after
/// <see cref="TransferOutcome.Transferred"/> the flow ends without hanging up (the call is no longer ours).
/// </summary>
public interface IQueueTransfer
{
    Task<TransferResult> TransferToQueueAsync(ICallChannel call, string queue, IReadOnlyDictionary<string, string> context, CancellationToken cancellation);
}

public interface IExternalTransfer
{
    Task<TransferResult> TransferToNumberAsync(ICallChannel call, string number, CancellationToken cancellation);
}

/// <summary><see cref="TransferOutcome.Unavailable"/>: nobody to take it (no agents yet, no trunk configured).</summary>
public enum TransferOutcome { Transferred, Unavailable, Failed, HungUp }

public sealed record TransferResult(TransferOutcome Outcome, string? Reason = null);
