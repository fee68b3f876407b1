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
    /// <summary>UDP receive loops per socket; each parses and dispatches inline.</summary>
    public int UdpReceivers { get; init; } = Math.Max(2, Environment.ProcessorCount);
}
