namespace Telephony.Sip.Transaction;

/// <summary>
/// The timer values of RFC 3261 §17.1.1.1 and Table 4 (Appendix A). Every transaction timer is derived from
/// these three, so a deployment that tunes T1 for a slow network (the RFC allows a larger T1, never a smaller
/// one on the public Internet) changes A..M consistently.
/// </summary>
public sealed class SipTimerOptions
{
    /// <summary>RTT estimate: the first retransmission interval (Timers A, E, G) and the unit of the 64·T1 timeouts.</summary>
    public TimeSpan T1 { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The maximum retransmission interval for non-INVITE requests and INVITE responses (Timers E, G).</summary>
    public TimeSpan T2 { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>The longest a message stays in the network: how long Completed absorbs retransmissions (Timers I, K).</summary>
    public TimeSpan T4 { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Timer D, the wait in the INVITE client's Completed state on an unreliable transport: "at least 32 seconds"
    /// (§17.1.1.2), independent of T1 because it covers the server's whole Timer G/H retransmission window.
    /// </summary>
    public TimeSpan TimerD { get; init; } = TimeSpan.FromSeconds(32);

    /// <summary>64·T1: Timers B, F, H, J (RFC 3261) and L, M (RFC 6026).</summary>
    public TimeSpan Timeout64T1 => T1 * 64;

    internal void Validate()
    {
        if (T1 <= TimeSpan.Zero || T2 < T1 || T4 <= TimeSpan.Zero || TimerD < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(T1), "SIP timers need T1 > 0, T2 >= T1, T4 > 0 and Timer D >= 0");
    }
}
