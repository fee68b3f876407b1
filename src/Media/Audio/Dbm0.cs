namespace Telephony.Media.Audio;

/// <summary>
/// Levels in dBm0 on 16-bit PCM. G.711 §2/§3 put the theoretical load capacity (a sine at the overload point,
/// ±4096 on A-law's 13-bit scale, i.e. ±32768 here) at +3.14 dBm0 for A-law, which China's network uses;
/// µ-law's +3.17 differs by 0.03 dB. So 0 dBm0 is a sine of peak 22 767 (RMS 16 099).
/// </summary>
public static class Dbm0
{
    public const double OverloadDbm0 = 3.14;

    /// <summary>The peak amplitude of a sine at <paramref name="level"/> dBm0.</summary>
    public static double SineAmplitude(double level) => 32768 * Math.Pow(10, (level - OverloadDbm0) / 20);

    /// <summary>The level in dBm0 of a signal with the given RMS (a sine's RMS is its peak / √2).</summary>
    public static double FromRms(double rms) => rms <= 0 ? double.NegativeInfinity : 20 * Math.Log10(rms * Math.Sqrt(2) / 32768) + OverloadDbm0;
}
