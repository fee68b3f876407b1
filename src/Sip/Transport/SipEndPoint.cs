using System.Net;

namespace Telephony.Sip.Transport;

public enum SipTransportKind { Udp, Tcp }

/// <summary>Where a message came from or goes to: transport and socket address.</summary>
public readonly record struct SipEndPoint(SipTransportKind Transport, IPEndPoint EndPoint)
{
    /// <summary>Reliable transports need no retransmissions (§17.1.1.2, §17.1.2.2).</summary>
    public bool IsReliable => Transport != SipTransportKind.Udp;

    /// <summary>The Via transport token (§18.1, §20.42).</summary>
    public string ViaTransport => Transport == SipTransportKind.Udp ? "UDP" : "TCP";

    public override string ToString() => $"{ViaTransport.ToLowerInvariant()}:{EndPoint}";
}
