using System.Net;
using System.Net.Sockets;

namespace Telephony.Testing;

/// <summary>Ports for peers started by tests: free on both UDP and TCP at the time of the call.</summary>
public static class FreePorts
{
    private static int _next = 20000 + Environment.ProcessId % 20000;
    private static readonly Lock Gate = new();

    public static int Next(IPAddress? address = null) => NextBlock(1, address);

    /// <summary>
    /// The first of <paramref name="count"/> consecutive free ports. baresip needs two: it binds TLS on
    /// its SIP port + 1 whether or not TLS is configured.
    /// </summary>
    public static int NextBlock(int count, IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        var step = count + count % 2; // stay on one parity so blocks handed out never overlap
        lock (Gate)
        {
            for (var attempts = 0; attempts < 2000; attempts++)
            {
                var port = _next;
                _next = _next + step >= 59000 ? 20000 + _next % 2 : _next + step;
                if (Enumerable.Range(port, count).All(p => IsFree(address, p))) return port;
            }
        }
        throw new InvalidOperationException("No free port found");
    }

    /// <summary>
    /// Whether some process holds <paramref name="port"/> for <paramref name="protocol"/>: how a test sees a
    /// peer is listening without talking to it (a stray datagram or connection would count in its statistics).
    /// </summary>
    public static bool IsBound(int port, ProtocolType protocol = ProtocolType.Udp, IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        try
        {
            using var socket = new Socket(address.AddressFamily, protocol == ProtocolType.Udp ? SocketType.Dgram : SocketType.Stream, protocol);
            socket.Bind(new IPEndPoint(address, port));
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(address, port));
            using var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
