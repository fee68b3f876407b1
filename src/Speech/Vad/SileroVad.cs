using System.Runtime.InteropServices;
using Telephony.Speech.Models;
using Telephony.Speech.Native;

namespace Telephony.Speech.Vad;

/// <summary>
/// whisper.cpp's Silero VAD (v6.2, ggml): a speech probability for every 512-sample (32 ms) frame at 16 kHz.
/// Streaming: the LSTM state carries across calls until <see cref="Reset"/>, so a call's audio can be fed
/// as it arrives. One instance per call or worker; not thread-safe.
/// </summary>
public sealed unsafe class SileroVad : IDisposable
{
    public const int FrameSamples = 512;
    public static readonly TimeSpan FrameDuration = TimeSpan.FromMilliseconds(32);

    private readonly VadContextHandle _context;

    private SileroVad(VadContextHandle context) => _context = context;

    public static SileroVad Load(string path, int threads = 1)
    {
        if (VadModelFile.Problem(path) is { } problem) throw new InvalidDataException(problem);
        WhisperLibrary.EnsureLoaded();
        var parameters = WhisperNative.VadDefaultContextParams();
        parameters.NThreads = threads;
        parameters.UseGpu = 0;
        var pointer = WhisperNative.VadInitFromFile(path, parameters);
        if (pointer == 0) throw new InvalidDataException($"{path}: whisper.cpp refused the VAD model");
        var handle = new VadContextHandle();
        Marshal.InitHandle(handle, pointer);
        return new SileroVad(handle);
    }

    /// <summary>Speech probabilities of whole frames of <paramref name="samples"/> (its length a multiple of <see cref="FrameSamples"/>).</summary>
    public float[] Process(ReadOnlySpan<float> samples)
    {
        if (samples.Length % FrameSamples != 0) throw new ArgumentException($"give whole frames of {FrameSamples} samples", nameof(samples));
        if (samples.IsEmpty) return [];
        bool ok;
        fixed (float* data = samples) ok = WhisperNative.VadDetectSpeechNoReset(_context, data, samples.Length);
        if (!ok) throw new InvalidOperationException("whisper_vad_detect_speech failed");
        var count = WhisperNative.VadProbabilityCount(_context);
        return new ReadOnlySpan<float>(WhisperNative.VadProbabilities(_context), count).ToArray();
    }

    /// <summary>Clears the LSTM state: the next frame starts a new stream.</summary>
    public void Reset() => WhisperNative.VadResetState(_context);

    public void Dispose() => _context.Dispose();
}
