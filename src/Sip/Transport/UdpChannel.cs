using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Telephony.Sip.Message;

namespace Telephony.Sip.Transport;

/// <summary>
/// One UDP listening socket (RFC 3261 §18.1.1, §18.2.1). Several receive loops share the socket so a
/// burst is parsed on every core; each datagram is one message and goes up as (bytes, source).
/// </summary>
internal sealed class UdpChannel : IDisposable
{
    private readonly Socket _socket;
    private readonly ILogger _log;
    private readonly int _maxBytes;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = new();

    public ListenPoint ListenPoint { get; }

    /// <summary>Datagrams a receive loop handles before it lets other queued work run.</summary>
    internal const int YieldEvery = 16;

    public UdpChannel(ListenPoint listen, int maxBytes, ILogger log)
    {
        _log = log;
        _maxBytes = maxBytes;
        _socket = new Socket(listen.EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (listen.EndPoint.AddressFamily == AddressFamily.InterNetworkV6) _socket.DualMode = false;
        // Large buffers absorb call-rate bursts: with the default ~200 KB the kernel drops datagrams.
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _socket.SendBufferSize = 4 * 1024 * 1024;
        _socket.Bind(listen.EndPoint);
        ListenPoint = listen with { EndPoint = (IPEndPoint)_socket.LocalEndPoint! };
    }

    public void Start(int receivers, Action<ReadOnlyMemory<byte>, SipEndPoint, UdpChannel> onDatagram)
    {
        for (var i = 0; i < receivers; i++)
            _loops.Add(Task.Run(() => ReceiveLoop(onDatagram)));
    }

    private async Task ReceiveLoop(Action<ReadOnlyMemory<byte>, SipEndPoint, UdpChannel> onDatagram)
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        var handled = 0;
        while (!_stop.IsCancellationRequested)
        {
            // Under a flood every receive completes at once and this loop would keep its pool thread for good; the
            // TCP receive loops, the timer callbacks (retransmissions, Timer H/J) and the call handlers queued behind
            // it waited seconds for the pool to grow. Going to the back of the queue now and then lets them run.
            if (++handled % YieldEvery == 0) await Task.Yield();
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (OperationCanceledException) { break; }
            catch (ObjectDisposedException) { break; }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                continue; // ICMP port unreachable from an earlier send, or an oversized datagram: not fatal
            }
            if (received.ReceivedBytes > _maxBytes)
            {
                _log.LogWarning("Dropped a {Bytes}-byte datagram from {Source}: over the {Max}-byte cap", received.ReceivedBytes, received.RemoteEndPoint, _maxBytes);
                continue;
            }
            var source = new SipEndPoint(SipTransportKind.Udp, (IPEndPoint)received.RemoteEndPoint);
            try
            {
                onDatagram(buffer.AsMemory(0, received.ReceivedBytes), source, this);
            }
            catch (Exception e)
            {
                _log.LogError(e, "Handling a datagram from {Source} failed", source);
            }
        }
    }

    public bool Send(SipMessage message, IPEndPoint destination)
    {
        var writer = new ArrayBufferWriter<byte>(1024);
        SipSerializer.Write(message, writer);
        try
        {
            _socket.SendTo(writer.WrittenSpan, SocketFlags.None, destination);
            return true;
        }
        catch (SocketException e)
        {
            _log.LogWarning("UDP send to {Destination} failed: {Error}", destination, e.SocketErrorCode);
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    public void SendRaw(ReadOnlySpan<byte> bytes, IPEndPoint destination)
    {
        try { _socket.SendTo(bytes, SocketFlags.None, destination); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try { Task.WaitAll(_loops.ToArray(), TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
