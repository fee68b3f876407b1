using System.Runtime.InteropServices;

namespace Telephony.Speech.Native;

/// <summary>A <c>whisper_context</c> (model weights); freed with <c>whisper_free</c>.</summary>
internal sealed class WhisperContextHandle : SafeHandle
{
    public WhisperContextHandle() : base(0, ownsHandle: true) { }
    public override bool IsInvalid => handle == 0;
    protected override bool ReleaseHandle() { WhisperNative.Free(handle); return true; }
}

/// <summary>
/// A <c>whisper_state</c> (KV caches, mel, results of one run); freed with <c>whisper_free_state</c>.
/// It keeps its context alive: the state points into the context's model.
/// </summary>
internal sealed class WhisperStateHandle : SafeHandle
{
    private WhisperContextHandle? _context;
    public WhisperStateHandle() : base(0, ownsHandle: true) { }
    public override bool IsInvalid => handle == 0;

    internal void Attach(WhisperContextHandle context)
    {
        var added = false;
        context.DangerousAddRef(ref added);
        _context = context;
    }

    protected override bool ReleaseHandle()
    {
        WhisperNative.FreeState(handle);
        _context?.DangerousRelease();
        return true;
    }
}

/// <summary>A <c>whisper_vad_context</c> (Silero VAD); freed with <c>whisper_vad_free</c>.</summary>
internal sealed class VadContextHandle : SafeHandle
{
    public VadContextHandle() : base(0, ownsHandle: true) { }
    public override bool IsInvalid => handle == 0;
    protected override bool ReleaseHandle() { WhisperNative.VadFree(handle); return true; }
}
