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

    public static TranscriptionOptions Default { get; } = new();
}
