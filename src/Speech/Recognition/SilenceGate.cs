namespace Telephony.Speech.Recognition;

/// <summary>
/// Whisper fed pure silence or line hiss invents text ("谢谢观看", "字幕由…提供"). The endpointer only hands
/// on audio the VAD called speech; this gate is the last check before the model for audio from anywhere
/// else (the transcribe command, a recording): an utterance whose loudest 30 ms frame stays below
/// <see cref="ThresholdDbfs"/> never reaches the model.
/// </summary>
public static class SilenceGate
{
    /// <summary>About the level of a quiet telephone line's noise floor; speech peaks 30–40 dB above it.</summary>
    public const double ThresholdDbfs = -50;
    private const int Frame = 480; // 30 ms at 16 kHz

    public static bool IsSilence(ReadOnlySpan<float> samples)
    {
        if (samples.Length == 0) return true;
        var threshold = Math.Pow(10, ThresholdDbfs / 10); // on mean square
        for (var start = 0; start < samples.Length; start += Frame)
        {
            var frame = samples.Slice(start, Math.Min(Frame, samples.Length - start));
            double sum = 0;
            foreach (var s in frame) sum += s * s;
            if (sum / frame.Length > threshold) return false;
        }
        return true;
    }
}
