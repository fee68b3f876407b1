using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Sip.Message;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Transaction;

/// <summary>
/// The transaction layer of RFC 3261 §17: between the transports, which hand it every parsed message, and the
/// transaction user (UA core, dialogs). It files live transactions by the matching rules of §17.1.3 and
/// §17.2.3, creates a server transaction for each new request (§17.2), starts client transactions for the TU
/// (§17.1), and passes up what belongs to no transaction: the ACK for a 2xx (§13.3.1.4, §17.1.1.3) and
/// responses that match nothing (§18.1.2).
/// <para>
/// Thread-safe: the layer's lock guards only its tables and is never held while a transaction or the TU runs;
/// a transaction may take the layer's lock (to leave the tables) while holding its own, never the reverse.
/// </para>
/// </summary>
public sealed class TransactionLayer : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ServerTransaction> _servers = new(StringComparer.Ordinal);
    // RFC 2543 server transactions have no unique key; they are grouped by Call-ID and compared field by field.
    private readonly Dictionary<string, List<ServerTransaction>> _legacyServers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClientTransaction> _clients = new(StringComparer.Ordinal);
    private int _count;
    private bool _disposed;

    public TransactionLayer(ISipSender sender, SipTimerQueue timers, SipTimerOptions? options = null, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(timers);
        Sender = sender;
        TimerQueue = timers;
        Options = options ?? new SipTimerOptions();
        Options.Validate();
        Log = log ?? NullLogger.Instance;
    }

    /// <summary>Raised for a request that starts a new server transaction (not for retransmissions, not for ACK).</summary>
    public Action<ServerTransaction>? NewRequest { get; set; }

    /// <summary>An ACK that no server transaction absorbs: the ACK for a 2xx, including one matching an INVITE server transaction in Accepted (RFC 6026).</summary>
    public Action<SipRequest, SipEndPoint>? AckReceived { get; set; }

    /// <summary>A response that matches no live client transaction (e.g. a 2xx retransmission after Timer M: §13.2.2.4, ACK it again).</summary>
    public Action<SipResponse, SipEndPoint>? StrayResponse { get; set; }

    /// <summary>Live transactions, client and server.</summary>
    public int Count
    {
        get { lock (_gate) return _count; }
    }

    internal ISipSender Sender { get; }
    internal SipTimerQueue TimerQueue { get; }
    internal SipTimerOptions Options { get; }
    internal ILogger Log { get; }

    public void ReceiveRequest(SipRequest request, SipEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.TopVia is null)
        {
            Log.LogDebug("SIP request {StartLine} from {Remote} has no Via; dropped", request.StartLine, remote);
            return;
        }
        if (request.Method == SipMethod.Ack)
        {
            ReceiveAck(request, remote);
            return;
        }
        while (true)
        {
            ServerTransaction? existing, created = null;
            lock (_gate)
            {
                if (_disposed) return;
                existing = FindServer(request, ServerTransactionMatching.Purpose.Retransmission);
                if (existing is null)
                {
                    created = CreateServer(request, remote);
                    AddServer(created);
                }
            }
            if (created is not null)
            {
                Announce(created);
                return;
            }
            // False only when the match terminated between the lookup and now (and has left the table): retry,
            // which files the request as new.
            if (existing!.Retransmitted(request)) return;
        }
    }

    public void ReceiveResponse(SipResponse response, SipEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(response);
        ClientTransaction? transaction = null;
        if (ClientTransactionMatching.KeyOf(response) is { } key)
            lock (_gate) _clients.TryGetValue(key, out transaction);
        if (transaction is not null && transaction.Received(response)) return;
        var stray = StrayResponse;
        if (stray is null)
        {
            Log.LogDebug("SIP response {StartLine} from {Remote} matches no transaction; dropped", response.StartLine, remote);
            return;
        }
        Invoke(() => stray(response, remote), "StrayResponse");
    }

    /// <summary>
    /// Starts a client transaction: sends <paramref name="request"/> as it is (the caller has put the top Via with
    /// a fresh branch) to <paramref name="destination"/>. <paramref name="responseReceived"/> is installed before the
    /// first send, so a response racing the return of this method is not missed.
    /// </summary>
    public ClientTransaction SendRequest(SipRequest request, SipEndPoint destination, Action<SipResponse>? responseReceived = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method == SipMethod.Ack)
            throw new ArgumentException("an ACK is not a transaction: the client transaction sends the ACK for a non-2xx, the TU sends the ACK for a 2xx through the transport", nameof(request));
        var key = ClientTransactionMatching.KeyOf(request)
            ?? throw new ArgumentException("the request's top Via needs a branch parameter (§8.1.1.7)", nameof(request));
        ClientTransaction transaction = request.Method == SipMethod.Invite
            ? new InviteClientTransaction(this, request, destination) { Key = key }
            : new NonInviteClientTransaction(this, request, destination) { Key = key };
        transaction.ResponseReceived = responseReceived;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_clients.TryAdd(key, transaction))
                throw new InvalidOperationException($"a {request.Method} client transaction with branch {request.TopVia!.Branch} is already running");
            _count++;
        }
        transaction.Start();
        return transaction;
    }

    /// <summary>The INVITE server transaction a CANCEL targets (§9.2): same branch and sent-by (or, for RFC 2543, same fields), method INVITE.</summary>
    public InviteServerTransaction? FindInviteForCancel(SipRequest cancel)
    {
        ArgumentNullException.ThrowIfNull(cancel);
        lock (_gate)
        {
            if (ServerTransactionMatching.IsLegacy(cancel))
                return FindLegacy(cancel, ServerTransactionMatching.Purpose.Cancel) as InviteServerTransaction;
            var key = ServerTransactionMatching.KeyOf(cancel, SipMethod.Invite)!;
            return _servers.TryGetValue(key, out var found) ? found as InviteServerTransaction : null;
        }
    }

    private void ReceiveAck(SipRequest ack, SipEndPoint remote)
    {
        InviteServerTransaction? transaction;
        lock (_gate)
        {
            if (_disposed) return;
            transaction = FindServer(ack, ServerTransactionMatching.Purpose.Ack) as InviteServerTransaction;
        }
        // Absorbed: the ACK for our non-2xx (§17.2.1). Otherwise the TU's: the ACK for a 2xx.
        if (transaction is not null && transaction.Acknowledged(ack)) return;
        var handler = AckReceived;
        if (handler is null)
        {
            Log.LogDebug("SIP ACK from {Remote} for no transaction and no TU; dropped", remote);
            return;
        }
        Invoke(() => handler(ack, remote), "AckReceived");
    }

    private ServerTransaction CreateServer(SipRequest request, SipEndPoint remote)
    {
        var key = ServerTransactionMatching.KeyOf(request);
        return request.Method == SipMethod.Invite
            ? new InviteServerTransaction(this, request, remote) { Key = key }
            : new NonInviteServerTransaction(this, request, remote) { Key = key };
    }

    /// <summary>Hands a new server transaction to the TU; without a TU, or when it throws, answers for it so the transaction still ends.</summary>
    private void Announce(ServerTransaction transaction)
    {
        var handler = NewRequest;
        if (handler is null)
        {
            Log.LogWarning("SIP {Method} arrived with no transaction user; answering 503", transaction.Request.Method);
            transaction.Respond(SipMessageFactory.CreateResponse(transaction.Request, 503));
        }
        else if (!Invoke(() => handler(transaction), "NewRequest") && transaction.LastResponse is not { IsProvisional: false })
        {
            transaction.Respond(SipMessageFactory.CreateResponse(transaction.Request, 500));
        }
        transaction.Started();
    }

    private bool Invoke(Action callback, string name)
    {
        try
        {
            callback();
            return true;
        }
        catch (Exception e)
        {
            Log.LogError(e, "SIP transaction user threw in {Callback}", name);
            return false;
        }
    }

    private ServerTransaction? FindServer(SipRequest request, ServerTransactionMatching.Purpose purpose)
    {
        if (ServerTransactionMatching.IsLegacy(request)) return FindLegacy(request, purpose);
        return _servers.GetValueOrDefault(ServerTransactionMatching.KeyOf(request)!);
    }

    private ServerTransaction? FindLegacy(SipRequest request, ServerTransactionMatching.Purpose purpose)
    {
        if (request.CallId is not { } callId || !_legacyServers.TryGetValue(callId, out var candidates)) return null;
        foreach (var candidate in candidates)
            if (ServerTransactionMatching.MatchesLegacy(candidate, request, purpose)) return candidate;
        return null;
    }

    private void AddServer(ServerTransaction transaction)
    {
        if (transaction.Key is { } key) _servers.Add(key, transaction);
        else
        {
            var callId = transaction.Request.CallId ?? "";
            if (!_legacyServers.TryGetValue(callId, out var list)) _legacyServers[callId] = list = new List<ServerTransaction>(1);
            list.Add(transaction);
        }
        _count++;
    }

    /// <summary>Called by a transaction entering Terminated (under its own lock).</summary>
    internal void Remove(SipTransaction transaction)
    {
        lock (_gate)
        {
            var removed = transaction switch
            {
                ClientTransaction c => RemoveIfSame(_clients, c.Key!, c),
                ServerTransaction { Key: { } key } s => RemoveIfSame(_servers, key, s),
                ServerTransaction s => RemoveLegacy(s),
                _ => false,
            };
            if (removed) _count--;
        }
    }

    private static bool RemoveIfSame<T>(Dictionary<string, T> table, string key, T transaction) where T : class =>
        table.TryGetValue(key, out var filed) && ReferenceEquals(filed, transaction) && table.Remove(key);

    private bool RemoveLegacy(ServerTransaction transaction)
    {
        var callId = transaction.Request.CallId ?? "";
        if (!_legacyServers.TryGetValue(callId, out var list) || !list.Remove(transaction)) return false;
        if (list.Count == 0) _legacyServers.Remove(callId);
        return true;
    }

    /// <summary>Stops every transaction without telling the TU (pending FinalResponse tasks are cancelled). The timer queue is the caller's.</summary>
    public void Dispose()
    {
        List<SipTransaction> all;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            all = [.. _clients.Values, .. _servers.Values, .. _legacyServers.Values.SelectMany(l => l)];
            _clients.Clear();
            _servers.Clear();
            _legacyServers.Clear();
            _count = 0;
        }
        foreach (var transaction in all) transaction.Abort();
    }
}
