using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Telephony.Media.Rtp;

/// <summary>The two bound UDP sockets of one session: RTP on an even port, RTCP on the next (RFC 3550 §11).</summary>
public sealed class RtpSocketPair : IDisposable
{
    private readonly RtpPortAllocator? _owner;
    private int _disposed;

    internal RtpSocketPair(Socket rtp, Socket rtcp, IPAddress address, int port, RtpPortAllocator? owner)
    {
        Rtp = rtp;
        Rtcp = rtcp;
        Address = address;
        Port = port;
        _owner = owner;
    }

    public Socket Rtp { get; }
    public Socket Rtcp { get; }
    public IPAddress Address { get; }
    /// <summary>The RTP port (even); RTCP is Port + 1.</summary>
    public int Port { get; }

    /// <summary>Closes both sockets and gives the port back to the allocator.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        Rtp.Dispose();
        Rtcp.Dispose();
        _owner?.Free(Port);
    }
}

/// <summary>
/// Binds RTP/RTCP socket pairs from the configured port range: even ports, taken round-robin so a port
/// just released is reused last (late packets of the old call do not land in a new one); a port that fails
/// to bind (another process holds it) is skipped. For the SIP layer, <see cref="Reserve"/> binds a pair and
/// holds it under its port number until the session <see cref="Claim"/>s it or it is <see cref="Release"/>d:
/// Host adapts this to Sip's IRtpPortProvider (Acquire = Reserve, Release = Release).
/// </summary>
public sealed class RtpPortAllocator
{
    private readonly IPAddress _address;
    private readonly int _first;
    private readonly int _pairs;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly HashSet<int> _inUse = [];
    private readonly Dictionary<int, RtpSocketPair> _reserved = [];
    private int _cursor;

    public RtpPortAllocator(IPAddress address, int minPort, int maxPort, ILogger<RtpPortAllocator>? logger = null)
    {
        if (minPort < 1024 || maxPort > 65535 || minPort >= maxPort)
            throw new ArgumentException($"RTP port range {minPort}-{maxPort} is not valid");
        _address = address;
        _first = minPort + (minPort & 1);
        _pairs = (maxPort - _first + 1) / 2;
        if (_pairs == 0) throw new ArgumentException($"RTP port range {minPort}-{maxPort} holds no even/odd pair");
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public IPAddress Address => _address;
    public int InUse { get { lock (_gate) return _inUse.Count; } }

    /// <summary>Binds the next free pair, or null when every pair of the range is in use or fails to bind.</summary>
    public RtpSocketPair? TryBind()
    {
        lock (_gate)
        {
            for (var attempt = 0; attempt < _pairs; attempt++)
            {
                var port = _first + 2 * _cursor;
                _cursor = (_cursor + 1) % _pairs;
                if (_inUse.Contains(port)) continue;
                if (TryBindPair(port) is { } pair)
                {
                    _inUse.Add(port);
                    return pair;
                }
            }
        }
        _logger.LogWarning("No RTP port pair free in {First}-{Last}", _first, _first + 2 * _pairs - 1);
        return null;
    }

    /// <summary>Binds a pair and holds it for a session to claim; the port for the SDP, or null.</summary>
    public int? Reserve()
    {
        if (TryBind() is not { } pair) return null;
        lock (_gate) _reserved[pair.Port] = pair;
        return pair.Port;
    }

    /// <summary>The reserved pair of <paramref name="port"/>, now owned by the caller (the session).</summary>
    public RtpSocketPair? Claim(int port)
    {
        lock (_gate) return _reserved.Remove(port, out var pair) ? pair : null;
    }

    /// <summary>Closes a pair still reserved; a claimed pair is released by disposing it.</summary>
    public void Release(int port)
    {
        RtpSocketPair? pair;
        lock (_gate) _reserved.Remove(port, out pair);
        pair?.Dispose();
    }

    internal void Free(int port)
    {
        lock (_gate) _inUse.Remove(port);
    }

    private RtpSocketPair? TryBindPair(int port)
    {
        Socket? rtp = null, rtcp = null;
        try
        {
            rtp = NewSocket();
            rtp.Bind(new IPEndPoint(_address, port));
            rtcp = NewSocket();
            rtcp.Bind(new IPEndPoint(_address, port + 1));
            return new RtpSocketPair(rtp, rtcp, _address, port, this);
        }
        catch (SocketException e)
        {
            _logger.LogDebug("RTP port {Port} skipped: {Error}", port, e.SocketErrorCode);
            rtp?.Dispose();
            rtcp?.Dispose();
            return null;
        }
    }

    private Socket NewSocket()
    {
        var s = new Socket(_address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        // 20 ms of G.711 is 172 bytes on the wire; 256 KB absorbs a stall of the pool of over a second.
        s.ReceiveBufferSize = 256 * 1024;
        return s;
    }
}
