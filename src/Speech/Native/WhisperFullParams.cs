using System.Runtime.InteropServices;

namespace Telephony.Speech.Native;

// The structs of whisper.h (whisper.cpp 1.9.1), field for field and in the same order, so that they can be
// passed by value. C `bool` is one byte: it is a `byte` here to keep the struct blittable. A field added,
// dropped or moved upstream shifts everything after it and corrupts memory, which is why
// NativeLayoutTests compiles offsetof() for every field against the header the setup installed and
// compares it with these offsets, and reads back whisper.cpp's own defaults through this layout.

/// <summary><c>struct whisper_vad_params</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct WhisperVadParams
{
    public float Threshold;
    public int MinSpeechDurationMs;
    public int MinSilenceDurationMs;
    public float MaxSpeechDurationS;
    public int SpeechPadMs;
    public float SamplesOverlap;
}

/// <summary><c>struct whisper_full_params</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct WhisperFullParams
{
    public int Strategy;                // enum whisper_sampling_strategy: 0 greedy, 1 beam search
    public int NThreads;
    public int NMaxTextCtx;
    public int OffsetMs;
    public int DurationMs;

    public byte Translate;
    public byte NoContext;
    public byte NoTimestamps;
    public byte SingleSegment;
    public byte PrintSpecial;
    public byte PrintProgress;
    public byte PrintRealtime;
    public byte PrintTimestamps;

    public byte TokenTimestamps;
    public float TholdPt;
    public float TholdPtsum;
    public int MaxLen;
    public byte SplitOnWord;
    public int MaxTokens;

    public byte DebugMode;
    public int AudioCtx;

    public byte TdrzEnable;

    public nint SuppressRegex;          // const char *

    public nint InitialPrompt;          // const char *
    public byte CarryInitialPrompt;
    public nint PromptTokens;           // const whisper_token *
    public int PromptNTokens;

    public nint Language;               // const char *
    public byte DetectLanguage;

    public byte SuppressBlank;
    public byte SuppressNst;

    public float Temperature;
    public float MaxInitialTs;
    public float LengthPenalty;

    public float TemperatureInc;
    public float EntropyThold;
    public float LogprobThold;
    public float NoSpeechThold;

    public int GreedyBestOf;            // struct { int best_of; } greedy
    public int BeamSize;                // struct { int beam_size; float patience; } beam_search
    public float BeamPatience;

    public nint NewSegmentCallback;
    public nint NewSegmentCallbackUserData;
    public nint ProgressCallback;
    public nint ProgressCallbackUserData;
    public nint EncoderBeginCallback;
    public nint EncoderBeginCallbackUserData;
    public delegate* unmanaged<nint, byte> AbortCallback;   // ggml_abort_callback: bool (*)(void *)
    public nint AbortCallbackUserData;
    public nint LogitsFilterCallback;
    public nint LogitsFilterCallbackUserData;

    public nint GrammarRules;           // const whisper_grammar_element **
    public nuint NGrammarRules;
    public nuint IStartRule;
    public float GrammarPenalty;

    public byte Vad;
    public nint VadModelPath;           // const char *
    public WhisperVadParams VadParams;
}

/// <summary><c>struct whisper_context_params</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct WhisperContextParams
{
    public byte UseGpu;
    public byte FlashAttn;
    public int GpuDevice;
    public byte DtwTokenTimestamps;
    public int DtwAheadsPreset;
    public int DtwNTop;
    public nuint DtwAheadsNHeads;       // struct whisper_aheads { size_t n_heads; const whisper_ahead * heads; }
    public nint DtwAheadsHeads;
    public nuint DtwMemSize;
}

/// <summary><c>struct whisper_vad_context_params</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct WhisperVadContextParams
{
    public int NThreads;
    public byte UseGpu;
    public int GpuDevice;
}

/// <summary><c>struct whisper_timings</c> (milliseconds, of the context's default state).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct WhisperTimings
{
    public float SampleMs;
    public float EncodeMs;
    public float DecodeMs;
    public float BatchdMs;
    public float PromptMs;
}
