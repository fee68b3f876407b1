using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Sip.Message;

namespace Telephony.Sip.Transport;

/// <summary>
/// The transport layer of RFC 3261 §18: every listening point (UDP and TCP, IPv4 and IPv6), the receive
/// path (parse; a malformed request is answered 400 or 505 when it can be, otherwise dropped; §18.2.1
/// <c>received</c> and RFC 3581 <c>rport</c> stamped on the top Via), and the send path (§18.2.2 responses
/// routed by Via, TCP connections reused).
/// </summary>
public sealed class SipTransportLayer : ISipSender, IDisposable
{
    private readonly SipTransportOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly List<UdpChannel> _udp = new();
    private readonly List<TcpChannel> _tcp = new();
    private readonly ConcurrentDictionary<IPAddress, IPAddress> _routeSource = new();
    private ITimer? _sweep;
    private long _received, _rejected, _dropped;

    public Action<SipRequest, SipEndPoint>? RequestReceived { get; set; }
    public Action<SipResponse, SipEndPoint>? ResponseReceived { get; set; }

    /// <summary>The bound listening points (ports resolved), fixed once <see cref="Start"/> has run.</summary>
    public IReadOnlyList<ListenPoint> ListenPoints { get; private set; } = [];
    public long MessagesReceived => Interlocked.Read(ref _received);
    public long MessagesRejected => Interlocked.Read(ref _rejected);
    public long MessagesDropped => Interlocked.Read(ref _dropped);
    public int TcpConnections => _tcp.Sum(t => t.ConnectionCount);

    public SipTransportLayer(SipTransportOptions options, TimeProvider? time = null, ILogger? log = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _log = log ?? NullLogger.Instance;
    }

    /// <summary>Binds every listening point (fails loudly if one cannot be bound) and starts receiving.</summary>
    public void Start()
    {
        foreach (var point in _options.Listen)
        {
            try
            {
                if (point.Transport == SipTransportKind.Udp) _udp.Add(new UdpChannel(point, _options.MaxMessageBytes, _log));
                else _tcp.Add(new TcpChannel(point, _options, _time, _log));
            }
            catch (SocketException e)
            {
                Dispose();
                throw new InvalidOperationException($"Cannot listen on {point}: {e.Message}", e);
            }
        }
        ListenPoints = [.. _udp.Select(u => u.ListenPoint), .. _tcp.Select(t => t.ListenPoint)];
        foreach (var u in _udp) u.Start(_options.UdpReceivers, (bytes, source, channel) => Receive(bytes.Span, source, m => channel.Send(m, source.EndPoint)));
        foreach (var t in _tcp) t.Start((bytes, connection) => Receive(bytes.Span, connection.Peer, m => connection.Send(m)));
        _sweep = _time.CreateTimer(_ => { foreach (var t in _tcp) t.CloseIdle(); }, null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        foreach (var p in ListenPoints) _log.LogInformation("SIP listening on {ListenPoint}", p.ToString());
    }

    private void Receive(ReadOnlySpan<byte> bytes, SipEndPoint source, Func<SipMessage, bool> reply)
    {
        Interlocked.Increment(ref _received);
        var result = SipParser.Parse(bytes);
        if (!result.Success)
        {
            if (result.Error == SipParseError.Empty) return; // keep-alive
            if (result.CanAnswer)
            {
                Interlocked.Increment(ref _rejected);
                var reason = result.ResponseStatus == 505 ? "Version Not Supported" : "Bad Request - " + Sanitize(result.Detail);
                reply(SipMessageFactory.CreateResponse(result.Headers!, result.ResponseStatus, reason));
                _log.LogDebug("Answered {Status} to a malformed request from {Source}: {Reason}", result.ResponseStatus, source.ToString(), result.ToString());
            }
            else
            {
                Interlocked.Increment(ref _dropped);
                _log.LogDebug("Dropped an unparseable message from {Source}: {Reason}", source.ToString(), result.ToString());
            }
            return;
        }
        switch (result.Message)
        {
            case SipRequest request:
                StampVia(request, source);
                RequestReceived?.Invoke(request, source);
                break;
            case SipResponse response:
                ResponseReceived?.Invoke(response, source);
                break;
        }
    }

    /// <summary>
    /// §18.2.1: add <c>received</c> when the sent-by host is not the packet's source address; RFC 3581 §4:
    /// fill an empty <c>rport</c> with the source port (and then always add <c>received</c>).
    /// </summary>
    private static void StampVia(SipRequest request, SipEndPoint source)
    {
        if (request.TopVia is not { } via) return; // the parser lets no such request through; the transaction layer drops it
        var sourceHost = source.EndPoint.Address.IsIPv4MappedToIPv6 ? source.EndPoint.Address.MapToIPv4() : source.EndPoint.Address;
        var sentByMatches = IPAddress.TryParse(via.Host.Trim('[', ']'), out var sentBy) && sentBy.Equals(sourceHost);
        var fillRport = via.HasRport && via.Rport is null;
        if (sentByMatches && !fillRport) return;
        var parameters = via.Parameters.Clone();
        parameters.Set("received", sourceHost.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{sourceHost}]" : sourceHost.ToString());
        if (fillRport) parameters.Set("rport", source.EndPoint.Port.ToString());
        var stamped = new ViaHeader { Protocol = via.Protocol, Transport = via.Transport, Host = via.Host, Port = via.Port, Parameters = parameters };
        request.Headers.RemoveFirstValue(HeaderNames.Via);
        request.Headers.Prepend(HeaderNames.Via, stamped.ToString());
    }

    public bool Send(SipMessage message, SipEndPoint destination)
    {
        if (destination.Transport == SipTransportKind.Udp)
        {
            var target = message is SipResponse r ? RouteResponse(r, destination.EndPoint) : destination.EndPoint;
            var channel = UdpFor(target.AddressFamily);
            if (channel is null) { _log.LogWarning("No UDP listening point for {Family}", target.AddressFamily); return false; }
            return channel.Send(message, target);
        }
        var tcp = TcpFor(destination.EndPoint.AddressFamily);
        if (tcp is null) { _log.LogWarning("No TCP listening point for {Family}", destination.EndPoint.AddressFamily); return false; }
        if (message is SipResponse response)
        {
            // §18.2.2: the connection the request came on; if it is gone, a new one to received/sent-by.
            return tcp.Send(message, destination.EndPoint, mayConnect: false) ||
                   tcp.Send(message, RouteResponse(response, destination.EndPoint), mayConnect: true);
        }
        return tcp.Send(message, destination.EndPoint, mayConnect: true);
    }

    /// <summary>§18.2.2 and RFC 3581 §4: to <c>received</c> (else sent-by) at the rport, else the sent-by port, else 5060.</summary>
    private static IPEndPoint RouteResponse(SipResponse response, IPEndPoint fallback)
    {
        var via = response.TopVia;
        if (via is null) return fallback;
        var hostText = via.Received ?? via.Host;
        if (!IPAddress.TryParse(hostText.Trim('[', ']'), out var host)) return fallback; // a name we would have to resolve: use the source
        var port = via.Rport ?? via.Port ?? 5060;
        return new IPEndPoint(host, port);
    }

    // Loops, not LINQ: these run for every message sent.
    private UdpChannel? UdpFor(AddressFamily family)
    {
        foreach (var u in _udp)
            if (u.ListenPoint.EndPoint.AddressFamily == family) return u;
        return null;
    }

    private TcpChannel? TcpFor(AddressFamily family)
    {
        foreach (var t in _tcp)
            if (t.ListenPoint.EndPoint.AddressFamily == family) return t;
        return null;
    }

    /// <summary>
    /// The address and port to write in Via and Contact for messages to <paramref name="destination"/>:
    /// the configured public address, else the bound address, else the local address the OS routes from.
    /// </summary>
    public (string Host, int Port) Advertised(SipTransportKind transport, IPEndPoint destination)
    {
        ListenPoint point = default, sameFamily = default;
        foreach (var p in ListenPoints)
        {
            if (p.EndPoint.AddressFamily != destination.AddressFamily) continue;
            if (sameFamily.EndPoint is null) sameFamily = p;
            if (p.Transport == transport) { point = p; break; }
        }
        if (point.EndPoint is null) point = sameFamily;
        if (point.EndPoint is null) throw new InvalidOperationException($"no listen point for {destination.AddressFamily}");
        if (!string.IsNullOrEmpty(_options.PublicAddress)) return (SipUri.FormatHost(_options.PublicAddress), point.EndPoint.Port);
        var bound = point.EndPoint.Address;
        if (!bound.Equals(IPAddress.Any) && !bound.Equals(IPAddress.IPv6Any)) return (SipUri.FormatHost(bound.ToString()), point.EndPoint.Port);
        var source = _routeSource.GetOrAdd(destination.Address, RouteSource);
        return (SipUri.FormatHost(source.ToString()), point.EndPoint.Port);
    }

    private static IPAddress RouteSource(IPAddress destination)
    {
        try
        {
            using var probe = new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(destination, 9);
            return ((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        catch (SocketException)
        {
            return destination.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        }
    }

    private static string Sanitize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "malformed";
        var chars = text.Where(c => c >= ' ' && c < 127).Take(80).ToArray();
        return new string(chars);
    }

    public void Dispose()
    {
        _sweep?.Dispose();
        foreach (var u in _udp) u.Dispose();
        foreach (var t in _tcp) t.Dispose();
        _udp.Clear();
        _tcp.Clear();
    }
}
