// RFC 3264 §8 (modifying the session: o= version, keeping m= lines, §8.4 hold) and RFC 3261 §14
// (re-INVITE: a refused re-offer leaves the session as it was; an offer crossing ours is glare, 491).
namespace Telephony.Sip.Sdp;

/// <summary>
/// The offer/answer state of one dialog: answers the peer's offers and re-offers, makes ours, and reports what
/// changed each time. Not thread-safe: a dialog handles one transaction's SDP at a time.
/// </summary>
public sealed class OfferAnswerSession
{
    private SessionDescription? _pendingOffer;
    private SessionDescription? _beforePendingOffer;
    private ulong _highestVersion;
    private System.Net.IPEndPoint? _lastRemote;

    public OfferAnswerSession(LocalMedia local)
    {
        ArgumentNullException.ThrowIfNull(local);
        Local = local;
    }

    public LocalMedia Local { get; private set; }

    /// <summary>The last SDP we sent (offer or answer) that is in force.</summary>
    public SessionDescription? LocalDescription { get; private set; }

    /// <summary>The last SDP from the peer that is in force.</summary>
    public SessionDescription? RemoteDescription { get; private set; }

    /// <summary>What the current session uses; null until the first exchange completes.</summary>
    public NegotiatedMedia? Current { get; private set; }

    /// <summary>We sent an offer and wait for its answer (in a 2xx, or in the ACK for an INVITE without SDP).</summary>
    public bool HasPendingOffer => _pendingOffer is not null;

    /// <summary>
    /// Changes our side (another port, hold with <see cref="MediaDirection.SendOnly"/>, ...); takes effect in
    /// the next offer or answer. The o= username and session id stay those of the session (RFC 3264 §8).
    /// </summary>
    public void UpdateLocal(LocalMedia local)
    {
        ArgumentNullException.ThrowIfNull(local);
        Local = local with { SessionId = Local.SessionId, Username = Local.Username };
    }

    /// <summary>
    /// Answers an offer, initial or re-offer. On failure nothing changes (RFC 3261 §14.2) and the caller
    /// answers 488, or 491 when our own offer is outstanding.
    /// </summary>
    public AnswerResult ReceiveOffer(SessionDescription offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (_pendingOffer is not null)
            return AnswerResult.Failed("our own offer is still unanswered: glare, answer 491 Request Pending (RFC 3261 §14.2)");

        var result = OfferAnswer.Answer(offer, Local);
        if (!result.Success)
            return result;

        var answer = Stamp(result.Answer);
        LocalDescription = answer;
        RemoteDescription = offer;
        return AnswerResult.Succeeded(answer, result.Negotiated, Commit(result.Negotiated));
    }

    /// <summary>
    /// Our offer: for the 2xx to an INVITE without SDP, or for a re-INVITE of ours (e.g. after
    /// <see cref="UpdateLocal"/> with SendOnly to hold). A re-offer keeps every earlier m= line in its place,
    /// refused ones with port 0 (RFC 3264 §8: m= lines are never removed).
    /// </summary>
    public SessionDescription CreateOffer()
    {
        var offer = OfferAnswer.CreateOffer(Local);
        if (LocalDescription is { } previous && Current is { } current)
        {
            var audio = offer.MediaDescriptions[0];
            offer.MediaDescriptions.Clear();
            for (var i = 0; i < previous.MediaDescriptions.Count; i++)
                offer.MediaDescriptions.Add(i == current.MediaIndex ? audio : Disabled(previous.MediaDescriptions[i]));
        }
        offer = Stamp(offer);
        _beforePendingOffer = LocalDescription;
        _pendingOffer = offer;
        LocalDescription = offer;
        return offer;
    }

    /// <summary>Takes the peer's answer to our pending offer. A bad answer leaves the earlier session in force.</summary>
    public AnswerResult ReceiveAnswer(SessionDescription answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (_pendingOffer is not { } offer)
            return AnswerResult.Failed("no offer of ours is waiting for an answer");

        var result = OfferAnswer.AcceptAnswer(offer, answer);
        if (!result.Success)
        {
            CancelOffer();
            return result;
        }
        _pendingOffer = null;
        _beforePendingOffer = null;
        RemoteDescription = answer;
        return AnswerResult.Succeeded(answer, result.Negotiated, Commit(result.Negotiated));
    }

    /// <summary>
    /// Our re-INVITE failed (non-2xx, timeout): "the session parameters MUST remain unchanged, as if no re-INVITE
    /// had been issued" (RFC 3261 §14.1). The version number spent on the failed offer is not reused.
    /// </summary>
    public void CancelOffer()
    {
        if (_pendingOffer is null)
            return;
        LocalDescription = _beforePendingOffer;
        _pendingOffer = null;
        _beforePendingOffer = null;
    }

    /// <summary>
    /// RFC 3264 §8: the o= version is the previous one when nothing changed, and one more when anything did.
    /// "One more" counts from the highest version ever sent, so a cancelled offer's number is never reused.
    /// </summary>
    private SessionDescription Stamp(SessionDescription fresh)
    {
        ulong version;
        if (LocalDescription is not { } previous)
        {
            version = Local.SessionVersion;
        }
        else
        {
            fresh.Origin = fresh.Origin with { SessionVersion = previous.Origin.SessionVersion };
            version = fresh.ToString() == previous.ToString() ? previous.Origin.SessionVersion : _highestVersion + 1;
        }
        fresh.Origin = fresh.Origin with { SessionVersion = version };
        _highestVersion = Math.Max(_highestVersion, version);
        return fresh;
    }

    private MediaChanges Commit(NegotiatedMedia next)
    {
        var previous = Current;
        Current = next;
        var lastRemote = _lastRemote;
        if (next.RemoteRtp is not null)
            _lastRemote = next.RemoteRtp;
        if (previous is null)
            return MediaChanges.None;

        var changes = MediaChanges.None;
        if (previous.CanSend && !next.CanSend)
            changes |= MediaChanges.Hold;
        if (!previous.CanSend && next.CanSend)
            changes |= MediaChanges.Resume;
        // Compared with the last address we knew, so a 0.0.0.0 hold followed by a resume elsewhere is still seen.
        if (next.RemoteRtp is not null && lastRemote is not null && !next.RemoteRtp.Equals(lastRemote))
            changes |= MediaChanges.RemoteAddress;
        if (previous.Codec.PayloadType != next.Codec.PayloadType || !previous.Codec.IsSameFormat(next.Codec))
            changes |= MediaChanges.Codec;
        if (previous.TelephoneEventPayloadType != next.TelephoneEventPayloadType)
            changes |= MediaChanges.TelephoneEvent;
        var directionExplained = (changes & (MediaChanges.Hold | MediaChanges.Resume)) != 0;
        if (previous.Ptime != next.Ptime || previous.MediaIndex != next.MediaIndex
            || (previous.Direction != next.Direction && !directionExplained))
            changes |= MediaChanges.Other;
        return changes;
    }

    private static MediaDescription Disabled(MediaDescription earlier)
    {
        var disabled = new MediaDescription { Media = earlier.Media, Port = 0, Protocol = earlier.Protocol };
        disabled.Formats.AddRange(earlier.Formats);
        return disabled;
    }
}
