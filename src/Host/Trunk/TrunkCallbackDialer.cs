using Microsoft.Extensions.Logging;
using Telephony.Host.Agents;
using Telephony.Host.Calls;
using Telephony.Host.Engine;
using Telephony.Host.Logging;
using Telephony.Sip.Calls;
using Telephony.Sip.Message;

namespace Telephony.Host.Trunk;

/// <summary>
/// Calls a callback's citizen over the outbound trunk (docs/agents.md, "Callback"): INVITE to <c>Trunk:Uri</c> with the
/// number as the user part (or its own <c>Trunk:Numbers</c> target), From the hotline's 12345 (the citizen sees who calls
/// back), ringing at most <c>Trunk:RingTimeoutSeconds</c> (then CANCEL). The answered leg becomes an
/// <see cref="RtpCallChannel"/>, so the bridge to the agent and the query code's read-back work on it as on an inbound
/// caller; its RTP inactivity is watched by the leg itself (<see cref="AnsweredLeg"/>). No trunk configured: every dial
/// fails at once with that reason.
/// </summary>
public sealed class TrunkCallbackDialer(TrunkOptions? trunk, SipEngineService sip, MediaEngine media, CallFlowOptions flow, ILogger<TrunkCallbackDialer> log)
    : ICallbackDialer
{
    public TimeSpan RingTimeout => trunk?.RingTimeout ?? TimeSpan.Zero;

    public async Task<CallbackDial> DialAsync(string callId, string number, CancellationToken withdraw)
    {
        var masked = PhoneMasking.MaskNumber(number);
        if (!TrunkOptions.IsDialable(number)) return CallbackDial.Failed($"'{masked}' is not a number");
        if (trunk?.TargetFor(number) is not { } target) return CallbackDial.Failed("no trunk is configured (Trunk:Uri)");
        SipCall leg;
        try
        {
            leg = sip.Engine.PlaceCall(target, from: new NameAddress { DisplayName = "12345", Uri = SipUri.Create("12345", sip.Engine.Options.Domain) },
                credentials: trunk.Credentials, headers: [new(SipTrunkTransfer.CallHeader, callId)]);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return CallbackDial.Failed($"calling over the trunk failed: {e.Message}");
        }
        log.LogInformation("Call {CallId}: calling back {Number} at {TrunkHost} over the trunk (leg {LegCallId}, ring timeout {RingTimeoutSeconds} s)",
            callId, masked, target.HostWithoutBrackets, leg.CallId, trunk.RingTimeout.TotalSeconds);

        RingResult rang;
        using (var ring = CancellationTokenSource.CreateLinkedTokenSource(withdraw))
        {
            ring.CancelAfter(trunk.RingTimeout);
            rang = await OutboundLeg.RingAsync(leg, media, callId, "citizen", masked, log, ring.Token).ConfigureAwait(false);
        }
        switch (rang.Outcome)
        {
            case RingOutcome.Unanswered:
                return CallbackDial.Failed($"{TrunkOutcomes.Unanswered(rang.Reason!.Value, rang.Status).Reason} ({rang.Reason}, {rang.Status?.ToString() ?? "no status"})");
            case RingOutcome.Withdrawn:
                return CallbackDial.Failed(withdraw.IsCancellationRequested ? "withdrawn while it rang" : $"no answer within {trunk.RingTimeout.TotalSeconds:0} s");
            case RingOutcome.NoMedia:
                return CallbackDial.Failed($"answered without usable media ({rang.Error})");
        }
        var answered = rang.Leg!;
        // The leg watches its RTP (and hangs up on silence); the channel's own check would only repeat it.
        var options = RtpCallChannelOptions.From(flow) with { RtpTimeout = TimeSpan.Zero };
        var channel = new RtpCallChannel(callId, number, "12345", answered.Session, answered.SampleRate, media.Prompts(answered.SampleRate), media.Time,
            answered.Hangup, options, log);
        _ = answered.Ended.ContinueWith(_ => channel.OnEnded(), TaskScheduler.Default);
        return new CallbackDial(channel, null);
    }
}
