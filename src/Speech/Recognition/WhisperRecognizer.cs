using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Telephony.Speech.Native;

namespace Telephony.Speech.Recognition;

/// <summary>
/// One whisper_state: transcribes one utterance at a time (not thread-safe; the pool gives each worker its
/// own). Cancellation goes through whisper.cpp's abort callback, which 1.9.1 polls after each encoder pass
/// and each decoder step, so a cancelled run stops within one encoder pass.
/// </summary>
public sealed unsafe class WhisperRecognizer : IDisposable
{
    private readonly WhisperModel _model;
    private readonly WhisperStateHandle _state;
    private readonly RunProbe* _probe; // read and written by the callbacks on whisper's threads; native, so it never moves

    /// <summary>Abort flag and timestamps of one run. whisper.cpp 1.9.1 calls the encoder-begin callback
    /// before each encoder pass and polls the abort callback after each encoder pass and each decoder step,
    /// so the first poll after the encoder began marks the encoder's end and the later polls count the
    /// decoder steps: the same split as whisper_print_timings, which a context without its own state lacks.</summary>
    private struct RunProbe
    {
        public int Abort;
        public int Polls;
        public long EncodeStart, FirstPoll, LastPoll;
    }

    internal WhisperRecognizer(WhisperModel model, WhisperStateHandle state)
    {
        _model = model;
        _state = state;
        _probe = (RunProbe*)NativeMemory.AllocZeroed((nuint)sizeof(RunProbe));
    }

    public WhisperModel Model => _model;

    /// <summary>Transcribes 16 kHz mono samples in [-1, 1). Throws <see cref="OperationCanceledException"/> when <paramref name="cancel"/> fires mid-run.</summary>
    public Transcript Transcribe(ReadOnlySpan<float> samples, TranscriptionOptions options, CancellationToken cancel = default)
    {
        ObjectDisposedException.ThrowIf(_state.IsClosed, this);
        cancel.ThrowIfCancellationRequested();
        var audio = TimeSpan.FromSeconds(samples.Length / (double)Audio.Pcm16Wav.SampleRate);
        if (SilenceGate.IsSilence(samples)) return Transcript.Silence(audio, options.Language);

        var language = Marshal.StringToCoTaskMemUTF8(options.Language);
        var prompt = options.InitialPrompt is { Length: > 0 } p ? Marshal.StringToCoTaskMemUTF8(p) : 0;
        try
        {
            var parameters = WhisperNative.FullDefaultParams(0);
            parameters.NThreads = Math.Max(1, options.Threads == 0 ? Environment.ProcessorCount : options.Threads);
            parameters.Translate = 0;
            parameters.NoContext = 1;
            parameters.NoTimestamps = 1;
            parameters.PrintProgress = 0;
            parameters.PrintRealtime = 0;
            parameters.PrintTimestamps = 0;
            parameters.PrintSpecial = 0;
            parameters.Language = language;
            parameters.DetectLanguage = 0;
            parameters.InitialPrompt = prompt;
            parameters.SuppressBlank = 1;
            parameters.SuppressNst = 1;
            parameters.Temperature = options.Temperature;
            parameters.TemperatureInc = options.TemperatureIncrement;
            parameters.GreedyBestOf = options.BestOf;
            parameters.MaxTokens = options.MaxTokensFor(samples.Length);
            parameters.AudioCtx = options.AudioContextFor(samples.Length);
            parameters.AbortCallback = &OnAbort;
            parameters.AbortCallbackUserData = (nint)_probe;
            parameters.EncoderBeginCallback = (nint)(delegate* unmanaged<nint, nint, nint, byte>)&OnEncoderBegin;
            parameters.EncoderBeginCallbackUserData = (nint)_probe;

            *_probe = default;
            using var registration = cancel.Register(static s => ((WhisperRecognizer)s!).RequestAbort(), this);
            var clock = Stopwatch.StartNew();
            int rc;
            fixed (float* data = samples) rc = WhisperNative.FullWithState(_model.Context, _state, parameters, data, samples.Length);
            clock.Stop();
            if (Volatile.Read(ref _probe->Abort) != 0) throw new OperationCanceledException("transcription cancelled", cancel);
            if (rc != 0) throw new WhisperException($"whisper_full failed with code {rc}");
            var transcript = Collect(audio, clock.Elapsed, options.Language);
            var probe = *_probe;
            if (probe.Polls == 0 || probe.EncodeStart == 0) return transcript;
            return transcript with
            {
                EncodeTime = Stopwatch.GetElapsedTime(probe.EncodeStart, probe.FirstPoll),
                DecoderSteps = probe.Polls - 1,
                DecodeTime = Stopwatch.GetElapsedTime(probe.FirstPoll, probe.LastPoll),
                AudioContextFrames = parameters.AudioCtx == 0 ? 1500 : parameters.AudioCtx,
            };
        }
        finally
        {
            Marshal.FreeCoTaskMem(language);
            if (prompt != 0) Marshal.FreeCoTaskMem(prompt);
        }
    }

    private void RequestAbort() => Volatile.Write(ref _probe->Abort, 1);

    private Transcript Collect(TimeSpan audio, TimeSpan processing, string requested)
    {
        var count = WhisperNative.SegmentCount(_state);
        var segments = new List<TranscriptSegment>(count);
        var text = new System.Text.StringBuilder();
        double probabilitySum = 0;
        var tokens = 0;
        for (var s = 0; s < count; s++)
        {
            var segmentText = Marshal.PtrToStringUTF8(WhisperNative.SegmentText(_state, s)) ?? "";
            // t0/t1 are in centiseconds (whisper.cpp's 10 ms units).
            segments.Add(new TranscriptSegment(
                TimeSpan.FromMilliseconds(WhisperNative.SegmentStart(_state, s) * 10),
                TimeSpan.FromMilliseconds(WhisperNative.SegmentEnd(_state, s) * 10),
                segmentText, WhisperNative.SegmentNoSpeechProbability(_state, s)));
            text.Append(segmentText);
            var n = WhisperNative.TokenCount(_state, s);
            for (var t = 0; t < n; t++)
            {
                if (WhisperNative.TokenId(_state, s, t) >= _model.EndOfText) continue; // special and timestamp tokens
                probabilitySum += WhisperNative.TokenProbability(_state, s, t);
                tokens++;
            }
        }
        var cleaned = RepetitionGuard.Cut(text.ToString().Trim(), out var cut);
        var language = Marshal.PtrToStringUTF8(WhisperNative.LanguageString(WhisperNative.LanguageId(_state))) ?? requested;
        var confidence = tokens == 0 ? 0f : (float)(probabilitySum / tokens);
        return new Transcript(cleaned, language, confidence, segments, audio, processing, false, cut);
    }

    [UnmanagedCallersOnly]
    private static byte OnAbort(nint data)
    {
        var probe = (RunProbe*)data;
        var now = Stopwatch.GetTimestamp();
        if (probe->Polls++ == 0) probe->FirstPoll = now;
        probe->LastPoll = now;
        return Volatile.Read(ref probe->Abort) != 0 ? (byte)1 : (byte)0;
    }

    [UnmanagedCallersOnly]
    private static byte OnEncoderBegin(nint context, nint state, nint data)
    {
        var probe = (RunProbe*)data;
        if (probe->EncodeStart == 0) { probe->EncodeStart = Stopwatch.GetTimestamp(); probe->Polls = 0; }
        return Volatile.Read(ref probe->Abort) != 0 ? (byte)0 : (byte)1; // false aborts the run
    }

    public void Dispose()
    {
        if (_state.IsClosed) return;
        _state.Dispose();
        NativeMemory.Free(_probe);
    }
}

/// <summary>whisper.cpp reported a failure other than cancellation.</summary>
public sealed class WhisperException(string message) : Exception(message);
