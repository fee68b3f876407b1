using System.Runtime.InteropServices;

namespace Telephony.Speech.Native;

/// <summary>
/// The functions of whisper.h (whisper.cpp 1.9.1) the binding uses. Contexts, states and VAD contexts are
/// owned by the SafeHandles in this folder; nothing else frees them. Library resolution is in
/// <see cref="WhisperLibrary"/>.
/// </summary>
internal static unsafe partial class WhisperNative
{
    public const string Library = "whisper";

    [LibraryImport(Library, EntryPoint = "whisper_version")]
    public static partial nint Version();

    [LibraryImport(Library, EntryPoint = "whisper_context_default_params")]
    public static partial WhisperContextParams ContextDefaultParams();

    [LibraryImport(Library, EntryPoint = "whisper_full_default_params")]
    public static partial WhisperFullParams FullDefaultParams(int strategy);

    [LibraryImport(Library, EntryPoint = "whisper_vad_default_params")]
    public static partial WhisperVadParams VadDefaultParams();

    [LibraryImport(Library, EntryPoint = "whisper_vad_default_context_params")]
    public static partial WhisperVadContextParams VadDefaultContextParams();

    // Weights only: every worker gets its own state (whisper_init_state), so one copy of the model serves
    // the whole pool (whisper.cpp #523).
    [LibraryImport(Library, EntryPoint = "whisper_init_from_file_with_params_no_state", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint InitFromFileNoState(string path, WhisperContextParams parameters);

    [LibraryImport(Library, EntryPoint = "whisper_init_state")]
    public static partial nint InitState(WhisperContextHandle context);

    [LibraryImport(Library, EntryPoint = "whisper_free")]
    public static partial void Free(nint context);

    [LibraryImport(Library, EntryPoint = "whisper_free_state")]
    public static partial void FreeState(nint state);

    [LibraryImport(Library, EntryPoint = "whisper_full_with_state")]
    public static partial int FullWithState(WhisperContextHandle context, WhisperStateHandle state, WhisperFullParams parameters, float* samples, int sampleCount);

    [LibraryImport(Library, EntryPoint = "whisper_full_n_segments_from_state")]
    public static partial int SegmentCount(WhisperStateHandle state);

    [LibraryImport(Library, EntryPoint = "whisper_full_lang_id_from_state")]
    public static partial int LanguageId(WhisperStateHandle state);

    [LibraryImport(Library, EntryPoint = "whisper_lang_str")]
    public static partial nint LanguageString(int id);

    [LibraryImport(Library, EntryPoint = "whisper_full_get_segment_t0_from_state")]
    public static partial long SegmentStart(WhisperStateHandle state, int segment);

    [LibraryImport(Library, EntryPoint = "whisper_full_get_segment_t1_from_state")]
    public static partial long SegmentEnd(WhisperStateHandle state, int segment);

    [LibraryImport(Library, EntryPoint = "whisper_full_get_segment_text_from_state")]
    public static partial nint SegmentText(WhisperStateHandle state, int segment);

    [LibraryImport(Library, EntryPoint = "whisper_full_get_segment_no_speech_prob_from_state")]
    public static partial float SegmentNoSpeechProbability(WhisperStateHandle state, int segment);

    [LibraryImport(Library, EntryPoint = "whisper_full_n_tokens_from_state")]
    public static partial int TokenCount(WhisperStateHandle state, int segment);

    [LibraryImport(Library, EntryPoint = "whisper_full_get_token_id_from_state")]
    public static partial int TokenId(WhisperStateHandle state, int segment, int token);

    [LibraryImport(Library, EntryPoint = "whisper_full_get_token_p_from_state")]
    public static partial float TokenProbability(WhisperStateHandle state, int segment, int token);

    [LibraryImport(Library, EntryPoint = "whisper_token_eot")]
    public static partial int TokenEot(WhisperContextHandle context);

    [LibraryImport(Library, EntryPoint = "whisper_is_multilingual")]
    public static partial int IsMultilingual(WhisperContextHandle context);

    [LibraryImport(Library, EntryPoint = "whisper_model_type_readable")]
    public static partial nint ModelTypeReadable(WhisperContextHandle context);

    [LibraryImport(Library, EntryPoint = "whisper_log_set")]
    public static partial void LogSet(delegate* unmanaged<int, nint, nint, void> callback, nint userData);

    [LibraryImport(Library, EntryPoint = "whisper_vad_init_from_file_with_params", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint VadInitFromFile(string path, WhisperVadContextParams parameters);

    [LibraryImport(Library, EntryPoint = "whisper_vad_free")]
    public static partial void VadFree(nint context);

    [LibraryImport(Library, EntryPoint = "whisper_vad_detect_speech_no_reset")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool VadDetectSpeechNoReset(VadContextHandle context, float* samples, int sampleCount);

    [LibraryImport(Library, EntryPoint = "whisper_vad_reset_state")]
    public static partial void VadResetState(VadContextHandle context);

    [LibraryImport(Library, EntryPoint = "whisper_vad_n_probs")]
    public static partial int VadProbabilityCount(VadContextHandle context);

    [LibraryImport(Library, EntryPoint = "whisper_vad_probs")]
    public static partial float* VadProbabilities(VadContextHandle context);
}
