using Microsoft.Extensions.Logging;
using Telephony.Host.Calls;
using Telephony.Host.Engine;
using Telephony.Host.Logging;
using Telephony.Ivr.Services;
using Telephony.Media.Channel;
using Telephony.Sip.Calls;
using Telephony.Sip.Message;

namespace Telephony.Host.Trunk;

/// <summary>
/// Transfer to an outside number (110/119/120) over the configured SIP trunk, as a B2BUA leg (docs/ivr.md,
/// "external"): INVITE to the number's target with the engine's codecs offered, ringback to the caller while it
/// rings, and on 2xx the caller is bridged to the far end (transcoding as needed) until either hangs up, which
/// ends both. A refusal, a timeout, or no answer within <see cref="TrunkOptions.RingTimeout"/> (CANCEL) comes
/// back as Unavailable or Failed (<see cref="TrunkOutcomes"/>), and the flow goes on to tell the caller; a caller
/// who hangs up while it rings cancels it. Numbers are masked in the log.
/// </summary>
public sealed class SipTrunkTransfer(TrunkOptions options, SipEngineService sip, MediaEngine media, ILogger<SipTrunkTransfer> log) : IExternalTransfer
{
    /// <summary>Header naming the caller's call on the trunk's INVITE, for captures and the gateway's logs.</summary>
    public const string CallHeader = "X-Telephony-Call";

    public async Task<TransferResult> TransferToNumberAsync(ICallChannel call, string number, CancellationToken cancellation)
    {
        var caller = PhoneMasking.MaskNumber(call.Caller);
        var masked = PhoneMasking.MaskNumber(number);
        if (!TrunkOptions.IsDialable(number))
        {
            log.LogWarning("Call {CallId} from {Caller}: transfer to {Number}, which is not a number; failed", call.CallId, caller, masked);
            return new TransferResult(TransferOutcome.Failed, $"'{masked}' is not a number");
        }
        if (options.TargetFor(number) is not { } target)
        {
            log.LogWarning("Call {CallId} from {Caller}: transfer to {Number}: the trunk has no route for it (no Trunk:Uri, no Trunk:Numbers:{Number}); unavailable",
                call.CallId, caller, masked, masked);
            return new TransferResult(TransferOutcome.Unavailable, "the trunk has no route for this number");
        }
        if (call.Ended.IsCancellationRequested) return new TransferResult(TransferOutcome.HungUp, "the caller hung up");

        SipCall leg;
        try
        {
            leg = sip.Engine.PlaceCall(target, from: From(call), credentials: options.Credentials, headers: [new(CallHeader, call.CallId)]);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            log.LogWarning("Call {CallId} from {Caller}: calling {Number} over the trunk failed: {Error}; unavailable", call.CallId, caller, masked, e.Message);
            return new TransferResult(TransferOutcome.Unavailable, e.Message);
        }
        log.LogInformation("Call {CallId} from {Caller}: ringing {Number} at {TrunkHost} over the trunk (leg {LegCallId}, ring timeout {RingTimeoutSeconds} s)",
            call.CallId, caller, masked, target.HostWithoutBrackets, leg.CallId, options.RingTimeout.TotalSeconds);

        RingResult rang;
        using (var withdraw = CancellationTokenSource.CreateLinkedTokenSource(cancellation, call.Ended))
        using (var stopTone = new CancellationTokenSource())
        {
            withdraw.CancelAfter(options.RingTimeout);
            var tone = Ringback.PlayAsync(call, stopTone.Token);
            rang = await OutboundLeg.RingAsync(leg, media, call.CallId, "number", masked, log, withdraw.Token).ConfigureAwait(false);
            stopTone.Cancel();
            await tone.ConfigureAwait(false);
        }
        var result = rang.Outcome switch
        {
            RingOutcome.Answered => null,
            RingOutcome.Unanswered => TrunkOutcomes.Unanswered(rang.Reason!.Value, rang.Status),
            RingOutcome.NoMedia => new TransferResult(TransferOutcome.Failed, $"answered without usable media ({rang.Error})"),
            _ when call.Ended.IsCancellationRequested => new TransferResult(TransferOutcome.HungUp, "the caller hung up while it rang"),
            _ when cancellation.IsCancellationRequested => new TransferResult(TransferOutcome.Failed, "the engine is stopping"),
            _ => new TransferResult(TransferOutcome.Unavailable, $"no answer within {options.RingTimeout.TotalSeconds:0} s"),
        };
        if (result is not null)
        {
            log.LogInformation("Call {CallId} from {Caller}: {Number} not reached over the trunk ({Reason}, {Status}): {Outcome}, {Why}",
                call.CallId, caller, masked, rang.Reason?.ToString() ?? rang.Outcome.ToString(), rang.Status, result.Outcome, result.Reason);
            return result;
        }
        return await BridgeAsync(call, rang.Leg!, masked, cancellation).ConfigureAwait(false);
    }

    private async Task<TransferResult> BridgeAsync(ICallChannel call, AnsweredLeg leg, string masked, CancellationToken cancellation)
    {
        IDisposable? bridge = null;
        try
        {
            bridge = leg.Connect(call);
            log.LogInformation("Call {CallId}: connected to {Number} over the trunk ({Codec})", call.CallId, masked, leg.Sip.Media?.Codec);
            await Task.WhenAny(BridgedLegs.Ended(call.Ended), leg.Ended, BridgedLegs.Ended(cancellation)).ConfigureAwait(false);
            return new TransferResult(TransferOutcome.Transferred, $"connected to {masked}");
        }
        catch (InvalidOperationException e)
        {
            log.LogError(e, "Call {CallId}: cannot bridge the caller to {Number}", call.CallId, masked);
            return new TransferResult(TransferOutcome.Failed, e.Message);
        }
        finally
        {
            bridge?.Dispose();
            await BridgedLegs.EndBothAsync(call, leg, "number", masked, log).ConfigureAwait(false);
        }
    }

    /// <summary>The hotline as the display name; the caller's number as the user part when allowed, so the dispatcher can call back.</summary>
    private NameAddress From(ICallChannel call)
    {
        var user = options.PresentCaller && TrunkOptions.IsDialable(call.Caller) ? call.Caller : "12345";
        return new NameAddress { DisplayName = "12345", Uri = SipUri.Create(user, sip.Engine.Options.Domain) };
    }
}
