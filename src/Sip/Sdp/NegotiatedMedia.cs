// RFC 3264 §6.1 and §7: what an offer/answer exchange settled for the audio stream, and the outcome of an exchange.
using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Telephony.Sip.Sdp;

/// <summary>The audio stream as agreed: everything the media engine needs to send and receive.</summary>
/// <param name="MediaIndex">Which m= line of the descriptions carries it.</param>
/// <param name="Codec">The codec, with the payload type the peer expects to receive it on.</param>
/// <param name="TelephoneEventPayloadType">RFC 4733 events' payload type at the peer; null when not agreed.</param>
/// <param name="RemoteRtp">Where to send RTP; null when the peer gave 0.0.0.0 (hold, or address not known yet).</param>
/// <param name="Direction">What we do: SendOnly means we send but receive nothing, etc.</param>
/// <param name="Ptime">Milliseconds of audio per packet we send, as the peer asked (20 when it did not say).</param>
public sealed record NegotiatedMedia(
    int MediaIndex,
    AudioCodec Codec,
    int? TelephoneEventPayloadType,
    IPEndPoint? RemoteRtp,
    MediaDirection Direction,
    int Ptime)
{
    /// <summary>
    /// Whether we may send RTP: false while on hold (the peer is sendonly or inactive, or gave 0.0.0.0).
    /// </summary>
    public bool CanSend => Direction.Sends() && RemoteRtp is not null;
}

/// <summary>What changed between two successive negotiations of the same dialog (RFC 3264 §8).</summary>
[Flags]
public enum MediaChanges
{
    None = 0,

    /// <summary>The call went on hold: we must stop sending (<see cref="NegotiatedMedia.CanSend"/> became false).</summary>
    Hold = 1,

    /// <summary>The call came off hold: sending resumes.</summary>
    Resume = 2,

    /// <summary>RTP now goes to another address or port.</summary>
    RemoteAddress = 4,

    /// <summary>Another codec or payload type.</summary>
    Codec = 8,

    /// <summary>Telephone events appeared, disappeared or moved to another payload type.</summary>
    TelephoneEvent = 16,

    /// <summary>Direction or packet time changed in a way not covered above.</summary>
    Other = 32,
}

/// <summary>The outcome of answering an offer or accepting an answer.</summary>
public sealed class AnswerResult
{
    private AnswerResult(SessionDescription? answer, NegotiatedMedia? negotiated, string? reason, MediaChanges changes)
    {
        Answer = answer;
        Negotiated = negotiated;
        Reason = reason;
        Changes = changes;
    }

    [MemberNotNullWhen(true, nameof(Answer), nameof(Negotiated))]
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool Success => Negotiated is not null;

    /// <summary>The answer: ours when we answered an offer, the peer's when we accepted one.</summary>
    public SessionDescription? Answer { get; }

    public NegotiatedMedia? Negotiated { get; }

    /// <summary>Why negotiation failed; the caller answers 488 Not Acceptable Here (RFC 3261 §13.3.1.3).</summary>
    public string? Reason { get; }

    /// <summary>Set by <see cref="OfferAnswerSession"/> for re-offers; None for a first exchange.</summary>
    public MediaChanges Changes { get; }

    public static AnswerResult Succeeded(SessionDescription answer, NegotiatedMedia negotiated, MediaChanges changes = MediaChanges.None) =>
        new(answer, negotiated, null, changes);

    public static AnswerResult Failed(string reason) => new(null, null, reason, MediaChanges.None);

    public override string ToString() => Success ? $"ok: {Negotiated}" : $"failed: {Reason}";
}
