using Microsoft.Extensions.Logging;
using Telephony.Sip.Calls;
using Telephony.Sip.Dialog;
using Telephony.Sip.Message;
using Telephony.Sip.Transaction;
using Telephony.Sip.Transport;

namespace Telephony.Sip.UserAgent;

/// <summary>
/// The UAS side of one INVITE dialog (RFC 3261 §13.3, §14.2, §15.1.2, §9.2; RFC 4028): 180 and 200 with the
/// SDP answer (or offer, when the INVITE had none), the 2xx retransmitted until the ACK arrives and BYE
/// when it never does (§13.3.1.4), CANCEL before the answer (487), BYE, re-INVITE and UPDATE (hold,
/// unhold, new media address, session refresh), INFO, and the session timer.
/// </summary>
internal sealed class InboundInviteSession : ICallControl
{
    private enum Phase { Offering, Early, AwaitingAck, Confirmed, Ended }

    private readonly SipEngine _engine;
    private readonly InviteServerTransaction _invite;
    private readonly Lock _gate = new();
    private readonly MediaNegotiation _media;
    private Phase _phase = Phase.Offering;
    private SessionTimer? _sessionTimer;
    private TimerHandle? _retransmit;
    private TimerHandle? _sessionDeadline;
    private SipResponse? _pending2xx;
    private uint _pending2xxCSeq;
    private InviteServerTransaction? _reinvite;

    public SipCall Call { get; }
    public SipDialog Dialog { get; }

    public InboundInviteSession(SipEngine engine, InviteServerTransaction invite, SipCall call, SipDialog dialog, MediaNegotiation media, SessionTimer? sessionTimer)
    {
        _engine = engine;
        _invite = invite;
        _media = media;
        _sessionTimer = sessionTimer;
        Call = call;
        Dialog = dialog;
        call.Control = this;
    }

    private ILogger Log => _engine.Log;

    public void Ring()
    {
        lock (_gate)
        {
            if (_phase is not (Phase.Offering or Phase.Early)) return;
            var ringing = _engine.CreateResponse(_invite.Request, 180, Dialog);
            _invite.Respond(ringing);
            _phase = Phase.Early;
        }
        Call.SetRinging();
    }

    public void Answer()
    {
        lock (_gate)
        {
            if (_phase is not (Phase.Offering or Phase.Early)) return;
            var ok = _engine.CreateResponse(_invite.Request, 200, Dialog);
            ok.SetBody("application/sdp", _media.LocalSdp);
            _sessionTimer?.Apply(ok);
            _invite.Respond(ok);
            Call.FinalStatus = 200;
            _phase = Phase.AwaitingAck;
            Start2xxRetransmission(ok, _invite.Request.CSeq.Number);
        }
        Log.LogDebug("Answered call {CallId} from {Caller}", Call.CallId, Call.Caller);
    }

    public void Reject(int statusCode, string? reason)
    {
        lock (_gate)
        {
            if (_phase is not (Phase.Offering or Phase.Early)) return;
            _invite.Respond(_engine.CreateResponse(_invite.Request, statusCode, Dialog, reason));
            Call.FinalStatus = statusCode;
        }
        End(CallEndReason.Rejected);
    }

    public void Hangup(CallEndReason reason)
    {
        bool bye;
        lock (_gate)
        {
            switch (_phase)
            {
                case Phase.Offering or Phase.Early:
                    _invite.Respond(_engine.CreateResponse(_invite.Request, reason == CallEndReason.Shutdown ? 503 : 480, Dialog));
                    bye = false;
                    break;
                case Phase.AwaitingAck or Phase.Confirmed:
                    bye = true;
                    break;
                default:
                    return;
            }
        }
        if (bye) SendBye();
        End(reason);
    }

    /// <summary>§13.3.1.4: the 2xx is retransmitted at T1, 2·T1... capped at T2, until the ACK or 64·T1.</summary>
    private void Start2xxRetransmission(SipResponse ok, uint cseq)
    {
        _pending2xx = ok;
        _pending2xxCSeq = cseq;
        var t1 = _engine.TimerOptions.T1;
        var started = _engine.Time.GetTimestamp();
        var interval = t1;
        void Tick()
        {
            lock (_gate)
            {
                if (_pending2xx is null || _phase == Phase.Ended) return;
                if (_engine.Time.GetElapsedTime(started) >= 64 * t1)
                {
                    _pending2xx = null;
                }
                else
                {
                    if (!_invite.Remote.IsReliable) _engine.Sender.Send(ok, _invite.Remote);
                    interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, _engine.TimerOptions.T2.Ticks));
                    var remaining = 64 * t1 - _engine.Time.GetElapsedTime(started);
                    _retransmit = _engine.Timers.Schedule(interval < remaining ? interval : remaining, Tick);
                    return;
                }
            }
            Log.LogWarning("Call {CallId}: the 2xx was never acknowledged; ending it with BYE", Call.CallId);
            SendBye();
            End(CallEndReason.NoAck);
        }
        _retransmit = _engine.Timers.Schedule(interval, Tick);
    }

    /// <summary>The ACK for our 2xx (it reaches the TU, not the transaction: §13.3.1.4, §17.1.1.3).</summary>
    public void OnAck(SipRequest ack)
    {
        bool answered;
        lock (_gate)
        {
            if (_pending2xx is null || ack.CSeq.Number != _pending2xxCSeq) return; // retransmitted ACK
            _pending2xx = null;
            _retransmit?.Cancel();
            if (!_media.OnAck(ack, out var error))
            {
                Log.LogWarning("Call {CallId}: ACK without a usable SDP answer ({Error}); ending it", Call.CallId, error);
                answered = false;
            }
            else answered = true;
            if (answered)
            {
                var first = _phase == Phase.AwaitingAck;
                _phase = Phase.Confirmed;
                Dialog.IsConfirmed = true;
                Call.SetMedia(_media.Current!, notify: !first);
                ArmSessionTimer();
                if (!first) return;
            }
        }
        if (!answered)
        {
            SendBye();
            End(CallEndReason.LocalHangup);
            return;
        }
        Call.SetAnswered(_engine.Time.GetUtcNow());
    }

    /// <summary>§9.2: 200 to the CANCEL; 487 to the INVITE if it had no final response yet.</summary>
    public void OnCancel(ServerTransaction cancel)
    {
        bool ended;
        lock (_gate)
        {
            cancel.Respond(SipMessageFactory.CreateResponse(cancel.Request, 200, toTag: Dialog.LocalTag));
            ended = _phase is Phase.Offering or Phase.Early;
            if (ended)
            {
                _invite.Respond(_engine.CreateResponse(_invite.Request, 487, Dialog));
                Call.FinalStatus = 487;
            }
        }
        if (ended) End(CallEndReason.Cancelled);
    }

    /// <summary>A request inside this dialog (§12.2.2): BYE, re-INVITE, UPDATE, INFO, OPTIONS.</summary>
    public void OnRequest(ServerTransaction tx)
    {
        var request = tx.Request;
        lock (_gate)
        {
            if (Dialog.RemoteSeq is { } last && request.CSeq.Number <= last && request.Method != SipMethod.Ack)
            {
                // §12.2.2: out of order. A retransmission would have been absorbed by its transaction.
                tx.Respond(_engine.CreateResponse(request, 500, Dialog, "Out Of Order CSeq"));
                return;
            }
            Dialog.RemoteSeq = request.CSeq.Number;
            if (request.Contacts.FirstOrDefault() is { } contact && request.Method is SipMethod.Invite or SipMethod.Update)
                Dialog.RemoteTarget = contact.Uri; // §12.2.2: a target refresh
        }
        switch (request.Method)
        {
            case SipMethod.Bye: OnBye(tx); break;
            case SipMethod.Invite: OnReinvite((InviteServerTransaction)tx); break;
            case SipMethod.Update: OnUpdate(tx); break;
            case SipMethod.Info:
                tx.Respond(_engine.CreateResponse(request, 200, Dialog));
                Call.RaiseInfo(request.ContentType, request.BodyText);
                break;
            default:
                tx.Respond(UasRequestChecks.WithAllow(_engine.CreateResponse(request, request.Method == SipMethod.Options ? 200 : 405, Dialog)));
                break;
        }
    }

    private void OnBye(ServerTransaction bye)
    {
        lock (_gate)
        {
            bye.Respond(_engine.CreateResponse(bye.Request, 200, Dialog));
            // §15.1.2: a BYE in the early dialog also ends the INVITE with 487.
            if (_phase is Phase.Offering or Phase.Early) _invite.Respond(_engine.CreateResponse(_invite.Request, 487, Dialog));
        }
        End(CallEndReason.RemoteHangup);
    }

    /// <summary>§14.2: a re-INVITE (hold, unhold, new address, session refresh); 491/500 when one is in progress.</summary>
    private void OnReinvite(InviteServerTransaction tx)
    {
        lock (_gate)
        {
            if (_phase == Phase.AwaitingAck || _pending2xx is not null)
            {
                var busy = _engine.CreateResponse(tx.Request, 500, Dialog, "Previous INVITE Not Acknowledged");
                busy.Headers.Add(HeaderNames.RetryAfter, Random.Shared.Next(0, 10).ToString());
                tx.Respond(busy);
                return;
            }
            if (_reinvite is { State: TransactionState.Proceeding })
            {
                tx.Respond(_engine.CreateResponse(tx.Request, 491, Dialog));
                return;
            }
            if (_phase != Phase.Confirmed)
            {
                tx.Respond(_engine.CreateResponse(tx.Request, 491, Dialog));
                return;
            }
            if (!_media.OnReoffer(tx.Request, out var error))
            {
                var refused = _engine.CreateResponse(tx.Request, 488, Dialog);
                refused.Headers.Add(HeaderNames.Warning, $"304 {_engine.Options.Domain} \"{error}\"");
                tx.Respond(refused);
                return;
            }
            _reinvite = tx;
            if (SessionTimer.Negotiate(tx.Request, _engine.Options.SessionExpiresSeconds, _engine.Options.MinSessionExpiresSeconds, out var timer) == SessionTimer.Outcome.TooSmall)
            {
                var small = _engine.CreateResponse(tx.Request, 422, Dialog);
                small.Headers.Add(HeaderNames.MinSE, _engine.Options.MinSessionExpiresSeconds.ToString());
                tx.Respond(small);
                return;
            }
            if (timer is not null) _sessionTimer = timer;
            var ok = _engine.CreateResponse(tx.Request, 200, Dialog);
            ok.SetBody("application/sdp", _media.LocalSdp);
            _sessionTimer?.Apply(ok);
            tx.Respond(ok);
            Start2xxRetransmission(ok, tx.Request.CSeq.Number);
        }
        Log.LogInformation("Call {CallId}: re-INVITE, media now {Media}", Call.CallId, _media.Describe());
    }

    /// <summary>RFC 3311 UPDATE: a session refresh (RFC 4028 §7.4), optionally with a new offer.</summary>
    private void OnUpdate(ServerTransaction tx)
    {
        lock (_gate)
        {
            var ok = _engine.CreateResponse(tx.Request, 200, Dialog);
            if (!tx.Request.Body.IsEmpty)
            {
                if (!_media.OnReoffer(tx.Request, out var error))
                {
                    tx.Respond(_engine.CreateResponse(tx.Request, 488, Dialog, error));
                    return;
                }
                ok.SetBody("application/sdp", _media.LocalSdp);
                Call.SetMedia(_media.Current!, notify: true);
            }
            if (SessionTimer.Negotiate(tx.Request, _engine.Options.SessionExpiresSeconds, _engine.Options.MinSessionExpiresSeconds, out var timer) == SessionTimer.Outcome.Use)
                _sessionTimer = timer;
            _sessionTimer?.Apply(ok);
            tx.Respond(ok);
            ArmSessionTimer();
        }
    }

    /// <summary>RFC 4028 §10: when the peer refreshes, wait for it; when we refresh, send UPDATE at half time.</summary>
    private void ArmSessionTimer()
    {
        _sessionDeadline?.Cancel();
        if (_sessionTimer is not { } timer) return;
        if (timer.WeRefresh)
            _sessionDeadline = _engine.Timers.Schedule(timer.RefreshAfter, SendRefresh);
        else
            _sessionDeadline = _engine.Timers.Schedule(timer.ExpireAfter, () =>
            {
                Log.LogWarning("Call {CallId}: no session refresh within {Interval} s; ending it", Call.CallId, timer.IntervalSeconds);
                SendBye();
                End(CallEndReason.SessionExpired);
            });
    }

    private void SendRefresh()
    {
        if (_phase != Phase.Confirmed) return;
        var update = Dialog.CreateRequest(SipMethod.Update);
        update.Headers.Add(HeaderNames.SessionExpires, $"{_sessionTimer!.IntervalSeconds};refresher=uas");
        update.Headers.Add(HeaderNames.Supported, "timer");
        var tx = _engine.SendInDialog(Dialog, update);
        if (tx is null) return;
        tx.FinalResponse.ContinueWith(t =>
        {
            if (t.Result.IsSuccess) { lock (_gate) ArmSessionTimer(); }
            else if (t.Result.StatusCode is 408 or 481)
            {
                Log.LogWarning("Call {CallId}: session refresh failed with {Status}; ending it", Call.CallId, t.Result.StatusCode);
                SendBye();
                End(CallEndReason.SessionExpired);
            }
            else { lock (_gate) ArmSessionTimer(); }
        }, TaskScheduler.Default);
    }

    private void SendBye()
    {
        var bye = Dialog.CreateRequest(SipMethod.Bye);
        _engine.SendInDialog(Dialog, bye);
    }

    private void End(CallEndReason reason)
    {
        lock (_gate)
        {
            if (_phase == Phase.Ended) return;
            _phase = Phase.Ended;
            _retransmit?.Cancel();
            _sessionDeadline?.Cancel();
            _pending2xx = null;
        }
        _media.Release();
        _engine.Forget(this, _invite);
        if (Call.SetEnded(reason, _engine.Time.GetUtcNow()))
            // The one call-log line per call (the start is at Debug): who, to whom, over what, how it ended.
            Log.LogInformation("Call {CallId} from {Caller} to {Callee} over {Transport} ended: {Reason} after {Seconds:F1} s answered",
                Call.CallId, Call.Caller, Call.Callee, Call.Remote.ToString(), reason, Call.AnsweredAt is { } at ? (Call.EndedAt!.Value - at).TotalSeconds : 0);
    }

    /// <summary>The INVITE transaction timed out or failed before an answer (no ACK for our non-2xx is harmless).</summary>
    public void OnInviteFailed(TransactionFailure failure)
    {
        if (failure == TransactionFailure.TransportError && _phase is Phase.Offering or Phase.Early) End(CallEndReason.Timeout);
    }
}
