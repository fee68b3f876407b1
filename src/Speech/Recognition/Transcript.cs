namespace Telephony.Speech.Recognition;

/// <summary>One segment as whisper.cpp produced it (times from the start of the audio).</summary>
public sealed record TranscriptSegment(TimeSpan Start, TimeSpan End, string Text, float NoSpeechProbability);

/// <summary>The result of one transcription.</summary>
/// <param name="Text">The segments joined, loops of repeated text cut.</param>
/// <param name="Language">The language whisper decoded in (what was asked for, or detected).</param>
/// <param name="Confidence">Mean probability of the text tokens, 0 to 1; 0 when nothing was decoded.</param>
/// <param name="AudioDuration">Length of the audio given.</param>
/// <param name="ProcessingTime">Wall time of whisper_full (0 when the audio was silence and never reached the model).</param>
/// <param name="SkippedAsSilence">True when the silence gate kept the audio away from the model.</param>
/// <param name="RepetitionCut">True when <see cref="RepetitionGuard"/> removed a loop.</param>
public sealed record Transcript(
    string Text,
    string Language,
    float Confidence,
    IReadOnlyList<TranscriptSegment> Segments,
    TimeSpan AudioDuration,
    TimeSpan ProcessingTime,
    bool SkippedAsSilence,
    bool RepetitionCut)
{
    /// <summary>Processing time over audio time (below 1 is faster than real time).</summary>
    /// <summary>whisper's encoder pass (one window; the first only, for audio past 30 s).</summary>
    public TimeSpan EncodeTime { get; init; }

    /// <summary>Decoder steps after the encoder (prompt, then one per token and fallback retry) and their time.</summary>
    public int DecoderSteps { get; init; }
    public TimeSpan DecodeTime { get; init; }

    /// <summary>Encoder frames used (1500 = whisper's 30 s window).</summary>
    public int AudioContextFrames { get; init; }

    public double RealTimeFactor => AudioDuration > TimeSpan.Zero ? ProcessingTime / AudioDuration : 0;

    public static Transcript Silence(TimeSpan audio, string language) => new("", language, 0, [], audio, TimeSpan.Zero, true, false);
}
