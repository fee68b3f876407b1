// RFC 4566 §5.2 (o=), §5.7 (c=), §5.9 (t=, r=) and §5.13 (a=): the values carried by single SDP lines.
using System.Net;
using System.Net.Sockets;

namespace Telephony.Sip.Sdp;

/// <summary>The &lt;addrtype&gt; of o= and c= lines (RFC 4566 §5.2). Only the two IANA-registered values exist.</summary>
public enum SdpAddressType
{
    IP4,
    IP6,
}

/// <summary>o=&lt;username&gt; &lt;sess-id&gt; &lt;sess-version&gt; &lt;nettype&gt; &lt;addrtype&gt; &lt;unicast-address&gt;.</summary>
/// <remarks>
/// The session id is kept as text: RFC 4566 only asks for a "numeric string" and some devices send ids
/// wider than 64 bits; we never do arithmetic on it. The version is a number because RFC 3264 §8 makes
/// us compare and increment it.
/// </remarks>
public sealed record Origin(
    string Username,
    string SessionId,
    ulong SessionVersion,
    string NetType,
    SdpAddressType AddressType,
    string Address)
{
    public override string ToString() =>
        $"{Username} {SessionId} {SessionVersion} {NetType} {AddressType} {Address}";
}

/// <summary>c=&lt;nettype&gt; &lt;addrtype&gt; &lt;connection-address&gt;.</summary>
public sealed record ConnectionData(string NetType, SdpAddressType AddressType, string Address)
{
    public static ConnectionData For(IPAddress address) => new(
        "IN",
        address.AddressFamily == AddressFamily.InterNetworkV6 ? SdpAddressType.IP6 : SdpAddressType.IP4,
        address.ToString());

    /// <summary>The address as an IP literal, without a multicast "/ttl/count" suffix; null for a host name.</summary>
    public IPAddress? TryGetIPAddress()
    {
        var text = Address;
        var slash = text.IndexOf('/');
        if (slash >= 0)
            text = text[..slash];
        return IPAddress.TryParse(text, out var ip) ? ip : null;
    }

    /// <summary>
    /// 0.0.0.0 (or ::): RFC 2543 put a call on hold this way, and RFC 3264 §8.4 still lets an offerer use it
    /// when it does not yet know where it wants media. Either way nothing may be sent to it.
    /// </summary>
    public bool IsUnspecified =>
        TryGetIPAddress() is { } ip && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any));

    public override string ToString() => $"{NetType} {AddressType} {Address}";
}

/// <summary>t=&lt;start-time&gt; &lt;stop-time&gt; with the r= lines that belong to it, kept verbatim.</summary>
public sealed class Timing
{
    public Timing(ulong start = 0, ulong stop = 0)
    {
        Start = start;
        Stop = stop;
    }

    /// <summary>NTP seconds; 0 0 means "unbounded", which is what every SIP session uses (RFC 3264 §5).</summary>
    public ulong Start { get; set; }

    public ulong Stop { get; set; }

    /// <summary>r= values: telephony never uses repeat times, so they are only carried through.</summary>
    public List<string> RepeatTimes { get; } = [];

    public override string ToString() => $"{Start} {Stop}";
}

/// <summary>a=&lt;attribute&gt; or a=&lt;attribute&gt;:&lt;value&gt;.</summary>
/// <remarks>A null value is a property attribute (a=sendrecv); an empty one was written "a=name:" and stays so.</remarks>
public sealed record SdpAttribute(string Name, string? Value = null)
{
    public override string ToString() => Value is null ? Name : $"{Name}:{Value}";
}
