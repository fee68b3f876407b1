using Microsoft.Extensions.Logging;
using Telephony.Host.Engine;
using Telephony.Media.Codecs;
using Telephony.Sip.Calls;

namespace Telephony.Host.Calls;

/// <summary>How an outbound leg's ringing ended (see <see cref="OutboundLeg.RingAsync"/>).</summary>
public enum RingOutcome
{
    /// <summary>2xx, ACK sent, RTP open: <see cref="RingResult.Leg"/> is the answered leg.</summary>
    Answered,
    /// <summary>A final non-2xx, a timeout or the transport failed: <see cref="RingResult.Reason"/> and <see cref="RingResult.Status"/> say which.</summary>
    Unanswered,
    /// <summary>The one who placed it gave up while it rang (ring timeout, caller gone): CANCEL sent.</summary>
    Withdrawn,
    /// <summary>Answered without usable media (no common codec, no RTP session): BYE sent.</summary>
    NoMedia,
}

public sealed record RingResult(RingOutcome Outcome, AnsweredLeg? Leg = null, CallEndReason? Reason = null, int? Status = null, string? Error = null);

/// <summary>
/// The B2BUA's second leg, shared by the agent leg and the trunk: a call the engine placed (INVITE with an SDP
/// offer of the engine's codecs, RFC 3261 §13.2, digest retry) is waited on until it is answered, ends, or is
/// withdrawn. Withdrawing before the answer sends CANCEL (§9.1; a 200 crossing it gets ACK and BYE from the
/// session). An answer gets its RTP session on the engine's media clock and comes back as an <see cref="AnsweredLeg"/>,
/// hung up when its far end sends no RTP for the engine's <see cref="MediaEngine.RtpTimeout"/>.
/// </summary>
public static class OutboundLeg
{
    public static async Task<RingResult> RingAsync(SipCall call, MediaEngine media, string callId, string party, string partyId,
        ILogger log, CancellationToken withdraw)
    {
        var withdrawn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (withdraw.Register(() => withdrawn.TrySetResult()))
            await Task.WhenAny(call.AnsweredTask, call.Completion, withdrawn.Task).ConfigureAwait(false);

        if (!call.AnsweredTask.IsCompletedSuccessfully)
        {
            if (call.Completion.IsCompleted)
                return new RingResult(RingOutcome.Unanswered, Reason: call.EndReason, Status: call.FinalStatus);
            call.Hangup();
            return new RingResult(RingOutcome.Withdrawn);
        }
        if (call.Media is not { } negotiated || !AudioCodecs.TryCreate(negotiated.Codec, out var codec))
        {
            call.Hangup();
            return new RingResult(RingOutcome.NoMedia, Error: "no usable media in the answer");
        }
        var session = media.Open(negotiated, out var error);
        if (session is null)
        {
            call.Hangup();
            return new RingResult(RingOutcome.NoMedia, Error: error);
        }
        var leg = new AnsweredLeg(callId, party, partyId, call, session, codec.SampleRate, log, media.RtpTimeout, media.Time);
        session.Start(media.Clock);
        return new RingResult(RingOutcome.Answered, leg);
    }
}
