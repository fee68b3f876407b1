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
    private SipResponse? _networkFinal;
    // Dialogs we did not keep (another fork's 2xx, or a 2xx after the end), by To tag: their ACK is resent for each retransmission.
    private readonly Dictionary<string, (SipDialog Dialog, SipRequest Ack)> _forks = new();
    private bool _provisional, _cancelWanted, _cancelSent, _byeSent, _ended, _authTried;
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

    /// <summary>
    /// Starts the INVITE transaction. The response callback is installed before the first send (a fast 1xx or 2xx
    /// must not be missed), and every end of the transaction arrives through <see cref="ClientTransaction.FinalResponse"/>,
    /// including the 503 of a transport error on the very first send, which fails the transaction inside
    /// <c>SendRequest</c>, before any Failed handler could be attached.
    /// </summary>
    private void Send(SipRequest invite)
    {
        var cseq = invite.CSeq.Number;
        ClientTransaction sent;
        try
        {
            sent = _engine.SendRequest(invite, _destination, response => OnResponse(cseq, response));
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or ArgumentException)
        {
            _engine.Log.LogWarning(e, "Outbound call {CallId}: could not send the INVITE", Call.CallId);
            End(CallEndReason.Timeout, 503);
            return;
        }
        var tx = (InviteClientTransaction)sent;
        bool cancelNow;
        lock (_gate)
        {
            _tx = tx;
            // A 1xx may have come, and a Hangup asked for a CANCEL, before SendRequest returned.
            cancelNow = _cancelWanted && _provisional;
        }
        if (cancelNow) SendCancel();
        tx.FinalResponse.ContinueWith(t => OnFinal(cseq, t), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>Every response the network sent to the INVITE with CSeq <paramref name="cseq"/>: 1xx, each 2xx, the non-2xx final.</summary>
    private void OnResponse(uint cseq, SipResponse response)
    {
        if (response.IsSuccess)
        {
            On2xx(response);
            return;
        }
        bool cancelNow;
        lock (_gate)
        {
            if (cseq != _cseq) return; // the transaction a challenge ended
            if (!response.IsProvisional)
            {
                // Acted on in OnFinal; remembered so OnFinal can tell it from a response the transaction made up.
                _networkFinal = response;
                return;
            }
            _provisional = true;
            cancelNow = _cancelWanted;
        }
        if (cancelNow) SendCancel();
        else if (response.StatusCode is 180 or 183) Call.SetRinging();
    }

    /// <summary>The INVITE transaction's outcome: a non-2xx from the network, or 408/503 for a timeout or transport error.</summary>
    private void OnFinal(uint cseq, Task<SipResponse> outcome)
    {
        if (!outcome.IsCompletedSuccessfully)
        {
            End(CallEndReason.Shutdown, null); // the transaction layer shut down
            return;
        }
        var final = outcome.Result;
        if (final.IsSuccess) return; // the dialog was set up by On2xx
        bool fromNetwork, cancelled;
        lock (_gate)
        {
            if (cseq != _cseq) return;
            fromNetwork = ReferenceEquals(final, _networkFinal);
            cancelled = _cancelWanted;
        }
        if (!fromNetwork)
        {
            // §8.1.3.1: Timer B, the 64·T1 wait after a CANCEL (§9.1), or a transport error.
            _engine.Log.LogWarning("Outbound call {CallId}: INVITE failed ({Status})", Call.CallId, final.StatusCode);
            End(cancelled ? CallEndReason.Cancelled : CallEndReason.Timeout, final.StatusCode);
            return;
        }
        if (final.StatusCode is 401 or 407 && TryAuthenticate(final)) return;
        Call.FinalStatus = final.StatusCode;
        _engine.Log.LogInformation("Outbound call {CallId} to {Callee} got {Status}", Call.CallId, Call.Callee, final.StatusCode);
        End(final.StatusCode == 487 || cancelled ? CallEndReason.Cancelled : CallEndReason.Declined, final.StatusCode);
    }

    /// <summary>§22.2: one retry per call, same Call-ID and From tag, CSeq + 1, the credentials added.</summary>
    private bool TryAuthenticate(SipResponse challenge)
    {
        var header = challenge.StatusCode == 401 ? HeaderNames.WwwAuthenticate : HeaderNames.ProxyAuthenticate;
        // RFC 8760 §2.4: the topmost challenge whose algorithm we support.
        var chosen = DigestClient.ChooseChallenge(challenge.Headers.GetAll(header));
        SipRequest retry;
        lock (_gate)
        {
            if (_credentials is null || _authTried || _cancelWanted || _ended || chosen is null) return false;
            _authTried = true;
            retry = new SipRequest { Method = SipMethod.Invite, RequestUri = _invite.RequestUri, Body = _invite.Body };
            foreach (var field in _invite.Headers)
                if (field.Name is not (HeaderNames.Via or HeaderNames.CSeq or HeaderNames.UserAgent or HeaderNames.Contact))
                    retry.Headers.Add(field.Name, field.Value);
            _cseq++;
            retry.Headers.Set(HeaderNames.CSeq, $"{_cseq} INVITE");
            var credentials = DigestClient.Respond(chosen, SipMethod.Invite, _invite.RequestUri.ToString(), _credentials.Username, _credentials.Password);
            retry.Headers.Add(challenge.StatusCode == 401 ? HeaderNames.Authorization : HeaderNames.ProxyAuthorization, credentials.ToHeaderValue());
            _invite = retry;
            _tx = null;
            _provisional = false;
            _networkFinal = null;
        }
        Send(retry);
        return true;
    }

    /// <summary>
    /// A 2xx to our INVITE, from the transaction or stray after Timer M. The first sets up the dialog (§12.1.2)
    /// and answers the call; each 2xx gets its ACK (§13.2.2.4); a 2xx from another fork (another To tag), or one
    /// that comes after the call ended, is ACKed and its dialog ended at once with a BYE.
    /// </summary>
    private void On2xx(SipResponse response)
    {
        var tag = response.To?.Tag ?? "";
        SipRequest ack;
        SipDialog dialog;
        bool first = false, unwanted = false;
        lock (_gate)
        {
            if (response.CSeq.Number != _cseq) return;
            if (_dialog is not null && tag == _dialog.RemoteTag)
            {
                dialog = _dialog;
                ack = _ack!;
            }
            else if (_forks.TryGetValue(tag, out var fork))
            {
                (dialog, ack) = fork;
            }
            else
            {
                dialog = CreateDialog(response);
                ack = CreateAck(dialog);
                if (_dialog is null && !_ended)
                {
                    _dialog = dialog;
                    _ack = ack;
                    first = true;
                    _engine.TrackOutbound(this);
                }
                else
                {
                    _forks[tag] = (dialog, ack);
                    unwanted = true;
                }
            }
        }
        _engine.SendAck(ack, dialog);
        if (unwanted)
        {
            _engine.Log.LogInformation("Outbound call {CallId}: extra 2xx (To tag {Tag}), sent ACK and BYE", Call.CallId, tag);
            _engine.SendInDialog(dialog, dialog.CreateRequest(SipMethod.Bye));
            return;
        }
        if (!first) return;
        if (SessionDescription.TryParse(response.BodyText, out var answer, out _) && OfferAnswer.AcceptAnswer(_offer, answer!) is { Success: true } accepted)
        {
            var n = accepted.Negotiated!;
            Call.SetMedia(new CallMedia(n.Codec.Name, n.Codec.PayloadType, n.Codec.ClockRate, n.TelephoneEventPayloadType, n.RemoteRtp,
                _local.RtpPort, !n.CanSend, _offer.ToString(), response.BodyText), notify: false);
        }
        else _engine.Log.LogWarning("Outbound call {CallId}: the 2xx carries no usable SDP answer", Call.CallId);
        Call.FinalStatus = response.StatusCode;
        bool hangup;
        lock (_gate) hangup = _cancelWanted;
        Call.SetAnswered(_engine.Time.GetUtcNow());
        if (hangup) Hangup(CallEndReason.LocalHangup);
    }

    private SipDialog CreateDialog(SipResponse response)
    {
        var dialog = new SipDialog
        {
            CallId = Call.CallId, LocalTag = _localTag, RemoteTag = response.To?.Tag,
            LocalAddress = Call.From, RemoteAddress = Call.To,
            RemoteTarget = response.Contacts.FirstOrDefault()?.Uri ?? _invite.RequestUri,
            // §12.1.2: the route set is the Record-Route of the 2xx in reverse order.
            RouteSet = response.Headers.GetAll(HeaderNames.RecordRoute).Select(NameAddress.Parse).Reverse().ToList(),
            Transport = _destination.Transport, SymmetricTarget = _destination, IsConfirmed = true,
        };
        dialog.InitLocalSeq(_cseq);
        return dialog;
    }

    /// <summary>§13.2.2.4: built like an in-dialog request, with the INVITE's CSeq number and the INVITE's credentials.</summary>
    private SipRequest CreateAck(SipDialog dialog)
    {
        var ack = dialog.CreateRequest(SipMethod.Ack, _cseq);
        foreach (var name in (string[])[HeaderNames.Authorization, HeaderNames.ProxyAuthorization])
            foreach (var value in _invite.Headers.GetAll(name))
                ack.Headers.Add(name, value);
        return ack;
    }

    /// <summary>A 2xx retransmission after the transaction ended (Timer M): ACK it again (§13.2.2.4).</summary>
    public void OnStray2xx(SipResponse response) => On2xx(response);

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
        bool cancelNow = false;
        lock (_gate)
        {
            if (_ended || _byeSent) return;
            dialog = _dialog;
            if (dialog is null)
            {
                _cancelWanted = true;
                cancelNow = _provisional; // §9.1: otherwise the CANCEL waits for a provisional response
            }
            else _byeSent = true;
        }
        if (dialog is null)
        {
            if (cancelNow) SendCancel();
            return;
        }
        _engine.SendInDialog(dialog, dialog.CreateRequest(SipMethod.Bye));
        End(reason, null);
    }

    /// <summary>Sends the one CANCEL of this call, for the current INVITE transaction, once it is known.</summary>
    private void SendCancel()
    {
        InviteClientTransaction? tx;
        lock (_gate)
        {
            tx = _tx;
            if (tx is null || _cancelSent) return; // not yet known: Send() comes back here once it is
            _cancelSent = true;
        }
        if (tx.State is not (TransactionState.Calling or TransactionState.Proceeding)) return;
        var cancel = tx.CreateCancel();
        try
        {
            _engine.Transactions.SendRequest(cancel, _destination);
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            _engine.Log.LogWarning(e, "Outbound call {CallId}: could not send the CANCEL", Call.CallId);
        }
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
