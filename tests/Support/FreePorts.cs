using System.Net;
using System.Net.Sockets;

namespace Telephony.Testing;

/// <summary>Ports for peers started by tests: free on both UDP and TCP at the time of the call.</summary>
public static class FreePorts
{
    private static int _next = 20000 + Environment.ProcessId % 20000;
    private static readonly Lock Gate = new();

    public static int Next(IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        lock (Gate)
        {
            for (var attempts = 0; attempts < 2000; attempts++)
            {
                var port = _next;
                _next = _next >= 59000 ? 20000 : _next + 2;
                if (IsFree(address, port)) return port;
            }
        }
        throw new InvalidOperationException("No free port found");
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
