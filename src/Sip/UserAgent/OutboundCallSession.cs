using System.Net;
using Microsoft.Extensions.Logging;
using Telephony.Sip.Auth;
using Telephony.Sip.Calls;
using Telephony.Sip.Dialog;
using Telephony.Sip.Message;
using Telephony.Sip.Sdp;
using Telephony.Sip.Transaction;
using Telephony.Sip.Transport;

namespace Telephony.Sip.UserAgent;

/// <summary>Credentials our UAC answers a 401/407 challenge with (RFC 3261 §22.2).</summary>
public sealed record SipCredentials(string Username, string Password);

/// <summary>
/// The UAC side of one call (RFC 3261 §13.2, §9.1, §15.1.1, §22.2): INVITE with our SDP offer, digest retry on
/// 401/407, the dialog from the first 2xx (§12.1.2), ACK for every 2xx retransmission (§13.2.2.4), CANCEL
/// before the answer (only once a provisional arrived, §9.1), BYE after.
/// </summary>
internal sealed class OutboundCallSession : ICallControl
{
    private readonly SipEngine _engine;
    private readonly SipEndPoint _destination;
    private readonly SipCredentials? _credentials;
    private readonly LocalMedia _local;
    private readonly SessionDescription _offer;
    private readonly string _localTag = SipMessageFactory.NewTag();
    private readonly Lock _gate = new();
    private SipRequest _invite;
    private InviteClientTransaction? _tx;
    private SipDialog? _dialog;
    private SipRequest? _ack;
    private bool _provisional, _cancelWanted, _ended, _authTried;
    private uint _cseq = 1;

    public SipCall Call { get; }
    public SipDialog? Dialog => _dialog;

    public OutboundCallSession(SipEngine engine, SipUri target, SipEndPoint destination, NameAddress from, SipCredentials? credentials, int rtpPort, IPAddress mediaAddress, IEnumerable<KeyValuePair<string, string>>? headers)
    {
        _engine = engine;
        _destination = destination;
        _credentials = credentials;
        _local = new LocalMedia { Address = mediaAddress, RtpPort = rtpPort, Username = "telephony" };
        _offer = OfferAnswer.CreateOffer(_local);
        var fromTagged = from.WithTag(_localTag);
        var to = new NameAddress { Uri = target.With(dropHeaders: true) };
        Call = new SipCall
        {
            CallId = SipMessageFactory.NewCallId(from.Uri.Host.Trim('[', ']')), Direction = CallDirection.Outbound,
            From = fromTagged, To = to, Remote = destination, CreatedAt = engine.Time.GetUtcNow(),
        };
        Call.Control = this;
        _invite = BuildInvite(target, headers);
    }

    private SipRequest BuildInvite(SipUri target, IEnumerable<KeyValuePair<string, string>>? headers)
    {
        var invite = new SipRequest { Method = SipMethod.Invite, RequestUri = target.With(dropHeaders: true) };
        var h = invite.Headers;
        h.Add(HeaderNames.MaxForwards, "70");
        h.Add(HeaderNames.From, Call.From.ToString());
        h.Add(HeaderNames.To, Call.To.ToString());
        h.Add(HeaderNames.CallId, Call.CallId);
        h.Add(HeaderNames.CSeq, $"{_cseq} INVITE");
        h.Add(HeaderNames.Allow, Capabilities.Allow);
        h.Add(HeaderNames.Supported, Capabilities.Supported);
        if (headers is not null) foreach (var (name, value) in headers) h.Add(name, value);
        invite.SetBody("application/sdp", _offer.ToString());
        return invite;
    }

    public void Start() => Send(_invite);

    private void Send(SipRequest invite)
    {
        var tx = (InviteClientTransaction)_engine.SendRequest(invite, _destination);
        lock (_gate) _tx = tx;
        tx.ResponseReceived = r => OnResponse(tx, r);
        tx.Failed += (_, failure) =>
        {
            _engine.Log.LogWarning("Outbound call {CallId}: INVITE failed ({Failure})", Call.CallId, failure);
            End(CallEndReason.Timeout, failure == TransactionFailure.Timeout ? 408 : 503);
        };
    }

    private void OnResponse(InviteClientTransaction tx, SipResponse response)
    {
        if (response.StatusCode < 200)
        {
            bool cancelNow;
            lock (_gate)
            {
                if (tx != _tx) return;
                _provisional = true;
                cancelNow = _cancelWanted;
            }
            if (cancelNow) SendCancel();
            else if (response.StatusCode is 180 or 183) Call.SetRinging();
            return;
        }
        if (response.IsSuccess)
        {
            On2xx(response);
            return;
        }
        if (response.StatusCode is 401 or 407 && TryAuthenticate(response)) return;
        Call.FinalStatus = response.StatusCode;
        _engine.Log.LogInformation("Outbound call {CallId} to {Callee} got {Status}", Call.CallId, Call.Callee, response.StatusCode);
        End(response.StatusCode == 487 ? CallEndReason.Cancelled : CallEndReason.Declined, response.StatusCode);
    }

    /// <summary>§22.2: one retry per challenge, same Call-ID and From tag, CSeq + 1, the credentials added.</summary>
    private bool TryAuthenticate(SipResponse challenge)
    {
        lock (_gate)
        {
            if (_credentials is null || _authTried || _cancelWanted) return false;
            _authTried = true;
        }
        var header = challenge.StatusCode == 401 ? HeaderNames.WwwAuthenticate : HeaderNames.ProxyAuthenticate;
        var challenges = challenge.Headers.GetAll(header);
        DigestChallenge? chosen = null;
        foreach (var value in challenges)
            if (DigestChallenge.TryParse(value, out var c, out _) && (chosen is null || c!.Algorithm == DigestAlgorithm.Sha256))
                chosen = c;
        if (chosen is null) return false;
        var retry = new SipRequest { Method = SipMethod.Invite, RequestUri = _invite.RequestUri, Body = _invite.Body };
        foreach (var field in _invite.Headers)
            if (field.Name is not (HeaderNames.Via or HeaderNames.CSeq or HeaderNames.UserAgent or HeaderNames.Contact))
                retry.Headers.Add(field.Name, field.Value);
        _cseq++;
        retry.Headers.Set(HeaderNames.CSeq, $"{_cseq} INVITE");
        var credentials = DigestClient.Respond(chosen, SipMethod.Invite, _invite.RequestUri.ToString(), _credentials!.Username, _credentials.Password);
        retry.Headers.Add(challenge.StatusCode == 401 ? HeaderNames.Authorization : HeaderNames.ProxyAuthorization, credentials.ToHeaderValue());
        _invite = retry;
        Send(retry);
        return true;
    }

    private void On2xx(SipResponse response)
    {
        SipRequest ack;
        bool first;
        lock (_gate)
        {
            first = _dialog is null;
            if (first)
            {
                _dialog = new SipDialog
                {
                    CallId = Call.CallId, LocalTag = _localTag, RemoteTag = response.To?.Tag,
                    LocalAddress = Call.From, RemoteAddress = Call.To,
                    RemoteTarget = response.Contacts.FirstOrDefault()?.Uri ?? _invite.RequestUri,
                    // §12.1.2: the route set is the Record-Route of the 2xx in reverse order.
                    RouteSet = response.Headers.GetAll(HeaderNames.RecordRoute).Select(NameAddress.Parse).Reverse().ToList(),
                    Transport = _destination.Transport, SymmetricTarget = _destination, IsConfirmed = true,
                };
                _dialog.InitLocalSeq(_cseq);
                _engine.TrackOutbound(this);
                _ack = _dialog.CreateRequest(SipMethod.Ack, _cseq);
            }
            else if (response.To?.Tag != _dialog!.RemoteTag)
            {
                // A second 2xx from another fork: acknowledge it and end that dialog at once (§13.2.2.4).
                _engine.Log.LogInformation("Outbound call {CallId}: extra 2xx from a fork, sending ACK and BYE", Call.CallId);
                return;
            }
            ack = _ack!;
        }
        _engine.SendAck(ack, _dialog!);
        if (!first) return;
        if (SessionDescription.TryParse(response.BodyText, out var answer, out _) && OfferAnswer.AcceptAnswer(_offer, answer!) is { Success: true } accepted)
        {
            var n = accepted.Negotiated!;
            Call.SetMedia(new CallMedia(n.Codec.Name, n.Codec.PayloadType, n.Codec.ClockRate, n.TelephoneEventPayloadType, n.RemoteRtp,
                _local.RtpPort, !n.CanSend, _offer.ToString(), response.BodyText), notify: false);
        }
        Call.FinalStatus = response.StatusCode;
        bool hangup;
        lock (_gate) hangup = _cancelWanted;
        Call.SetAnswered(_engine.Time.GetUtcNow());
        if (hangup) Hangup(CallEndReason.LocalHangup);
    }

    /// <summary>A 2xx retransmission after the transaction ended: ACK it again (§13.2.2.4).</summary>
    public void OnStray2xx(SipResponse response)
    {
        SipRequest? ack;
        lock (_gate) ack = _ack;
        if (ack is not null && _dialog is not null) _engine.SendAck(ack, _dialog);
    }

    public void OnRequest(ServerTransaction tx)
    {
        var request = tx.Request;
        var ok = SipMessageFactory.CreateResponse(request, request.Method is SipMethod.Bye or SipMethod.Info or SipMethod.Update or SipMethod.Options ? 200 : 488);
        if (request.Method == SipMethod.Invite)
        {
            // A re-INVITE to our call: answer with the same description (hold/unhold on their side).
            ok = SipMessageFactory.CreateResponse(request, 200);
            ok.Headers.Add(HeaderNames.Contact, _engine.ContactFor(_destination.Transport, _destination.EndPoint));
            ok.SetBody("application/sdp", _offer.ToString());
        }
        tx.Respond(ok);
        if (request.Method == SipMethod.Bye) End(CallEndReason.RemoteHangup, null);
        else if (request.Method == SipMethod.Info) Call.RaiseInfo(request.ContentType, request.BodyText);
    }

    public void Ring() { }
    public void Answer() { }
    public void Reject(int statusCode, string? reason) => Hangup(CallEndReason.LocalHangup);

    public void Hangup(CallEndReason reason)
    {
        SipDialog? dialog;
        bool cancel;
        lock (_gate)
        {
            if (_ended) return;
            dialog = _dialog;
            cancel = dialog is null;
            if (cancel)
            {
                _cancelWanted = true;
                if (!_provisional) return; // §9.1: the CANCEL waits for a provisional response
            }
        }
        if (cancel) { SendCancel(); return; }
        _engine.SendInDialog(dialog!, dialog!.CreateRequest(SipMethod.Bye));
        End(reason, null);
    }

    private void SendCancel()
    {
        InviteClientTransaction? tx;
        lock (_gate) tx = _tx;
        if (tx is null || tx.State is not (TransactionState.Calling or TransactionState.Proceeding)) return;
        var cancel = tx.CreateCancel();
        _engine.Transactions.SendRequest(cancel, _destination);
    }

    private void End(CallEndReason reason, int? status)
    {
        lock (_gate)
        {
            if (_ended) return;
            _ended = true;
        }
        if (status is not null) Call.FinalStatus ??= status;
        _engine.ReleasePort(_local.RtpPort);
        _engine.ForgetOutbound(this);
        Call.SetEnded(reason, _engine.Time.GetUtcNow());
    }
}
