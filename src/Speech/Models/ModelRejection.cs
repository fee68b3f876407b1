namespace Telephony.Speech.Models;

/// <summary>Why a file is not loaded as a Whisper model. whisper_init aborts the whole process on some
/// malformed files (an absurd allocation, a failed assert), so every reason is found before it is called.</summary>
public enum ModelRejection
{
    None,
    Missing,
    TooSmall,
    BadMagic,
    /// <summary>The hyper-parameters are not those of any Whisper model (the Silero VAD file, say).</summary>
    BadHyperParameters,
    BadMelFilters,
    BadVocabulary,
    BadTensor,
    /// <summary>The file ends inside a tensor: an interrupted download or copy.</summary>
    Truncated,
}

/// <summary>The hyper-parameters in a ggml Whisper file's header, in file order.</summary>
public sealed record WhisperHyperParameters(
    int Vocab, int AudioContext, int AudioState, int AudioHeads, int AudioLayers,
    int TextContext, int TextState, int TextHeads, int TextLayers, int Mels, int FileType)
{
    /// <summary>tiny, base, small, medium or large, from the encoder depth (as whisper.cpp names them).</summary>
    public string Size => AudioLayers switch { 4 => "tiny", 6 => "base", 12 => "small", 24 => "medium", 32 => "large", _ => "unknown" };
    public bool IsMultilingual => Vocab >= 51865;
}

/// <summary>The outcome of <see cref="WhisperModelFile.Inspect"/>.</summary>
public sealed record ModelCheck(string Path, ModelRejection Rejection, string Message, WhisperHyperParameters? HyperParameters, int TensorCount)
{
    public bool IsValid => Rejection == ModelRejection.None;

    /// <summary>whisper.cpp's test models carry the real header and vocabulary but no tensors: real compute, meaningless text.</summary>
    public bool HasWeights => TensorCount > 0;
}
