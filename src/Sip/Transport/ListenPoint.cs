using System.Net;

namespace Telephony.Sip.Transport;

/// <summary>A configured listening point: <c>udp:0.0.0.0:5060</c>, <c>tcp:[::]:5060</c>.</summary>
public readonly record struct ListenPoint(SipTransportKind Transport, IPEndPoint EndPoint)
{
    public static bool TryParse(string text, out ListenPoint point, out string? error)
    {
        point = default;
        var colon = text.IndexOf(':');
        if (colon <= 0) { error = $"listen point '{text}' must be transport:address:port"; return false; }
        SipTransportKind kind;
        switch (text[..colon].ToLowerInvariant())
        {
            case "udp": kind = SipTransportKind.Udp; break;
            case "tcp": kind = SipTransportKind.Tcp; break;
            default: error = $"listen point '{text}': transport must be udp or tcp"; return false;
        }
        if (!IPEndPoint.TryParse(text[(colon + 1)..], out var ep) || ep.Port == 0 && !text.EndsWith(":0"))
        { error = $"listen point '{text}': address:port expected (IPv6 in brackets)"; return false; }
        point = new ListenPoint(kind, ep);
        error = null;
        return true;
    }

    public override string ToString() => $"{(Transport == SipTransportKind.Udp ? "udp" : "tcp")}:{EndPoint}";
}

public sealed class SipTransportOptions
{
    public List<ListenPoint> Listen { get; init; } = [];
    /// <summary>Address written in Via and Contact when it differs from the bound one (NAT, 0.0.0.0 binds).</summary>
    public string? PublicAddress { get; init; }
    public int MaxMessageBytes { get; init; } = 65535;
    public int MaxTcpConnectionsPerSource { get; init; } = 64;
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>
    /// Longest a TCP connection may hold an incomplete message (headers without their empty line, or a body short
    /// of its Content-Length) before it is closed: a peer that trickles bytes, or stops mid-message, would otherwise
    /// keep the connection and its buffer for the whole idle timeout (Kamailio's tcp_msg_read_timeout is the same idea).
    /// </summary>
    public TimeSpan TcpMessageTimeout { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>
    /// Longest one TCP send may block on a peer that does not read; then the connection closes. Sends are
    /// synchronous on the caller's thread (a receive loop or a timer), which must not wait forever.
    /// </summary>
    public TimeSpan TcpSendTimeout { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>UDP receive loops per socket; each parses and dispatches inline.</summary>
    public int UdpReceivers { get; init; } = Math.Max(2, Environment.ProcessorCount);
}
