using Telephony.Sip.Message;

namespace Telephony.Sip.Transaction;

/// <summary>
/// The two requests built from an INVITE that are tied to its transaction rather than new ones: the ACK for a
/// non-2xx final response (RFC 3261 §17.1.1.3), which the client transaction itself sends, and CANCEL (§9.1),
/// which the TU sends as its own non-INVITE transaction. Both reuse the INVITE's top Via, branch included, so
/// the server matches them to the INVITE (§17.2.3 for the ACK, §9.2 for the CANCEL).
/// </summary>
internal static class AckAndCancel
{
    /// <summary>
    /// §17.1.1.3: Call-ID, From and Request-URI of the original request; To of the response (with its tag);
    /// one Via equal to the original top Via; CSeq number of the original with method ACK; the original's Route.
    /// </summary>
    public static SipRequest CreateAck(SipRequest invite, SipResponse response) =>
        Build(SipMethod.Ack, invite, response.Headers.Get(HeaderNames.To) ?? invite.Headers.Get(HeaderNames.To)!);

    /// <summary>
    /// §9.1: Request-URI, Call-ID, To, From and the CSeq number identical to the request being cancelled (tags
    /// included), method CANCEL, a single Via matching its top Via, and its Route header field values.
    /// </summary>
    public static SipRequest CreateCancel(SipRequest invite) =>
        Build(SipMethod.Cancel, invite, invite.Headers.Get(HeaderNames.To)!);

    private static SipRequest Build(string method, SipRequest invite, string to)
    {
        var request = new SipRequest { Method = method, RequestUri = invite.RequestUri.With() };
        var h = request.Headers;
        h.Add(HeaderNames.Via, invite.Headers.GetAll(HeaderNames.Via)[0]);
        // Max-Forwards is mandatory in every request (§8.1.1.6); the INVITE's own value keeps hop limits consistent.
        h.Add(HeaderNames.MaxForwards, invite.Headers.Get(HeaderNames.MaxForwards) ?? "70");
        h.Add(HeaderNames.From, invite.Headers.Get(HeaderNames.From)!);
        h.Add(HeaderNames.To, to);
        h.Add(HeaderNames.CallId, invite.CallId!);
        h.Add(HeaderNames.CSeq, new CSeqHeader(invite.CSeq.Number, method).ToString());
        foreach (var route in invite.Headers.GetAll(HeaderNames.Route)) h.Add(HeaderNames.Route, route);
        return request;
    }
}
