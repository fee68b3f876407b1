using System.Runtime.InteropServices;
using Telephony.Speech.Models;
using Telephony.Speech.Native;

namespace Telephony.Speech.Recognition;

/// <summary>
/// Whisper weights loaded once (a whisper_context without a state). Each <see cref="WhisperRecognizer"/>
/// made from it owns a whisper_state, so a pool of N recognizers holds one copy of the weights and N sets
/// of caches, and the recognizers run in parallel (whisper_full_with_state on distinct states).
/// </summary>
public sealed class WhisperModel : IDisposable
{
    private readonly WhisperContextHandle _context;

    private WhisperModel(WhisperContextHandle context, ModelCheck check)
    {
        _context = context;
        Check = check;
        EndOfText = WhisperNative.TokenEot(context);
    }

    /// <summary>What the validator found: size, hyper-parameters, whether it carries weights.</summary>
    public ModelCheck Check { get; }

    public string Path => Check.Path;

    internal WhisperContextHandle Context => _context;

    /// <summary>Tokens at or above this id are special (end of text, language, timestamps).</summary>
    internal int EndOfText { get; }

    /// <summary>
    /// Validates <paramref name="path"/> (<see cref="WhisperModelFile.Inspect"/>) and loads it. A file that is
    /// not a Whisper model throws <see cref="InvalidModelException"/> before whisper.cpp sees it: some such
    /// files make whisper_init abort the process.
    /// </summary>
    public static WhisperModel Load(string path)
    {
        var check = WhisperModelFile.Inspect(path);
        if (!check.IsValid) throw new InvalidModelException(check);
        WhisperLibrary.EnsureLoaded();
        var parameters = WhisperNative.ContextDefaultParams();
        parameters.UseGpu = 0;
        parameters.FlashAttn = 1; // on the CPU too: less memory traffic in attention; whisper-cli's default as well
        var pointer = WhisperNative.InitFromFileNoState(path, parameters);
        if (pointer == 0) throw new InvalidModelException(check with { Rejection = ModelRejection.BadTensor, Message = $"{path}: whisper.cpp refused the model (see its log)" });
        var handle = new WhisperContextHandle();
        Marshal.InitHandle(handle, pointer);
        return new WhisperModel(handle, check);
    }

    /// <summary>A recognizer with its own whisper_state (about 20 MB for tiny, 40 MB for base).</summary>
    public WhisperRecognizer CreateRecognizer()
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        var pointer = WhisperNative.InitState(_context);
        if (pointer == 0) throw new OutOfMemoryException("whisper_init_state failed");
        var state = new WhisperStateHandle();
        Marshal.InitHandle(state, pointer);
        state.Attach(_context);
        return new WhisperRecognizer(this, state);
    }

    /// <summary>Releases the weights once every recognizer made from them is disposed too.</summary>
    public void Dispose()
    {
        _context.Dispose();
        if (_context.IsClosed) MallocOptions.Trim();
    }
}

/// <summary>The file is not a usable Whisper model; <see cref="Check"/> says why.</summary>
public sealed class InvalidModelException(ModelCheck check) : Exception(check.Message)
{
    public ModelCheck Check { get; } = check;
}
