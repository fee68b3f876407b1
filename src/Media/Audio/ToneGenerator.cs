namespace Telephony.Media.Audio;

/// <summary>
/// Plays a <see cref="TonePattern"/> into PCM frames: the phase and the place in the cadence carry across
/// calls, so 20 ms frames join without clicks. One instance per stream; no allocation per frame.
/// </summary>
public sealed class ToneGenerator
{
    private readonly TonePattern _pattern;
    private readonly int _sampleRate;
    private readonly int[] _stepSamples;
    private readonly double _amplitude;
    private readonly double _phaseStep1, _phaseStep2;
    private double _phase1, _phase2;
    private int _step, _sampleInStep;

    public ToneGenerator(TonePattern pattern, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Cadence.Count == 0) throw new ArgumentException("a tone pattern needs at least one cadence step", nameof(pattern));
        double nyquist = sampleRate / 2.0;
        if (pattern.Frequency1 <= 0 || pattern.Frequency1 >= nyquist || pattern.Frequency2 < 0 || pattern.Frequency2 >= nyquist)
            throw new ArgumentException($"tone frequencies {pattern.Frequency1}/{pattern.Frequency2} Hz do not fit a {sampleRate} Hz rate", nameof(pattern));
        _pattern = pattern;
        _sampleRate = sampleRate;
        _stepSamples = pattern.Cadence.Select(s => (int)((long)s.Milliseconds * sampleRate / 1000)).ToArray();
        _amplitude = Dbm0.SineAmplitude(pattern.LevelDbm0);
        _phaseStep1 = 2 * Math.PI * pattern.Frequency1 / sampleRate;
        _phaseStep2 = 2 * Math.PI * pattern.Frequency2 / sampleRate;
    }

    public int SampleRate => _sampleRate;

    /// <summary>True once a pattern that does not repeat has played to its end; further output is silence.</summary>
    public bool Finished => !_pattern.Repeat && _step >= _stepSamples.Length;

    /// <summary>Fills <paramref name="output"/>; returns the samples of tone or pause written (fewer only at the end of a one-shot pattern).</summary>
    public int Generate(Span<short> output)
    {
        int written = 0;
        while (written < output.Length)
        {
            if (_step >= _stepSamples.Length)
            {
                if (!_pattern.Repeat) break;
                _step = 0;
            }
            int n = Math.Min(output.Length - written, _stepSamples[_step] - _sampleInStep);
            var target = output.Slice(written, n);
            if (_pattern.Cadence[_step].On) Synthesize(target);
            else target.Clear();
            written += n;
            _sampleInStep += n;
            if (_sampleInStep >= _stepSamples[_step]) { _step++; _sampleInStep = 0; }
        }
        output[written..].Clear();
        return written;
    }

    private void Synthesize(Span<short> target)
    {
        bool dual = _pattern.Frequency2 > 0;
        for (int i = 0; i < target.Length; i++)
        {
            double value = Math.Sin(_phase1);
            if (dual) value += Math.Sin(_phase2);
            target[i] = (short)Math.Clamp(Math.Round(_amplitude * value), short.MinValue, short.MaxValue);
            _phase1 += _phaseStep1;
            _phase2 += _phaseStep2;
        }
        // Keep the phases small so precision does not drift over a long ringback.
        if (_phase1 > 2 * Math.PI) _phase1 %= 2 * Math.PI;
        if (_phase2 > 2 * Math.PI) _phase2 %= 2 * Math.PI;
    }

    /// <summary>The whole pattern (one cycle of a repeating one) rendered at <paramref name="sampleRate"/>.</summary>
    public static short[] Render(TonePattern pattern, int sampleRate)
    {
        var samples = new short[(int)(pattern.CycleLength.TotalSeconds * sampleRate)];
        new ToneGenerator(pattern, sampleRate).Generate(samples);
        return samples;
    }

    /// <summary>A DTMF digit string as tones with pauses, for tests and for sending in-band.</summary>
    public static short[] RenderDigits(string digits, int sampleRate, int onMilliseconds = 100, int offMilliseconds = 100, double levelDbm0 = -10)
    {
        var result = new List<short>();
        foreach (char digit in digits) result.AddRange(Render(TonePattern.Dtmf(digit, onMilliseconds, offMilliseconds, levelDbm0), sampleRate));
        return result.ToArray();
    }
}
