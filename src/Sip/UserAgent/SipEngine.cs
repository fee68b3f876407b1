using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Sip.Calls;
using Telephony.Sip.Dialog;
using Telephony.Sip.Message;
using Telephony.Sip.Registrar;
using Telephony.Sip.Transaction;
using Telephony.Sip.Transport;

namespace Telephony.Sip.UserAgent;

/// <summary>
/// The SIP engine: transports, transactions, the UAS core (§8.2 checks, then INVITE dialogs, OPTIONS,
/// REGISTER, CANCEL and in-dialog requests routed to their dialog, 481 when there is none), the UAC core
/// for calls we place, and the call model the layers above use. Stopping it sends BYE on every call.
/// </summary>
public sealed partial class SipEngine : IAsyncDisposable
{
    private readonly ConcurrentDictionary<DialogId, InboundInviteSession> _inbound = new();
    private readonly ConcurrentDictionary<ServerTransaction, InboundInviteSession> _byInvite = new();
    private readonly UasRequestChecks _checks;
    private readonly IRtpPortProvider _ports;
    private int _stopping;

    public SipEngineOptions Options { get; }
    public TimeProvider Time { get; }
    internal ILogger Log { get; }
    public SipTransportLayer Transport { get; }
    public TransactionLayer Transactions { get; }
    internal SipTimerQueue Timers { get; }
    internal SipTimerOptions TimerOptions { get; }
    internal ISipSender Sender => Transport;
    public SipRegistrar? Registrar { get; }

    /// <summary>
    /// Called for every new inbound call, on the thread that received the INVITE: ring, answer, reject or hang
    /// up. It must not block: anything slow is awaited (the returned task may run on).
    /// </summary>
    public Func<SipCall, Task>? IncomingCall { get; set; }

    public IEnumerable<SipCall> ActiveCalls => _inbound.Values.Select(s => s.Call).Concat(_outbound.Values.Select(s => s.Call)).Distinct();

    public SipEngine(SipEngineOptions options, IRtpPortProvider ports, IAccountDirectory? accounts = null,
        TimeProvider? time = null, ILoggerFactory? logs = null, SipTimerOptions? timers = null)
    {
        Options = options;
        Time = time ?? TimeProvider.System;
        var factory = logs ?? NullLoggerFactory.Instance;
        Log = factory.CreateLogger("Telephony.Sip");
        _ports = ports;
        _checks = new UasRequestChecks(Time);
        TimerOptions = timers ?? new SipTimerOptions();
        Timers = new SipTimerQueue(Time, factory.CreateLogger("Telephony.Sip.Timers"));
        Transport = new SipTransportLayer(options.Transport, Time, factory.CreateLogger("Telephony.Sip.Transport"));
        Transactions = new TransactionLayer(Transport, Timers, TimerOptions, factory.CreateLogger("Telephony.Sip.Transaction"));
        if (accounts is not null) Registrar = new SipRegistrar(options, accounts, Time, factory.CreateLogger("Telephony.Sip.Registrar"));
        Transport.RequestReceived = Transactions.ReceiveRequest;
        Transport.ResponseReceived = Transactions.ReceiveResponse;
        Transactions.NewRequest = OnNewRequest;
        Transactions.AckReceived = OnAck;
        Transactions.StrayResponse = OnStrayResponse;
    }

    public void Start() => Transport.Start();

    private void OnNewRequest(ServerTransaction tx)
    {
        var request = tx.Request;
        try
        {
            if (Volatile.Read(ref _stopping) != 0 && request.Method == SipMethod.Invite && request.To?.Tag is null)
            {
                tx.Respond(SipMessageFactory.CreateResponse(request, 503, "Shutting Down"));
                return;
            }
            if (_checks.Check(request) is { } refusal)
            {
                AddServerHeaders(refusal);
                tx.Respond(refusal);
                return;
            }
            switch (request.Method)
            {
                case SipMethod.Options:
                    tx.Respond(CreateOptionsResponse(request));
                    return;
                case SipMethod.Register:
                    if (Registrar is null) tx.Respond(UasRequestChecks.WithAllow(SipMessageFactory.CreateResponse(request, 405)));
                    else tx.Respond(Registrar.Handle(request, tx.Remote));
                    return;
                case SipMethod.Cancel:
                    OnCancel(tx);
                    return;
            }
            if (request.To?.Tag is not null)
            {
                if (_inbound.TryGetValue(DialogId.ForIncoming(request), out var session)) session.OnRequest(tx);
                else if (FindOutbound(request) is { } outbound) outbound.OnRequest(tx);
                else tx.Respond(SipMessageFactory.CreateResponse(request, 481));
                return;
            }
            if (request.Method == SipMethod.Invite) OnNewInvite((InviteServerTransaction)tx);
            else tx.Respond(SipMessageFactory.CreateResponse(request, 481));
        }
        catch (Exception e)
        {
            Log.LogError(e, "Handling {Method} {CallId} failed", request.Method, request.CallId);
            if (tx.State is TransactionState.Trying or TransactionState.Proceeding)
                tx.Respond(SipMessageFactory.CreateResponse(request, 500));
        }
    }

    private void OnNewInvite(InviteServerTransaction tx)
    {
        var request = tx.Request;
        var localTag = SipMessageFactory.NewTag();
        var timerOutcome = SessionTimer.Negotiate(request, Options.SessionExpiresSeconds, Options.MinSessionExpiresSeconds, out var timer);
        if (timerOutcome == SessionTimer.Outcome.TooSmall)
        {
            var small = SipMessageFactory.CreateResponse(request, 422, toTag: localTag);
            small.Headers.Add(HeaderNames.MinSE, Options.MinSessionExpiresSeconds.ToString());
            tx.Respond(small);
            return;
        }
        var (host, _) = Transport.Advertised(tx.Remote.Transport, tx.Remote.EndPoint);
        var media = MediaNegotiation.Start(request, IPAddress.Parse(host.Trim('[', ']')), _ports, out var failStatus, out var error);
        if (media is null)
        {
            var refused = SipMessageFactory.CreateResponse(request, failStatus, toTag: localTag);
            if (failStatus == 488) refused.Headers.Add(HeaderNames.Warning, $"304 {Options.Domain} \"{error}\"");
            tx.Respond(refused);
            Log.LogInformation("Refused call {CallId} from {Caller}: {Status} {Reason}", request.CallId, request.From?.Uri.User, failStatus, error);
            return;
        }
        var dialog = SipDialog.FromInvite(request, localTag, tx.Remote);
        var call = new SipCall
        {
            CallId = request.CallId!, Direction = CallDirection.Inbound, From = request.From!, To = request.To!,
            Remote = tx.Remote, CreatedAt = Time.GetUtcNow(),
        };
        var session = new InboundInviteSession(this, tx, call, dialog, media, timer);
        call.SetMedia(media.Current ?? new CallMedia("", 0, 0, null, null, 0, false, media.LocalSdp, ""), notify: false);
        _inbound[dialog.Id] = session;
        _byInvite[tx] = session;
        // Looked up, not captured: the transaction lingers 64·T1 after the 2xx (RFC 6026 Accepted) and must
        // not keep an ended call's session alive that long.
        tx.Failed += (t, failure) => { if (_byInvite.TryGetValue((ServerTransaction)t, out var s)) s.OnInviteFailed(failure); };
        tx.Terminated += t => _byInvite.TryRemove(t, out _);
        Log.LogDebug("Incoming call {CallId} from {Caller} to {Callee} over {Transport}", call.CallId, call.Caller, call.Callee, tx.Remote.ToString());
        var handler = IncomingCall;
        if (handler is null)
        {
            session.Reject(480, "No Handler");
            return;
        }
        // Called inline on the receive thread: the handler must not block (it awaits), so a burst of calls
        // is not handed to the thread pool one by one.
        Task running;
        try { running = handler(call); }
        catch (Exception e) { running = Task.FromException(e); }
        if (!running.IsCompletedSuccessfully)
            running.ContinueWith(t =>
            {
                if (t.IsFaulted)
                {
                    Log.LogError(t.Exception, "Call handler failed for {CallId}", call.CallId);
                    session.Hangup(CallEndReason.LocalHangup);
                }
            }, TaskScheduler.Default);
    }

    private void OnCancel(ServerTransaction cancel)
    {
        var invite = Transactions.FindInviteForCancel(cancel.Request);
        if (invite is not null && _byInvite.TryGetValue(invite, out var session))
        {
            session.OnCancel(cancel);
            return;
        }
        // §9.2: a CANCEL that matches a transaction already answered finally "has no effect" but gets its 200
        // (the ended call's session is already gone).
        if (invite is not null && invite.LastResponse is { StatusCode: >= 200 })
        {
            cancel.Respond(SipMessageFactory.CreateResponse(cancel.Request, 200));
            return;
        }
        cancel.Respond(SipMessageFactory.CreateResponse(cancel.Request, 481));
    }

    private void OnAck(SipRequest ack, SipEndPoint source)
    {
        if (_inbound.TryGetValue(DialogId.ForIncoming(ack), out var session)) session.OnAck(ack);
    }

    internal void Forget(InboundInviteSession session, ServerTransaction invite)
    {
        _inbound.TryRemove(session.Dialog.Id, out _);
        _byInvite.TryRemove(invite, out _);
    }

    /// <summary>A response for a UAS dialog: tags, Contact on 18x/2xx to INVITE (§12.1.1), Server, and capabilities on 2xx.</summary>
    internal SipResponse CreateResponse(SipRequest request, int status, SipDialog dialog, string? reason = null)
    {
        var response = SipMessageFactory.CreateResponse(request, status, reason, dialog.LocalTag);
        if (request.Method is SipMethod.Invite or SipMethod.Update && status is > 100 and < 300)
        {
            response.Headers.Add(HeaderNames.Contact, ContactFor(dialog.Transport, dialog.SymmetricTarget?.EndPoint ?? new IPEndPoint(IPAddress.Loopback, 5060)));
            if (status >= 200)
            {
                response.Headers.Add(HeaderNames.Allow, Capabilities.Allow);
                response.Headers.Add(HeaderNames.Supported, Capabilities.Supported);
            }
        }
        AddServerHeaders(response);
        return response;
    }

    private SipResponse CreateOptionsResponse(SipRequest request)
    {
        var ok = SipMessageFactory.CreateResponse(request, 200, toTag: request.To?.Tag is null ? SipMessageFactory.NewTag() : null);
        ok.Headers.Add(HeaderNames.Allow, Capabilities.Allow);
        ok.Headers.Add(HeaderNames.Accept, Capabilities.Accept);
        ok.Headers.Add(HeaderNames.AcceptEncoding, "identity");
        ok.Headers.Add(HeaderNames.AcceptLanguage, "zh, en");
        ok.Headers.Add(HeaderNames.Supported, Capabilities.Supported);
        AddServerHeaders(ok);
        return ok;
    }

    private void AddServerHeaders(SipResponse response)
    {
        if (!response.Headers.Contains(HeaderNames.Server)) response.Headers.Add(HeaderNames.Server, Options.UserAgent);
    }

    /// <summary>Our Contact for a transport and peer: <c>&lt;sip:telephony@host:port;transport=tcp&gt;</c>.</summary>
    internal string ContactFor(SipTransportKind transport, IPEndPoint peer)
    {
        var (host, port) = Transport.Advertised(transport, peer);
        return $"<sip:telephony@{host}:{port}{(transport == SipTransportKind.Tcp ? ";transport=tcp" : "")}>";
    }

    /// <summary>Sends a request inside <paramref name="dialog"/> (adds Via, Contact for target refreshes, User-Agent).</summary>
    internal ClientTransaction? SendInDialog(SipDialog dialog, SipRequest request)
    {
        if (dialog.NextHop() is not { } hop)
        {
            Log.LogWarning("No route for {Method} in dialog {CallId}", request.Method, dialog.CallId);
            return null;
        }
        return SendRequest(request, hop);
    }

    internal ClientTransaction SendRequest(SipRequest request, SipEndPoint hop, Action<SipResponse>? responseReceived = null)
    {
        var (host, port) = Transport.Advertised(hop.Transport, hop.EndPoint);
        request.Headers.Prepend(HeaderNames.Via, $"SIP/2.0/{hop.ViaTransport} {host}:{port};branch={SipMessageFactory.NewBranch()};rport");
        if (request.Method is SipMethod.Invite or SipMethod.Update or SipMethod.Register or SipMethod.Options && !request.Headers.Contains(HeaderNames.Contact))
            request.Headers.Add(HeaderNames.Contact, ContactFor(hop.Transport, hop.EndPoint));
        request.Headers.Add(HeaderNames.UserAgent, Options.UserAgent);
        return Transactions.SendRequest(request, hop, responseReceived);
    }

    /// <summary>Graceful shutdown: new calls get 503, calls in progress a BYE (or 503 before the answer), then the sockets close.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0) return;
        var calls = ActiveCalls.ToList();
        if (calls.Count > 0) Log.LogInformation("Stopping: ending {Count} calls in progress", calls.Count);
        foreach (var s in _inbound.Values.ToList()) s.Hangup(CallEndReason.Shutdown);
        foreach (var s in _outbound.Values.ToList()) s.Hangup(CallEndReason.Shutdown);
        var deadline = Time.GetTimestamp();
        while (Transactions.Count > 0 && Time.GetElapsedTime(deadline) < (grace ?? TimeSpan.FromSeconds(2)))
            await Task.Delay(20);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Transactions.Dispose();
        Timers.Dispose();
        Transport.Dispose();
    }
}
