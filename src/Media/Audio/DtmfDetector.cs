namespace Telephony.Media.Audio;

/// <summary>A DTMF key found in the audio, at the sample (since the detector started) where its tone began.</summary>
public readonly record struct DtmfDetection(char Digit, long StartSample);

/// <summary>
/// In-band DTMF receiver over 8 kHz PCM (ITU-T Q.24 receiver characteristics for the Q.23 frequencies).
/// The audio is cut into blocks of 102 samples (12.75 ms); in each block Goertzel filters measure the eight
/// frequencies, and a block names a key only when all of these hold:
/// <list type="bullet">
/// <item>each of its two tones is above <see cref="MinimumToneLevelDbm0"/> (Q.24: operate from about −25 dBm0 per tone);</item>
/// <item>the twist (high-group level minus low-group level) is within −8 … +4 dB (normal and reverse twist);</item>
/// <item>each tone is at least 8 dB above the other frequencies of its group;</item>
/// <item>the two tones carry at least 70 % of the block's energy, which rejects speech (talk-off).</item>
/// </list>
/// A key is reported once, when two consecutive blocks (25.5 ms) name it: any 40 ms tone contains two whole
/// blocks, so Q.24's 40 ms minimum is met, and shorter bursts from speech rarely are. It is released after
/// two blocks without it, so a one-block drop-out inside a long tone does not report the key twice (de-bounce).
/// One instance per stream; no allocation per frame.
/// </summary>
public sealed class DtmfDetector
{
    public const int SampleRate = 8000;
    public const int BlockSize = 102;
    public const double MinimumToneLevelDbm0 = -30;
    private const double NormalTwistDb = 8, ReverseTwistDb = 4, GroupMarginDb = 8, ToneEnergyShare = 0.7;

    private static readonly double[] LowCoefficients = DtmfFrequencies.Low.Select(Coefficient).ToArray();
    private static readonly double[] HighCoefficients = DtmfFrequencies.High.Select(Coefficient).ToArray();

    // A tone at the minimum level, as the Goertzel power 2|X|²/N measures it (= the tone's energy in the block).
    private static readonly double MinimumTonePower = BlockSize * Math.Pow(Dbm0.SineAmplitude(MinimumToneLevelDbm0), 2) / 2;

    private readonly double[] _low = new double[4], _high = new double[4];
    private readonly short[] _block = new short[BlockSize];
    private int _filled;
    private long _blockStart;           // sample index of _block[0]

    private char _candidate;            // the key the previous block named, or '\0'
    private long _candidateStart;
    private char _present;              // the key reported and not yet released
    private int _missing;               // consecutive blocks without the present key

    private readonly DtmfDetection[] _queue = new DtmfDetection[32];
    private int _head, _count;

    private static double Coefficient(double frequency) => 2 * Math.Cos(2 * Math.PI * frequency / SampleRate);

    /// <summary>Feeds 8 kHz samples; returns how many keys were found (read them with <see cref="TryRead"/>).</summary>
    public int Process(ReadOnlySpan<short> pcm)
    {
        int found = 0;
        while (!pcm.IsEmpty)
        {
            int n = Math.Min(BlockSize - _filled, pcm.Length);
            pcm[..n].CopyTo(_block.AsSpan(_filled));
            _filled += n;
            pcm = pcm[n..];
            if (_filled < BlockSize) break;
            if (Track(Classify())) found++;
            _filled = 0;
            _blockStart += BlockSize;
        }
        return found;
    }

    /// <summary>The oldest key found and not yet read.</summary>
    public bool TryRead(out DtmfDetection detection)
    {
        if (_count == 0) { detection = default; return false; }
        detection = _queue[_head];
        _head = (_head + 1) % _queue.Length;
        _count--;
        return true;
    }

    // The per-block decision: the key this block names, or '\0'.
    private char Classify()
    {
        double energy = 0;
        foreach (short s in _block) energy += (double)s * s;
        if (energy < 2 * MinimumTonePower) return '\0';

        for (int i = 0; i < 4; i++)
        {
            _low[i] = Goertzel(_block, LowCoefficients[i]);
            _high[i] = Goertzel(_block, HighCoefficients[i]);
        }
        int row = Strongest(_low), column = Strongest(_high);
        double low = _low[row], high = _high[column];
        if (low < MinimumTonePower || high < MinimumTonePower) return '\0';

        double twist = 10 * Math.Log10(high / low);
        if (twist < -NormalTwistDb || twist > ReverseTwistDb) return '\0';
        if (!StandsOut(_low, row) || !StandsOut(_high, column)) return '\0';
        if (low + high < ToneEnergyShare * energy) return '\0';
        return DtmfFrequencies.Digit(row, column);
    }

    // The key's life: confirm on the second block in a row, release after two blocks without it.
    private bool Track(char key)
    {
        bool reported = false;
        if (_present != '\0')
        {
            if (key == _present) { _missing = 0; _candidate = key; return false; }
            if (++_missing < 2 && key == '\0') return false;
            _present = '\0';
            _missing = 0;
        }
        if (key != '\0' && key == _candidate)
        {
            _present = key;
            Enqueue(new DtmfDetection(key, _candidateStart));
            reported = true;
        }
        else if (key != _candidate)
        {
            _candidateStart = _blockStart;
        }
        _candidate = key;
        return reported;
    }

    private void Enqueue(DtmfDetection detection)
    {
        if (_count == _queue.Length) { _head = (_head + 1) % _queue.Length; _count--; } // unread keys: drop the oldest
        _queue[(_head + _count) % _queue.Length] = detection;
        _count++;
    }

    private static bool StandsOut(double[] powers, int strongest)
    {
        double margin = Math.Pow(10, GroupMarginDb / 10);
        for (int i = 0; i < powers.Length; i++)
            if (i != strongest && powers[i] * margin > powers[strongest]) return false;
        return true;
    }

    private static int Strongest(double[] powers)
    {
        int best = 0;
        for (int i = 1; i < powers.Length; i++) if (powers[i] > powers[best]) best = i;
        return best;
    }

    /// <summary>The Goertzel recursion; returns 2|X(f)|²/N, the energy in the block of a sine at f.</summary>
    private static double Goertzel(ReadOnlySpan<short> block, double coefficient)
    {
        double s1 = 0, s2 = 0;
        foreach (short x in block)
        {
            double s0 = x + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        return 2 * power / block.Length;
    }

    public void Reset()
    {
        _filled = 0;
        _blockStart = 0;
        _candidate = _present = '\0';
        _missing = 0;
        _head = _count = 0;
    }
}
