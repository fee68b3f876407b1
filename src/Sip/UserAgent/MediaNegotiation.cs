using System.Net;
using Telephony.Sip.Calls;
using Telephony.Sip.Message;
using Telephony.Sip.Sdp;

namespace Telephony.Sip.UserAgent;

/// <summary>
/// The SDP side of one UAS dialog (RFC 3264 via RFC 3261 §13.2.1 and §13.3.1.1): offer in the INVITE and
/// answer in the 2xx, or, for an INVITE without a body, our offer in the 2xx and the answer in the ACK;
/// re-offers in re-INVITE and UPDATE with the session version raised only when our description changed (§8).
/// </summary>
internal sealed class MediaNegotiation
{
    private readonly IRtpPortProvider _ports;
    private LocalMedia _local;
    private SessionDescription? _pendingOffer;
    private string _remoteSdp = "";
    private NegotiatedMedia? _negotiated;
    private int _released;

    public string LocalSdp { get; private set; } = "";
    public CallMedia? Current { get; private set; }

    private MediaNegotiation(IRtpPortProvider ports, LocalMedia local)
    {
        _ports = ports;
        _local = local;
    }

    /// <summary>Null with the status to answer (488, 503) when the INVITE cannot be served.</summary>
    public static MediaNegotiation? Start(SipRequest invite, IPAddress address, IRtpPortProvider ports, out int failStatus, out string? error)
    {
        failStatus = 0;
        if (ports.Acquire() is not { } port)
        {
            failStatus = 503;
            error = "no RTP port free";
            return null;
        }
        var session = new MediaNegotiation(ports, new LocalMedia { Address = address, RtpPort = port, Username = "telephony" });
        if (invite.Body.IsEmpty)
        {
            session.OfferNow();
            error = null;
            return session;
        }
        if (!session.AnswerOffer(invite.BodyText, out error))
        {
            session.Release();
            failStatus = 488;
            return null;
        }
        return session;
    }

    private void OfferNow()
    {
        _pendingOffer = OfferAnswer.CreateOffer(_local);
        SetLocal(_pendingOffer);
    }

    private bool AnswerOffer(string offerText, out string? error)
    {
        if (!SessionDescription.TryParse(offerText, out var offer, out error)) return false;
        var result = OfferAnswer.Answer(offer!, _local);
        if (!result.Success) { error = result.Reason; return false; }
        _remoteSdp = offerText;
        _negotiated = result.Negotiated;
        SetLocal(result.Answer);
        error = null;
        return true;
    }

    /// <summary>The ACK of a 2xx that carried our offer must carry the answer (§13.2.1); otherwise its body is ignored.</summary>
    public bool OnAck(SipRequest ack, out string? error)
    {
        error = null;
        if (_pendingOffer is null) return true;
        if (ack.Body.IsEmpty) { error = "ACK carries no SDP answer"; return false; }
        if (!SessionDescription.TryParse(ack.BodyText, out var answer, out error)) return false;
        var result = OfferAnswer.AcceptAnswer(_pendingOffer, answer!);
        if (!result.Success) { error = result.Reason; return false; }
        _pendingOffer = null;
        _remoteSdp = ack.BodyText;
        _negotiated = result.Negotiated;
        UpdateCurrent();
        return true;
    }

    /// <summary>A re-INVITE or UPDATE: answer its offer, or offer again when it has none.</summary>
    public bool OnReoffer(SipRequest request, out string? error)
    {
        error = null;
        if (request.Body.IsEmpty)
        {
            OfferNow();
            return true;
        }
        var previous = LocalSdp;
        var before = _local;
        if (!AnswerOffer(request.BodyText, out error)) { _local = before; return false; }
        return true;
    }

    /// <summary>§8 of RFC 3264: same o= version when nothing changed, version + 1 when it did.</summary>
    private void SetLocal(SessionDescription description)
    {
        var text = description.ToString();
        if (LocalSdp.Length > 0 && WithoutOrigin(text) != WithoutOrigin(LocalSdp))
        {
            _local = _local with { SessionVersion = _local.SessionVersion + 1 };
            description.Origin = description.Origin with { SessionVersion = _local.SessionVersion };
            text = description.ToString();
        }
        else if (LocalSdp.Length > 0)
        {
            description.Origin = description.Origin with { SessionVersion = _local.SessionVersion };
            text = description.ToString();
        }
        LocalSdp = text;
        UpdateCurrent();
    }

    private static string WithoutOrigin(string sdp) =>
        string.Join("\n", sdp.Split('\n').Where(l => !l.StartsWith("o=", StringComparison.Ordinal)));

    private void UpdateCurrent()
    {
        if (_negotiated is not { } n) { Current = null; return; }
        Current = new CallMedia(n.Codec.Name, n.Codec.PayloadType, n.Codec.ClockRate, n.TelephoneEventPayloadType,
            n.RemoteRtp, _local.RtpPort, !n.CanSend, LocalSdp, _remoteSdp);
    }

    public string Describe() => Current is { } c ? $"{c.Codec} to {c.RemoteRtp?.ToString() ?? "nowhere (hold)"}{(c.OnHold ? " on hold" : "")}" : "not negotiated";

    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) _ports.Release(_local.RtpPort);
    }
}
