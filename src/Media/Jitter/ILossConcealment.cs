namespace Telephony.Media.Jitter;

/// <summary>
/// Fills a frame the network lost (packet loss concealment). The codec layer provides one per stream:
/// a codec with its own PLC (G.722 Appendix IV, say) can do better than <see cref="RepeatAttenuateConcealment"/>.
/// </summary>
public interface ILossConcealment
{
    /// <summary>A frame was decoded and played: remember it.</summary>
    void Played(ReadOnlySpan<short> pcm);

    /// <summary>Writes a substitute for the <paramref name="consecutiveLost"/>th missing frame in a row (1-based).</summary>
    void Conceal(Span<short> pcm, int consecutiveLost);
}

/// <summary>
/// PCM concealment in the spirit of ITU-T G.711 Appendix I at its simplest: repeat the last good frame,
/// halving its level with each further loss, for up to <see cref="MaxRepeats"/> frames; then silence (a
/// repeated frame for longer sounds like a buzz).
/// </summary>
public sealed class RepeatAttenuateConcealment(int frameSamples) : ILossConcealment
{
    public const int MaxRepeats = 3;
    private readonly short[] _last = new short[frameSamples];
    private int _lastLength;

    public void Played(ReadOnlySpan<short> pcm)
    {
        var n = Math.Min(pcm.Length, _last.Length);
        pcm[..n].CopyTo(_last);
        _lastLength = n;
    }

    public void Conceal(Span<short> pcm, int consecutiveLost)
    {
        if (consecutiveLost > MaxRepeats || _lastLength == 0) { pcm.Clear(); return; }
        var shift = consecutiveLost; // 1st loss at half level, then a quarter, an eighth
        var n = Math.Min(pcm.Length, _lastLength);
        for (var i = 0; i < n; i++) pcm[i] = (short)(_last[i] >> shift);
        pcm[n..].Clear();
    }
}
