namespace Telephony.Speech.Vad;

/// <summary>When an utterance starts and ends. Defaults follow Silero's own (threshold 0.5, hysteresis 0.15)
/// with the hotline's end-of-turn silence of 800 ms: long enough for a caller's pause mid-sentence, short
/// enough that the reply does not feel late.</summary>
public sealed record EndpointerOptions
{
    /// <summary>A frame at or above this probability starts speech.</summary>
    public float Threshold { get; init; } = 0.5f;

    /// <summary>Once in speech, frames stay speech down to this probability (hysteresis).</summary>
    public float ContinueThreshold { get; init; } = 0.35f;

    /// <summary>Speech shorter than this (a cough, a click) is dropped.</summary>
    public TimeSpan MinSpeech { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Silence after speech that ends the utterance.</summary>
    public TimeSpan EndSilence { get; init; } = TimeSpan.FromMilliseconds(800);

    /// <summary>An utterance is cut here and a new one starts; Whisper's window is 30 s.</summary>
    public TimeSpan MaxUtterance { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>Audio kept before the detected start and after the end: the VAD's decision lags the onset by a frame or two.</summary>
    public TimeSpan Padding { get; init; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>One stretch of speech, handed on as 16 kHz PCM16.</summary>
/// <param name="SpeechStart">Where the VAD found speech to start, from the start of the stream.</param>
/// <param name="SpeechEnd">Where it found speech to end (the decision came <see cref="EndpointerOptions.EndSilence"/> later).</param>
/// <param name="AudioStart">Stream time of <see cref="Samples"/>[0] (the start minus padding).</param>
/// <param name="Samples">The utterance with padding either side.</param>
/// <param name="CutAtMaximum">True when the utterance reached the maximum length and the speech goes on in the next one.</param>
public sealed record Utterance(TimeSpan SpeechStart, TimeSpan SpeechEnd, TimeSpan AudioStart, short[] Samples, bool CutAtMaximum)
{
    public TimeSpan Duration => SpeechEnd - SpeechStart;
}
