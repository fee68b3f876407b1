using Telephony.Sip.Message;

namespace Telephony.Sip.UserAgent;

/// <summary>
/// RFC 4028 session timers, UAS side (§9) and the refresh deadline (§10). Decides the interval and the
/// refresher for the 2xx, or refuses a too-small interval with 422 and our Min-SE.
/// </summary>
internal sealed record SessionTimer(int IntervalSeconds, bool WeRefresh, bool PeerSupportsTimer)
{
    public enum Outcome { None, Use, TooSmall }

    /// <summary>
    /// §9: honour the request's Session-Expires (never below our Min-SE, or the peer's Min-SE); when the UAC
    /// supports "timer" and sent none, propose ours with the UAC refreshing; when it does not support timers
    /// but a proxy inserted Session-Expires, we are the refresher.
    /// </summary>
    public static Outcome Negotiate(SipRequest request, int ourInterval, int ourMinSe, out SessionTimer? timer)
    {
        timer = null;
        var supports = request.HasToken(HeaderNames.Supported, "timer") || request.HasToken(HeaderNames.Require, "timer");
        var header = request.Headers[HeaderNames.SessionExpires];
        if (header is null)
        {
            if (!supports) return Outcome.None;
            var peerMin = ParseSeconds(request.Headers[HeaderNames.MinSE]) ?? 0;
            timer = new SessionTimer(Math.Max(ourInterval, Math.Max(peerMin, ourMinSe)), WeRefresh: false, PeerSupportsTimer: true);
            return Outcome.Use;
        }
        var semi = header.IndexOf(';');
        var interval = ParseSeconds(semi >= 0 ? header[..semi] : header);
        if (interval is null) return Outcome.None; // malformed: act as if absent
        if (interval < ourMinSe) return Outcome.TooSmall;
        var refresher = semi >= 0 && SipParameters.TryParse(header[semi..], false, out var p, out _) ? p["refresher"] : null;
        var weRefresh = !supports || string.Equals(refresher, "uas", StringComparison.OrdinalIgnoreCase);
        timer = new SessionTimer(interval.Value, weRefresh, supports);
        return Outcome.Use;
    }

    /// <summary>Adds Session-Expires (and Require: timer when the peer supports it) to our 2xx (§9).</summary>
    public void Apply(SipResponse response)
    {
        response.Headers.Set(HeaderNames.SessionExpires, $"{IntervalSeconds};refresher={(WeRefresh ? "uas" : "uac")}");
        if (PeerSupportsTimer) response.Headers.Add(HeaderNames.Require, "timer");
    }

    /// <summary>When we send the refresh if we are the refresher: half the interval (§10).</summary>
    public TimeSpan RefreshAfter => TimeSpan.FromSeconds(IntervalSeconds / 2.0);

    /// <summary>When we give up waiting for the peer's refresh: the interval minus min(32 s, interval/3) (§10).</summary>
    public TimeSpan ExpireAfter => TimeSpan.FromSeconds(IntervalSeconds - Math.Min(32, IntervalSeconds / 3.0));

    private static int? ParseSeconds(string? text) =>
        text is not null && int.TryParse(text.AsSpan().Trim(), out var n) && n >= 0 ? n : null;
}
