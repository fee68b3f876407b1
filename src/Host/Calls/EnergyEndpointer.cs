namespace Telephony.Host.Calls;

public enum EndpointResult { Listening, Speech, EndOfSpeech, NoSpeech, MaxLength }

/// <summary>
/// A simple energy endpointer for "record until the caller stops": a 20 ms frame whose RMS is above the
/// threshold is speech; speech starts after 3 such frames in a row (60 ms: clicks and a concealed packet
/// are not speech) and ends after <see cref="CallFlowOptions.EndSilence"/> of frames below it. Good enough on
/// a quiet line; the Silero VAD replaces it when Speech lands.
/// </summary>
public sealed class EnergyEndpointer
{
    private const int FramesToStart = 3;
    private readonly double _threshold;   // mean square, in sample units squared
    private readonly TimeSpan _endSilence;
    private readonly TimeSpan _noSpeech;
    private readonly TimeSpan _max;
    private TimeSpan _elapsed;
    private TimeSpan _silence;
    private int _loudInRow;

    public EnergyEndpointer(CallFlowOptions options)
        : this(options.SpeechThresholdDbfs, options.EndSilence, options.NoSpeechTimeout, options.MaxRecording) { }

    public EnergyEndpointer(double speechThresholdDbfs, TimeSpan endSilence, TimeSpan noSpeechTimeout, TimeSpan maxLength)
    {
        var amplitude = 32768 * Math.Pow(10, speechThresholdDbfs / 20);
        _threshold = amplitude * amplitude;
        _endSilence = endSilence;
        _noSpeech = noSpeechTimeout;
        _max = maxLength;
    }

    public bool SpeechStarted { get; private set; }

    /// <summary>The frame just processed was speech (loud, after the start): what speculative transcription tracks.</summary>
    public bool LastFrameSpeech { get; private set; }

    /// <summary>Feeds one frame of <paramref name="sampleRate"/> PCM; tells whether the recording should end.</summary>
    public EndpointResult Process(ReadOnlySpan<short> frame, int sampleRate)
    {
        _elapsed += TimeSpan.FromSeconds((double)frame.Length / sampleRate);
        double sum = 0;
        foreach (var s in frame) sum += s * s;
        var loud = frame.Length > 0 && sum / frame.Length > _threshold;

        _loudInRow = loud ? _loudInRow + 1 : 0;
        if (!SpeechStarted && _loudInRow >= FramesToStart) SpeechStarted = true;
        LastFrameSpeech = SpeechStarted && loud;
        if (SpeechStarted) _silence = loud ? TimeSpan.Zero : _silence + TimeSpan.FromSeconds((double)frame.Length / sampleRate);

        if (_elapsed >= _max) return EndpointResult.MaxLength;
        if (!SpeechStarted) return _elapsed >= _noSpeech ? EndpointResult.NoSpeech : EndpointResult.Listening;
        return _silence >= _endSilence ? EndpointResult.EndOfSpeech : EndpointResult.Speech;
    }
}
