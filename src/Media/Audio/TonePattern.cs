namespace Telephony.Media.Audio;

/// <summary>One step of a cadence: <paramref name="Milliseconds"/> of tone (On) or of silence.</summary>
public readonly record struct ToneStep(int Milliseconds, bool On);

/// <summary>
/// A tone: one or two frequencies at a level in dBm0 per frequency, played by a cadence of on/off steps,
/// once or repeated.
/// </summary>
public sealed record TonePattern(double Frequency1, double Frequency2, double LevelDbm0, IReadOnlyList<ToneStep> Cadence, bool Repeat)
{
    /// <summary>
    /// China's ringback tone: 450 Hz, 1 s on, 4 s off, repeated (the national signal-tone plan),
    /// at −10 dBm0.
    /// </summary>
    public static TonePattern ChinaRingback { get; } = new(450, 0, -10, [new(1000, true), new(4000, false)], Repeat: true);

    /// <summary>China's busy tone: 450 Hz, 0.35 s on, 0.35 s off.</summary>
    public static TonePattern ChinaBusy { get; } = new(450, 0, -10, [new(350, true), new(350, false)], Repeat: true);

    /// <summary>The "speak after the tone" beep: 1 kHz for 300 ms at −10 dBm0, once.</summary>
    public static TonePattern Beep { get; } = new(1000, 0, -10, [new(300, true)], Repeat: false);

    /// <summary>
    /// One DTMF key: its two Q.23 frequencies for <paramref name="onMilliseconds"/>, then a pause
    /// (level per frequency; Q.23 §3 asks between −4 and −13 dBm0 at the telephone, lower after line loss).
    /// </summary>
    public static TonePattern Dtmf(char digit, int onMilliseconds = 100, int offMilliseconds = 100, double levelDbm0 = -10)
    {
        var (low, high) = DtmfFrequencies.Of(digit);
        return new(low, high, levelDbm0, [new(onMilliseconds, true), new(offMilliseconds, false)], Repeat: false);
    }

    /// <summary>The length of one cycle of the cadence.</summary>
    public TimeSpan CycleLength => TimeSpan.FromMilliseconds(Cadence.Sum(s => s.Milliseconds));
}
