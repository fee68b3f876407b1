namespace Telephony.Media.Rtp;

/// <summary>NTP timestamps as RTCP carries them (RFC 3550 §4): seconds since 1900 in 32.32 fixed point.</summary>
public static class NtpTimestamp
{
    private static readonly DateTimeOffset Epoch = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static ulong From(DateTimeOffset time)
    {
        var ticks = (time - Epoch).Ticks; // 100 ns
        var seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
        var fraction = (ulong)(ticks % TimeSpan.TicksPerSecond) * (1UL << 32) / TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }

    /// <summary>The middle 32 bits, as LSR carries them (§6.4.1).</summary>
    public static uint Middle32(ulong ntp) => (uint)(ntp >> 16);

    /// <summary>A delay in the 1/65536 s units of DLSR (§6.4.1).</summary>
    public static uint ToDlsrUnits(TimeSpan delay) => (uint)Math.Clamp(delay.TotalSeconds * 65536.0, 0, uint.MaxValue);
}
