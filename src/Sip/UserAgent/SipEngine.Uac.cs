using System.Collections.Concurrent;
using System.Net;
using Telephony.Sip.Calls;
using Telephony.Sip.Dialog;
using Telephony.Sip.Message;
using Telephony.Sip.Transport;

namespace Telephony.Sip.UserAgent;

/// <summary>The UAC core of the engine: calls we place (agent legs, satisfaction callbacks).</summary>
public sealed partial class SipEngine
{
    private readonly ConcurrentDictionary<DialogId, OutboundCallSession> _outbound = new();
    private readonly ConcurrentDictionary<string, OutboundCallSession> _outboundByCallId = new();

    /// <summary>
    /// Places a call to <paramref name="target"/> (sent to <paramref name="destination"/>, or to the
    /// target's host and port). The returned call rings, is answered or ends with a reason; hang it up to
    /// CANCEL or BYE. Throws <see cref="InvalidOperationException"/> when no RTP port is free.
    /// </summary>
    public SipCall PlaceCall(SipUri target, SipEndPoint? destination = null, NameAddress? from = null,
        SipCredentials? credentials = null, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var hop = destination ?? ResolveUri(target) ?? throw new ArgumentException($"Cannot resolve {target}");
        var port = _ports.Acquire() ?? throw new InvalidOperationException("No RTP port free for an outbound call");
        var (host, _) = Transport.Advertised(hop.Transport, hop.EndPoint);
        from ??= new NameAddress { Uri = SipUri.Create("telephony", Options.Domain) };
        var session = new OutboundCallSession(this, target, hop, from, credentials, port, IPAddress.Parse(host.Trim('[', ']')), headers);
        _outboundByCallId[session.Call.CallId] = session;
        session.Start();
        return session.Call;
    }

    private static SipEndPoint? ResolveUri(SipUri uri)
    {
        if (!IPAddress.TryParse(uri.HostWithoutBrackets, out var address))
        {
            try { address = Dns.GetHostAddresses(uri.HostWithoutBrackets).FirstOrDefault(); }
            catch (System.Net.Sockets.SocketException) { return null; }
            if (address is null) return null;
        }
        var transport = uri.Transport == "tcp" ? SipTransportKind.Tcp : SipTransportKind.Udp;
        return new SipEndPoint(transport, new IPEndPoint(address, uri.Port ?? 5060));
    }

    internal void TrackOutbound(OutboundCallSession session) => _outbound[session.Dialog!.Id] = session;

    internal void ForgetOutbound(OutboundCallSession session)
    {
        _outboundByCallId.TryRemove(session.Call.CallId, out _);
        if (session.Dialog is { } d) _outbound.TryRemove(d.Id, out _);
    }

    internal void ReleasePort(int port) => _ports.Release(port);

    private OutboundCallSession? FindOutbound(SipRequest request) =>
        _outbound.TryGetValue(DialogId.ForIncoming(request), out var s) ? s : null;

    /// <summary>The ACK for a 2xx is its own transaction-less request, sent to the dialog's next hop (§13.2.2.4, §17.1.1.3).</summary>
    internal void SendAck(SipRequest ack, SipDialog dialog)
    {
        if (dialog.NextHop() is not { } hop) return;
        if (!ack.Headers.Contains(HeaderNames.Via))
        {
            var (host, port) = Transport.Advertised(hop.Transport, hop.EndPoint);
            ack.Headers.Prepend(HeaderNames.Via, $"SIP/2.0/{hop.ViaTransport} {host}:{port};branch={SipMessageFactory.NewBranch()};rport");
        }
        Sender.Send(ack, hop);
    }

    private void OnStrayResponse(SipResponse response, SipEndPoint source)
    {
        if (response.IsSuccess && response.CSeq.Method == SipMethod.Invite && _outboundByCallId.TryGetValue(response.CallId ?? "", out var session))
            session.OnStray2xx(response);
    }
}
