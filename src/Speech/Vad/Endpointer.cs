namespace Telephony.Speech.Vad;

/// <summary>
/// Turns a call's 16 kHz audio into utterances: speech starts on a frame at or above the threshold, ends
/// after <see cref="EndpointerOptions.EndSilence"/> of frames below the continue threshold, is cut at the
/// maximum length, and is dropped when shorter than the minimum. Frame probabilities come from a
/// classifier (whisper.cpp's Silero VAD in production, anything in tests), 512 samples (32 ms) at a time.
/// Feed audio as it arrives with <see cref="Push"/>; call <see cref="Flush"/> when the caller hangs up.
/// </summary>
public sealed class Endpointer
{
    private const int Frame = SileroVad.FrameSamples;
    private const int Rate = Audio.Pcm16Wav.SampleRate;

    private readonly EndpointerOptions _options;
    private readonly Func<float[], float[]> _classify;
    private readonly List<short> _audio = new();   // stream samples from _origin on
    private readonly List<short> _pending = new(); // samples not yet a whole frame
    private long _origin;         // stream index of _audio[0]
    private long _frames;         // frames classified so far
    private bool _inSpeech;
    private long _speechStart;    // stream sample index
    private long _lastSpeechEnd;  // stream sample index just past the last speech frame
    private long _silence;        // samples of silence since the last speech frame

    /// <param name="classify">Speech probability per frame for whole frames of float samples.</param>
    public Endpointer(EndpointerOptions options, Func<float[], float[]> classify)
    {
        _options = options;
        _classify = classify;
    }

    /// <summary>An endpointer over whisper.cpp's Silero VAD (the instance is reset and then owned by this stream).</summary>
    public static Endpointer WithSilero(SileroVad vad, EndpointerOptions? options = null)
    {
        vad.Reset();
        return new Endpointer(options ?? new EndpointerOptions(), samples => vad.Process(samples));
    }

    /// <summary>True while an utterance is open.</summary>
    public bool InSpeech => _inSpeech;

    /// <summary>While an utterance is open: the silence since its last speech frame (zero while speaking).</summary>
    public TimeSpan TrailingSilence => _inSpeech ? Time(_silence) : TimeSpan.Zero;

    /// <summary>
    /// The utterance as it would be emitted if the silence now under way reaches the end silence: the same
    /// samples, padding included (the padding after the end is there once the silence is as long as it).
    /// Null while not in speech, while speaking, before the trailing padding has arrived, or when too short.
    /// This is what a speculative transcription runs on.
    /// </summary>
    public Utterance? Pending()
    {
        if (!_inSpeech || _silence < Samples(_options.Padding)) return null;
        return Build(_speechStart, _lastSpeechEnd, cut: false);
    }

    /// <summary>Adds audio; returns the utterances that ended in it (usually none).</summary>
    public IReadOnlyList<Utterance> Push(ReadOnlySpan<short> samples)
    {
        foreach (var s in samples) _pending.Add(s);
        var whole = _pending.Count / Frame * Frame;
        if (whole == 0) return [];
        var floats = new float[whole];
        for (var i = 0; i < whole; i++) floats[i] = _pending[i] / 32768f;
        _audio.AddRange(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending)[..whole]);
        _pending.RemoveRange(0, whole);

        var probabilities = _classify(floats);
        List<Utterance>? done = null;
        foreach (var p in probabilities)
        {
            if (Step(p) is { } utterance) (done ??= new()).Add(utterance);
            _frames++;
        }
        if (!_inSpeech) Trim(_frames * Frame - Samples(_options.Padding));
        return done ?? (IReadOnlyList<Utterance>)[];
    }

    /// <summary>Ends the stream: an open utterance ends at its last speech frame.</summary>
    public IReadOnlyList<Utterance> Flush()
    {
        if (!_inSpeech) return [];
        _inSpeech = false;
        return Emit(_speechStart, _lastSpeechEnd, cut: false) is { } u ? [u] : [];
    }

    private Utterance? Step(float probability)
    {
        var frameStart = _frames * Frame;
        var frameEnd = frameStart + Frame;
        if (!_inSpeech)
        {
            if (probability < _options.Threshold) return null;
            _inSpeech = true;
            _speechStart = frameStart;
            _lastSpeechEnd = frameEnd;
            _silence = 0;
            return null;
        }
        if (probability >= _options.ContinueThreshold)
        {
            _lastSpeechEnd = frameEnd;
            _silence = 0;
            if (frameEnd - _speechStart >= Samples(_options.MaxUtterance))
            {
                var cut = Emit(_speechStart, frameEnd, cut: true);
                _speechStart = frameEnd; // still speaking: the next utterance starts here
                return cut;
            }
            return null;
        }
        _silence += Frame;
        if (_silence < Samples(_options.EndSilence)) return null;
        _inSpeech = false;
        return Emit(_speechStart, _lastSpeechEnd, cut: false);
    }

    private Utterance? Emit(long start, long end, bool cut)
    {
        var utterance = Build(start, end, cut);
        if (utterance is null) return null;
        Trim(cut ? end - Samples(_options.Padding) : end);
        return utterance;
    }

    private Utterance? Build(long start, long end, bool cut)
    {
        if (!cut && end - start < Samples(_options.MinSpeech)) return null;
        var pad = Samples(_options.Padding);
        var from = Math.Max(_origin, start - pad);
        var to = Math.Min(_origin + _audio.Count, end + pad);
        var samples = _audio.GetRange((int)(from - _origin), (int)(to - from)).ToArray();
        return new Utterance(Time(start), Time(end), Time(from), samples, cut);
    }

    private void Trim(long keepFrom)
    {
        var drop = (int)Math.Clamp(keepFrom - _origin, 0, _audio.Count);
        if (drop == 0) return;
        _audio.RemoveRange(0, drop);
        _origin += drop;
    }

    private static long Samples(TimeSpan t) => (long)(t.TotalSeconds * Rate);
    private static TimeSpan Time(long samples) => TimeSpan.FromSeconds(samples / (double)Rate);
}
