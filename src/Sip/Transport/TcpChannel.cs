using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Telephony.Sip.Message;

namespace Telephony.Sip.Transport;

/// <summary>
/// A TCP listening point and the connections of its address family (RFC 3261 §18.1.1, §18.2.2, §18.3):
/// accepted and outbound connections share one table keyed by the peer's address, so a response or a
/// later request to the same peer reuses the connection. Caps connections per source address; idle
/// connections close after the configured timeout.
/// </summary>
internal sealed class TcpChannel : IDisposable
{
    private readonly Socket _listener;
    private readonly ILogger _log;
    private readonly SipTransportOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<IPEndPoint, TcpConnection> _connections = new();
    private readonly ConcurrentDictionary<IPAddress, int> _perSource = new();
    private readonly CancellationTokenSource _stop = new();
    private Action<ReadOnlyMemory<byte>, TcpConnection>? _onMessage;
    private Task? _acceptLoop;

    public ListenPoint ListenPoint { get; }
    public int ConnectionCount => _connections.Count;

    public TcpChannel(ListenPoint listen, SipTransportOptions options, TimeProvider time, ILogger log)
    {
        _options = options;
        _time = time;
        _log = log;
        _listener = new Socket(listen.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (listen.EndPoint.AddressFamily == AddressFamily.InterNetworkV6) _listener.DualMode = false;
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(listen.EndPoint);
        _listener.Listen(512);
        ListenPoint = listen with { EndPoint = (IPEndPoint)_listener.LocalEndPoint! };
    }

    public void Start(Action<ReadOnlyMemory<byte>, TcpConnection> onMessage)
    {
        _onMessage = onMessage;
        _acceptLoop = Task.Run(AcceptLoop);
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptAsync(_stop.Token); }
            catch (OperationCanceledException) { break; }
            catch (ObjectDisposedException) { break; }
            catch (SocketException) { continue; }
            var remote = (IPEndPoint)socket.RemoteEndPoint!;
            if (!TryReserve(remote.Address))
            {
                _log.LogWarning("Refused TCP connection from {Source}: over {Max} connections from one address", remote.Address, _options.MaxTcpConnectionsPerSource);
                socket.Dispose();
                continue;
            }
            Adopt(new TcpConnection(socket, _options.MaxMessageBytes, _options.TcpSendTimeout, _log, Now()));
        }
    }

    private bool TryReserve(IPAddress source)
    {
        while (true)
        {
            var count = _perSource.GetOrAdd(source, 0);
            if (count >= _options.MaxTcpConnectionsPerSource) return false;
            if (_perSource.TryUpdate(source, count + 1, count)) return true;
        }
    }

    private void Release(IPAddress source) => _perSource.AddOrUpdate(source, 0, (_, c) => Math.Max(0, c - 1));

    private void Adopt(TcpConnection connection)
    {
        _connections[connection.Remote] = connection;
        connection.Closed += c =>
        {
            _connections.TryRemove(new KeyValuePair<IPEndPoint, TcpConnection>(c.Remote, c));
            Release(c.Remote.Address);
        };
        _ = connection.RunAsync(_onMessage!, Now);
    }

    private long Now() => _time.GetTimestamp();

    /// <summary>Sends on the connection to <paramref name="destination"/>, opening one if there is none (§18.1.1).</summary>
    public bool Send(SipMessage message, IPEndPoint destination, bool mayConnect)
    {
        if (_connections.TryGetValue(destination, out var existing) && !existing.IsClosed && existing.Send(message)) return true;
        if (!mayConnect) return false;
        var connection = Connect(destination);
        return connection is not null && connection.Send(message);
    }

    private TcpConnection? Connect(IPEndPoint destination)
    {
        if (!TryReserve(destination.Address)) return null;
        var socket = new Socket(destination.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            socket.ConnectAsync(destination, timeout.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            _log.LogWarning("TCP connect to {Destination} failed: {Error}", destination, e.Message);
            socket.Dispose();
            Release(destination.Address);
            return null;
        }
        var connection = new TcpConnection(socket, _options.MaxMessageBytes, _options.TcpSendTimeout, _log, Now());
        Adopt(connection);
        return connection;
    }

    /// <summary>
    /// Closes connections idle for longer than the idle timeout, and those holding an incomplete message for longer
    /// than the message timeout (called by the layer's sweep).
    /// </summary>
    public void CloseIdle()
    {
        var limit = _options.TcpIdleTimeout;
        foreach (var c in _connections.Values)
        {
            if (_time.GetElapsedTime(c.LastActivityTicks) > limit) c.Close("idle");
            else if (c.PartialSinceTicks is var since and not 0 && _time.GetElapsedTime(since) > _options.TcpMessageTimeout)
            {
                _log.LogWarning("Closing TCP connection from {Remote}: a message incomplete for over {Timeout}", c.Remote, _options.TcpMessageTimeout);
                c.Close("incomplete message timeout");
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        foreach (var c in _connections.Values) c.Close("shutdown");
        _stop.Dispose();
    }
}
