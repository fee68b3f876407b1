using Telephony.Sip.Message;

namespace Telephony.Sip.Transaction;

/// <summary>
/// Matching responses to client transactions, RFC 3261 §17.1.3: a response belongs to the client transaction
/// whose request had the same branch in its top Via, and whose method equals the response's CSeq method.
/// The method is needed because a CANCEL carries the branch of the INVITE it cancels (§9.1), so the 200 to the
/// CANCEL and the 487 to the INVITE share a branch. Sent-by is not compared: the branch is ours and unique.
/// Branches are tokens, which compare case-insensitively (§7.3.1); methods are case-sensitive (§7.1).
/// </summary>
internal static class ClientTransactionMatching
{
    /// <summary>The key of a request we send, or null when its top Via has no branch to match on.</summary>
    public static string? KeyOf(SipRequest request) =>
        request.TopVia?.Branch is { } branch ? Key(branch, request.Method) : null;

    /// <summary>The key a response is looked up by, or null when it carries no branch or no CSeq method.</summary>
    public static string? KeyOf(SipResponse response)
    {
        var method = response.CSeq.Method;
        return response.TopVia?.Branch is { } branch && !string.IsNullOrEmpty(method) ? Key(branch, method) : null;
    }

    private static string Key(string branch, string method) => string.Concat(branch.ToLowerInvariant(), " ", method);
}
