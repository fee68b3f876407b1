using System.Net;
using Telephony.Sip.Message;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Dialog;

/// <summary>
/// Dialog state of RFC 3261 §12: Call-ID, local and remote tags, local and remote URIs, the remote target,
/// the route set and both CSeq spaces. Created by the UAS from an INVITE (§12.1.1) or by the UAC from a
/// 2xx/1xx with a To tag (§12.1.2); used to build in-dialog requests (§12.2.1.1) and to check incoming
/// ones (§12.2.2).
/// </summary>
public sealed class SipDialog
{
    private long _localSeq;

    public required string CallId { get; init; }
    public required string LocalTag { get; init; }
    public string? RemoteTag { get; set; }
    public required NameAddress LocalAddress { get; init; }
    public required NameAddress RemoteAddress { get; init; }
    public required SipUri RemoteTarget { get; set; }
    public IReadOnlyList<NameAddress> RouteSet { get; set; } = [];
    public bool IsSecure { get; init; }
    public bool IsUasSide { get; init; }
    /// <summary>The highest CSeq the peer has used in this dialog; null until it sends one (UAC side).</summary>
    public uint? RemoteSeq { get; set; }
    /// <summary>Where the peer's messages came from: the place to send to when it is behind a NAT (RFC 3581).</summary>
    public SipEndPoint? SymmetricTarget { get; set; }
    /// <summary>The transport the dialog was set up over.</summary>
    public SipTransportKind Transport { get; init; } = SipTransportKind.Udp;
    public bool IsConfirmed { get; set; }

    public DialogId Id => new(CallId, LocalTag, RemoteTag ?? "");

    public uint LocalSeq => (uint)Interlocked.Read(ref _localSeq);

    public void InitLocalSeq(uint start) => Interlocked.Exchange(ref _localSeq, start);

    public uint NextLocalSeq() => (uint)Interlocked.Increment(ref _localSeq);

    /// <summary>The UAS side of §12.1.1: everything from the request, our tag on To.</summary>
    public static SipDialog FromInvite(SipRequest invite, string localTag, SipEndPoint source)
    {
        var from = invite.From!;
        var to = invite.To!;
        var contact = invite.Contacts.FirstOrDefault();
        var dialog = new SipDialog
        {
            CallId = invite.CallId!,
            LocalTag = localTag,
            RemoteTag = from.Tag,
            LocalAddress = to.WithTag(localTag),
            RemoteAddress = from,
            RemoteTarget = contact?.Uri ?? from.Uri,
            RouteSet = invite.Headers.GetAll(HeaderNames.RecordRoute).Select(NameAddress.Parse).ToList(),
            IsSecure = invite.RequestUri.IsSecure,
            IsUasSide = true,
            RemoteSeq = invite.CSeq.Number,
            Transport = source.Transport,
            SymmetricTarget = invite.TopVia?.HasRport == true || invite.TopVia?.Received is not null || source.IsReliable ? source : null,
        };
        dialog.InitLocalSeq((uint)Random.Shared.Next(1, 10000));
        return dialog;
    }

    /// <summary>
    /// Builds a request within the dialog (§12.2.1.1): Request-URI = remote target (loose routing), Route =
    /// route set, To/From with tags, next local CSeq (ACK and CANCEL reuse the INVITE's, passed in).
    /// The caller adds Via (it knows the transport), Contact where needed, and the body.
    /// </summary>
    public SipRequest CreateRequest(string method, uint? cseq = null)
    {
        var request = new SipRequest { Method = method, RequestUri = RemoteTarget };
        var h = request.Headers;
        foreach (var route in RouteSet) h.Add(HeaderNames.Route, route.ToString());
        h.Add(HeaderNames.MaxForwards, "70");
        h.Add(HeaderNames.From, LocalAddress.ToString());
        h.Add(HeaderNames.To, RemoteTag is null ? RemoteAddress.ToString() : RemoteAddress.WithTag(RemoteTag).ToString());
        h.Add(HeaderNames.CallId, CallId);
        h.Add(HeaderNames.CSeq, $"{cseq ?? NextLocalSeq()} {method}");
        return request;
    }

    /// <summary>
    /// Where an in-dialog request goes (§12.2.1.1 then RFC 3263 without DNS): the first Route, else the remote
    /// target; for a peer behind NAT (it asked for rport, or the connection is reliable) the address its
    /// messages came from.
    /// </summary>
    public SipEndPoint? NextHop()
    {
        if (RouteSet.Count == 0 && SymmetricTarget is { } symmetric) return symmetric;
        var uri = RouteSet.Count > 0 ? RouteSet[0].Uri : RemoteTarget;
        if (!IPAddress.TryParse(uri.HostWithoutBrackets, out var address))
        {
            try { address = Dns.GetHostAddresses(uri.HostWithoutBrackets).FirstOrDefault(); }
            catch (System.Net.Sockets.SocketException) { address = null; }
            if (address is null) return SymmetricTarget;
        }
        var transport = uri.Transport == "tcp" ? SipTransportKind.Tcp : uri.Transport == "udp" ? SipTransportKind.Udp : Transport;
        return new SipEndPoint(transport, new IPEndPoint(address, uri.Port ?? 5060));
    }
}

/// <summary>A dialog's identity (§12): Call-ID, local tag, remote tag.</summary>
public readonly record struct DialogId(string CallId, string LocalTag, string RemoteTag)
{
    /// <summary>The dialog an incoming request belongs to: its To tag is ours, its From tag the peer's.</summary>
    public static DialogId ForIncoming(SipRequest request) => new(request.CallId ?? "", request.To?.Tag ?? "", request.From?.Tag ?? "");

    /// <summary>The dialog an incoming response belongs to: its From tag is ours, its To tag the peer's.</summary>
    public static DialogId ForResponse(SipResponse response) => new(response.CallId ?? "", response.From?.Tag ?? "", response.To?.Tag ?? "");
}
