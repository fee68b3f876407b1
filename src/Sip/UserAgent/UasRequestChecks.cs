using System.Collections.Concurrent;
using Telephony.Sip.Message;

namespace Telephony.Sip.UserAgent;

/// <summary>
/// The general UAS checks of RFC 3261 §8.2, in the order the RFC gives them: method (§8.2.1: 501 unknown,
/// 405 known but not allowed here), Request-URI scheme (§8.2.2.1: 416), merged requests (§8.2.2.2: 482),
/// Require (§8.2.2.3: 420), content (§8.2.3: 415); and Max-Forwards (§16.3 step 3 semantics, 483)
/// for a request that would have to go further.
/// </summary>
internal sealed class UasRequestChecks
{
    private readonly TimeProvider _time;
    // (From tag, Call-ID, CSeq) → (branch, when): requests seen recently, to spot a forked copy arriving twice.
    private readonly ConcurrentDictionary<(string, string, uint), (string Branch, long At)> _recent = new();
    private long _lastPrune;

    public UasRequestChecks(TimeProvider time) => _time = time;

    /// <summary>Null when the request may proceed, else the response to send.</summary>
    public SipResponse? Check(SipRequest request)
    {
        if (!SipMethod.IsKnown(request.Method))
            return WithAllow(SipMessageFactory.CreateResponse(request, 501));
        if (Array.IndexOf(Capabilities.AllowedMethods, request.Method) < 0)
            return WithAllow(SipMessageFactory.CreateResponse(request, 405));

        if (request.RequestUri.Scheme is not ("sip" or "sips" or "tel"))
            return SipMessageFactory.CreateResponse(request, 416);

        if (request.Method != SipMethod.Options && request.MaxForwards == 0)
            return SipMessageFactory.CreateResponse(request, 483);

        if (request.To?.Tag is null && IsMerged(request))
            return SipMessageFactory.CreateResponse(request, 482, "Loop Detected");

        if (request.Method is not (SipMethod.Ack or SipMethod.Cancel))
        {
            var unsupported = request.Headers.Contains(HeaderNames.Require)
                ? request.Tokens(HeaderNames.Require).Where(t => !Capabilities.SupportedExtensions.Contains(t, StringComparer.OrdinalIgnoreCase)).ToList()
                : [];
            if (unsupported.Count > 0)
            {
                var response = SipMessageFactory.CreateResponse(request, 420);
                response.Headers.Add(HeaderNames.Unsupported, string.Join(", ", unsupported));
                return response;
            }
        }

        if (!request.Body.IsEmpty && request.Method is SipMethod.Invite or SipMethod.Update or SipMethod.Ack)
        {
            var type = request.ContentType?.Split(';')[0].Trim();
            if (!string.Equals(type, "application/sdp", StringComparison.OrdinalIgnoreCase))
            {
                var response = SipMessageFactory.CreateResponse(request, 415);
                response.Headers.Add(HeaderNames.Accept, "application/sdp");
                return response;
            }
            if (request.Headers[HeaderNames.ContentEncoding] is { } enc && !enc.Equals("identity", StringComparison.OrdinalIgnoreCase))
            {
                var response = SipMessageFactory.CreateResponse(request, 415);
                response.Headers.Add(HeaderNames.AcceptEncoding, "identity");
                return response;
            }
        }
        return null;
    }

    /// <summary>§8.2.2.2: same From tag, Call-ID and CSeq as a request seen moments ago, but another branch.</summary>
    private bool IsMerged(SipRequest request)
    {
        if (request.Method is SipMethod.Ack or SipMethod.Cancel) return false;
        var branch = request.TopVia?.Branch;
        if (branch is null || request.From?.Tag is not { } fromTag) return false;
        var now = _time.GetTimestamp();
        PruneOccasionally(now);
        var key = (fromTag, request.CallId!, request.CSeq.Number);
        var seen = _recent.GetOrAdd(key, (branch, now));
        return seen.Branch != branch;
    }

    private void PruneOccasionally(long now)
    {
        if (_time.GetElapsedTime(Interlocked.Read(ref _lastPrune), now) < TimeSpan.FromSeconds(8)) return;
        Interlocked.Exchange(ref _lastPrune, now);
        foreach (var (key, value) in _recent)
            if (_time.GetElapsedTime(value.At, now) > TimeSpan.FromSeconds(32)) _recent.TryRemove(key, out _);
    }

    public static SipResponse WithAllow(SipResponse response)
    {
        response.Headers.Add(HeaderNames.Allow, Capabilities.Allow);
        return response;
    }
}
