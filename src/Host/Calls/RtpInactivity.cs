using Telephony.Media.Rtp;

namespace Telephony.Host.Calls;

/// <summary>
/// Notices a peer that stopped sending RTP (<c>Calls:RtpTimeoutSeconds</c>): a peer that vanished without BYE would
/// otherwise hold a port pair, a bridge and, for an agent, a seat forever. Not while the peer holds the call (it may
/// send nothing then); on resume the clock starts again rather than from its last packet. Checked from the session's
/// frames on the media clock, so it costs no timer of its own. Shared by the caller's channel and the B2BUA's outbound legs.
/// </summary>
public sealed class RtpInactivity(RtpSession session, TimeSpan timeout, TimeProvider time)
{
    private long _resumedAt = time.GetTimestamp();
    private volatile bool _onHold;
    private int _fired;

    public TimeSpan Timeout => timeout;

    /// <summary>Hold (RFC 3264 §8.4) or resume, from a re-INVITE.</summary>
    public void Hold(bool onHold)
    {
        if (_onHold && !onHold) Interlocked.Exchange(ref _resumedAt, time.GetTimestamp());
        _onHold = onHold;
    }

    /// <summary>
    /// How long the peer has been silent, the first time that reaches the timeout (so the caller hangs up once); null
    /// otherwise, and always when the timeout is zero (off).
    /// </summary>
    public TimeSpan? Check()
    {
        if (timeout <= TimeSpan.Zero || _onHold || Volatile.Read(ref _fired) != 0) return null;
        var silentFor = session.SinceLastPacket;
        var sinceResume = time.GetElapsedTime(Interlocked.Read(ref _resumedAt));
        if (silentFor < timeout || sinceResume < timeout) return null;
        if (Interlocked.Exchange(ref _fired, 1) != 0) return null;
        return silentFor < sinceResume ? silentFor : sinceResume;
    }
}
