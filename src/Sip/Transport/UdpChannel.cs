using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Telephony.Sip.Message;

namespace Telephony.Sip.Transport;

/// <summary>
/// One UDP listening socket (RFC 3261 §18.1.1, §18.2.1). Several receive threads share the socket so a
/// burst is parsed on every core; each datagram is one message and goes up as (bytes, source).
/// </summary>
internal sealed class UdpChannel : IDisposable
{
    private readonly Socket _socket;
    private readonly ILogger _log;
    private readonly int _maxBytes;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Thread> _threads = new();
    private readonly IPEndPoint _anyEndPoint;

    public ListenPoint ListenPoint { get; }

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
        _anyEndPoint = new IPEndPoint(listen.EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
    }

    public void Start(int receivers, Action<ReadOnlyMemory<byte>, SipEndPoint, UdpChannel> onDatagram)
    {
        // Dedicated threads blocking in recvfrom, each parsing and dispatching inline (Kamailio's model):
        // async receives would hand every datagram to the thread pool, and on two cores the pool's
        // wake-ups and spinning cost more than the SIP work itself (measured with dotnet-trace).
        for (var i = 0; i < receivers; i++)
        {
            var thread = new Thread(() => ReceiveLoop(onDatagram)) { IsBackground = true, Name = $"sip-udp-{ListenPoint.EndPoint.Port}-{i}" };
            _threads.Add(thread);
            thread.Start();
        }
    }

    private void ReceiveLoop(Action<ReadOnlyMemory<byte>, SipEndPoint, UdpChannel> onDatagram)
    {
        var buffer = new byte[65536];
        var address = new SocketAddress(_socket.AddressFamily);
        while (!_stop.IsCancellationRequested)
        {
            int n;
            try
            {
                n = _socket.ReceiveFrom(buffer, SocketFlags.None, address);
            }
            catch (ObjectDisposedException) { break; }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                continue; // ICMP port unreachable from an earlier send, or an oversized datagram: not fatal
            }
            catch (SocketException) when (_stop.IsCancellationRequested) { break; }
            if (n > _maxBytes)
            {
                _log.LogWarning("Dropped a {Bytes}-byte datagram: over the {Max}-byte cap", n, _maxBytes);
                continue;
            }
            if (_stop.IsCancellationRequested) break;
            IPEndPoint remote;
            try
            {
                remote = (IPEndPoint)_anyEndPoint.Create(address);
            }
            catch (ArgumentException)
            {
                continue; // no source address (the socket is shutting down)
            }
            finally
            {
                address.Size = address.Buffer.Length; // room for the next sender's address
            }
            var source = new SipEndPoint(SipTransportKind.Udp, remote);
            try
            {
                onDatagram(buffer.AsMemory(0, n), source, this);
            }
            catch (Exception e)
            {
                _log.LogError(e, "Handling a datagram from {Source} failed", source.ToString());
            }
        }
    }

    public bool Send(SipMessage message, IPEndPoint destination)
    {
        var writer = SendBuffer.Rent();
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
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { }
        _socket.Dispose();
        foreach (var t in _threads) t.Join(TimeSpan.FromSeconds(2));
        _stop.Dispose();
    }
}
