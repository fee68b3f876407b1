namespace Telephony.Speech.Recognition;

/// <summary>Decoding settings for one run of whisper_full. The defaults are the hotline's: Mandarin, no
/// translation, Simplified Chinese kept by the prompt, greedy with temperature fallback.</summary>
public sealed record TranscriptionOptions
{
    /// <summary>ISO 639-1 code; <c>zh</c> covers Mandarin (Whisper has no separate Cantonese code before large-v3).</summary>
    public string Language { get; init; } = "zh";

    /// <summary>Whisper writes Chinese in Traditional characters about as often as Simplified unless the
    /// prompt shows it Simplified text with punctuation; this sentence is the usual remedy.</summary>
    public string? InitialPrompt { get; init; } = "以下是普通话的句子，使用简体中文。";

    /// <summary>Threads for one run; 0 means the pool decides (cores / workers).</summary>
    public int Threads { get; init; }

    /// <summary>First decoding temperature; on a failed decode (entropy or log-probability thresholds)
    /// whisper.cpp retries at +<see cref="TemperatureIncrement"/> up to 1.0. 0 turns the fallback off.</summary>
    public float Temperature { get; init; }
    public float TemperatureIncrement { get; init; } = 0.2f;

    /// <summary>Greedy candidates per fallback step (whisper.cpp's default is 5).</summary>
    public int BestOf { get; init; } = 5;

    /// <summary>Per-segment token limit (0 = none). A loop of repeated tokens otherwise runs to the text context.</summary>
    public int MaxTokensPerSegment { get; init; }

    /// <summary>Encoder context override (0 = the model's 1500 frames = 30 s). Smaller is faster for short
    /// audio but whisper.cpp documents it as a quality trade-off: tests and the benchmark set it, the hotline does not.</summary>
    public int AudioContext { get; init; }

    /// <summary>When <see cref="AudioContext"/> is 0, size the encoder window to the utterance plus
    /// <see cref="AudioContextMarginSeconds"/> instead of whisper's fixed 30 s: the encoder's cost scales with
    /// its context (base on 2 cores: about 3x less for a 10 s utterance). Whisper was trained on 30 s windows,
    /// so a short context can cost accuracy; the margin and the floor keep the window well past the speech.
    /// Not yet checked against a trained model here (docs/speech.md).</summary>
    public bool FitAudioContext { get; init; } = true;
    public double AudioContextMarginSeconds { get; init; } = 2.0;

    /// <summary>Cap on tokens decoded per second of audio (0 = none), on top of <see cref="MaxTokensPerSegment"/>:
    /// Mandarin speech runs 3 to 6 characters a second, so a decode past this is a hallucinated loop.</summary>
    public double MaxTokensPerSecond { get; init; } = 12;

    /// <summary>The encoder context for <paramref name="samples"/> 16 kHz samples (0 = whisper's 1500 frames).</summary>
    public int AudioContextFor(int samples)
    {
        if (AudioContext > 0 || !FitAudioContext) return AudioContext;
        // 50 encoder frames per second (whisper's 10 ms mel hop, halved by the second convolution).
        var frames = (int)Math.Ceiling((samples / 16000.0 + AudioContextMarginSeconds) * 50);
        frames = (frames + 63) / 64 * 64; // fewer distinct graph shapes
        return frames >= 1500 ? 0 : Math.Max(256, frames);
    }

    /// <summary>The token limit for one segment of <paramref name="samples"/> 16 kHz samples (0 = none).</summary>
    public int MaxTokensFor(int samples)
    {
        var byRate = MaxTokensPerSecond > 0 ? (int)Math.Ceiling(samples / 16000.0 * MaxTokensPerSecond) + 8 : 0;
        if (byRate == 0) return MaxTokensPerSegment;
        return MaxTokensPerSegment == 0 ? byRate : Math.Min(byRate, MaxTokensPerSegment);
    }

    public static TranscriptionOptions Default { get; } = new();
}
