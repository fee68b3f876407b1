using Telephony.Sip.Message;

namespace Telephony.Sip.Transaction;

/// <summary>
/// Matching requests to server transactions, RFC 3261 §17.2.3, and CANCEL to the INVITE it cancels (§9.2).
/// <para>
/// With the magic cookie in the top Via branch (an RFC 3261 client) a request matches when the branch, the
/// sent-by and the method agree, ACK standing for INVITE: <see cref="KeyOf"/> makes that a dictionary key.
/// Branch and host are tokens compared case-insensitively (§7.3.1); the port is compared as written.
/// </para>
/// <para>
/// Without the cookie (an RFC 2543 client, whose branch need not be unique) the request is compared field by
/// field with the one that created the transaction: Request-URI (§19.1.4 equivalence), To tag, From tag,
/// Call-ID, CSeq and top Via; for an ACK the CSeq method is ignored and the To tag is that of the response the
/// transaction sent. The top Via comparison looks at protocol, transport, sent-by and branch only: received
/// and rport are written by our own transport on arrival and may differ between a request and its
/// retransmission after a NAT rebinding, yet the client sent the same Via.
/// </para>
/// </summary>
internal static class ServerTransactionMatching
{
    public enum Purpose { Retransmission, Ack, Cancel }

    /// <summary>The RFC 3261 key of <paramref name="request"/>, filed as <paramref name="asMethod"/> when given; null without the cookie.</summary>
    public static string? KeyOf(SipRequest request, string? asMethod = null)
    {
        var via = request.TopVia;
        if (via is not { IsRfc3261Branch: true }) return null;
        var method = asMethod ?? (request.Method == SipMethod.Ack ? SipMethod.Invite : request.Method);
        // One string per key, built lower-cased in place (it is made for every request received).
        var branch = via.Branch!;
        var host = via.Host;
        Span<char> port = stackalloc char[6];
        var portLength = 0;
        if (via.Port is { } p)
        {
            port[0] = ':';
            p.TryFormat(port[1..], out portLength);
            portLength++;
        }
        var length = branch.Length + 1 + host.Length + portLength + 1 + method.Length;
        if (length > 1024) return string.Concat(branch.ToLowerInvariant(), " ", host.ToLowerInvariant(), port[..portLength].ToString(), " ", method);
        Span<char> key = stackalloc char[length];
        var at = branch.AsSpan().ToLowerInvariant(key);
        key[at++] = ' ';
        at += host.AsSpan().ToLowerInvariant(key[at..]);
        port[..portLength].CopyTo(key[at..]);
        at += portLength;
        key[at++] = ' ';
        method.CopyTo(key[at..]);
        return new string(key);
    }

    /// <summary>True when the request has no cookie and must be matched the RFC 2543 way.</summary>
    public static bool IsLegacy(SipRequest request) => request.TopVia is not { IsRfc3261Branch: true };

    /// <summary>The RFC 2543 comparison of §17.2.3 (and of §9.2 for a CANCEL, which names the INVITE's To tag and CSeq number).</summary>
    public static bool MatchesLegacy(ServerTransaction transaction, SipRequest incoming, Purpose purpose)
    {
        var original = transaction.Request;
        if (!string.Equals(incoming.CallId, original.CallId, StringComparison.Ordinal)) return false; // §20.8: byte by byte
        if (incoming.CSeq.Number != original.CSeq.Number) return false;
        if (purpose == Purpose.Retransmission ? incoming.Method != original.Method : original.Method != SipMethod.Invite) return false;
        if (!TagsEqual(incoming.From?.Tag, original.From?.Tag)) return false;
        // The ACK for a non-2xx carries the tag our response added; a retransmission or CANCEL carries the INVITE's.
        var expectedToTag = purpose == Purpose.Ack ? transaction.LastResponse?.To?.Tag : original.To?.Tag;
        if (!TagsEqual(incoming.To?.Tag, expectedToTag)) return false;
        if (!incoming.RequestUri.IsEquivalentTo(original.RequestUri)) return false;
        return SameVia(incoming.TopVia, original.TopVia);
    }

    private static bool TagsEqual(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static bool SameVia(ViaHeader? a, ViaHeader? b) =>
        a is not null && b is not null
        && string.Equals(a.Protocol, b.Protocol, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.Transport, b.Transport, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port
        && string.Equals(a.Branch, b.Branch, StringComparison.OrdinalIgnoreCase);
}
