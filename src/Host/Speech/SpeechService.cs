using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Telephony.Host.Configuration;
using Telephony.Media.Audio;
using Telephony.Media.Channel;
using Telephony.Speech.Models;
using Telephony.Speech.Native;
using Telephony.Speech.Pool;
using Telephony.Speech.Recognition;

namespace Telephony.Host.Speech;

/// <summary>What a call's utterance became: a transcript, or why there is none (the recording is kept either way).</summary>
public sealed record SpeechOutcome(string? Text, double Confidence, TimeSpan Processing, TimeSpan QueueWait, string? Error)
{
    public bool Succeeded => Error is null;

    /// <summary>True when the transcript came from the run started at the pause (same audio, so the same text).</summary>
    public bool Speculative { get; init; }
}

/// <summary>
/// The hotline's speech to text: one whisper model and one bounded <see cref="TranscriptionPool"/> for the
/// whole process (configuration section <c>Speech</c>: Model, Workers, ThreadsPerWorker, QueueCapacity).
/// Loaded on first use or at start by <see cref="Warm"/>; a missing or invalid model is logged once and
/// every request then answers with the reason instead of a transcript, so a call still gets its work order
/// with the recording for a person to listen to. G.711 audio (8 kHz) is upsampled to whisper's 16 kHz.
/// Speculative transcription (<c>Speech:SpeculateAfterMs</c>, default 300, 0 = off): a record step that
/// reports its frames (<see cref="Listen"/>) has its utterance transcribed at the first pause of that length,
/// and <see cref="TranscribeAsync(RecordResult, CancellationToken)"/> keeps that run when the recording
/// ended on the same audio (docs/speech.md).
/// </summary>
public sealed class SpeechService : IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly ILoggerFactory _logs;
    private readonly ILogger _log;
    private readonly Lazy<(TranscriptionPool? Pool, WhisperModel? Model, string? Error)> _engine;
    private readonly SpeculativeRecordings _recordings = new();

    public SpeechService(IConfiguration configuration, ILoggerFactory logs)
    {
        _configuration = configuration;
        _logs = logs;
        _log = logs.CreateLogger<SpeechService>();
        _engine = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Null when transcription works; otherwise why not (no model, invalid model, no libwhisper).</summary>
    public string? Unavailable => _engine.Value.Error;

    /// <summary>True when the loaded model has no trained weights (whisper.cpp's test models): text is meaningless.</summary>
    public bool TestModel => _engine.Value.Model is { } m && !m.Check.HasWeights;

    /// <summary>Loads the model now (at start) so the first caller does not wait for it.</summary>
    public void Warm() => _ = _engine.Value;

    /// <summary>The pause after speech at which a listened recording is transcribed speculatively (zero: off).</summary>
    public TimeSpan SpeculateAfter =>
        TimeSpan.FromMilliseconds(int.TryParse(_configuration["Speech:SpeculateAfterMs"], out var ms) && ms >= 0 ? ms : 300);

    /// <summary>
    /// Called by a record step as it starts recording to <paramref name="path"/>: the listener takes its frames.
    /// Null when speculation is off, transcription is unavailable or the rate is not 8 or 16 kHz (record as usual).
    /// </summary>
    public IRecordingListener? Listen(string path, int sampleRate, CancellationToken callEnded = default)
    {
        var pause = SpeculateAfter;
        if (pause <= TimeSpan.Zero || sampleRate is not (8000 or 16000) || callEnded.IsCancellationRequested) return null;
        // Never wait here for the model to load: the record step calls this before it takes the caller's audio.
        if (!_engine.IsValueCreated || _engine.Value.Pool is not { } pool) return null;
        return _recordings.Add(path, new RecordingSpeculation(pool, sampleRate, pause));
    }

    /// <summary>
    /// The IVR's transcribe step: a recording that was listened to (<see cref="Listen"/>) is transcribed up to
    /// the pause length after its last speech frame, through its speculative run when that was of the same
    /// samples; any other recording as <see cref="TranscribeAsync(ReadOnlyMemory{short}, int, CancellationToken)"/>.
    /// The recording is on disk before this is called (the record step closes the WAV first).
    /// </summary>
    public Task<SpeechOutcome> TranscribeAsync(RecordResult recording, CancellationToken cancel)
    {
        var speculation = _recordings.Take(recording.Path);
        if (speculation is null) return TranscribeAsync(recording.Samples, recording.SampleRate, cancel);
        return Outcome(() => speculation.TranscribeAsync(recording.Samples.Span, cancel), cancel);
    }

    /// <summary>Transcribes mono PCM at 8 or 16 kHz; never throws for a failed run, only when <paramref name="cancel"/> is cancelled.</summary>
    public async Task<SpeechOutcome> TranscribeAsync(ReadOnlyMemory<short> pcm, int sampleRate, CancellationToken cancel)
    {
        var (pool, _, error) = _engine.Value;
        if (pool is null) return new SpeechOutcome(null, 0, TimeSpan.Zero, TimeSpan.Zero, error);
        if (sampleRate is not (8000 or 16000))
            return new SpeechOutcome(null, 0, TimeSpan.Zero, TimeSpan.Zero, $"audio at {sampleRate} Hz: 8000 or 16000 expected");
        var samples = sampleRate == 16000 ? pcm.ToArray() : Upsample(pcm.Span);
        return await Outcome(() => pool.TranscribeAsync(samples, cancel), cancel);
    }

    private async Task<SpeechOutcome> Outcome(Func<Task<TranscriptionResult>> run, CancellationToken cancel)
    {
        try
        {
            var result = await run();
            var t = result.Transcript;
            _log.LogInformation("Transcribed {Audio:F1} s of audio: whisper {Run} ms, waited {Wait} ms, speculative run kept {Speculative}",
                t.AudioDuration.TotalSeconds, (long)t.ProcessingTime.TotalMilliseconds, (long)result.QueueWait.TotalMilliseconds, result.Speculative);
            return new SpeechOutcome(t.Text, t.Confidence, t.ProcessingTime, result.QueueWait, null) { Speculative = result.Speculative };
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is PoolBusyException or TimeoutException or WhisperException or OperationCanceledException)
        {
            _log.LogWarning("Transcription failed: {Error}", e.Message);
            return new SpeechOutcome(null, 0, TimeSpan.Zero, TimeSpan.Zero, e.Message);
        }
    }

    private static short[] Upsample(ReadOnlySpan<short> pcm8k)
    {
        var output = new short[Upsampler8To16.OutputLength(pcm8k.Length)];
        new Upsampler8To16().Process(pcm8k, output);
        return output;
    }

    private (TranscriptionPool?, WhisperModel?, string?) Load()
    {
        var section = _configuration.GetSection("Speech");
        var name = section["Model"] is { Length: > 0 } n ? n : "ggml-base.bin";
        var path = ModelLocator.Find(name, RepositoryLayout.Root);
        if (path is null)
        {
            var why = $"Whisper model '{name}' not found in {string.Join(", ", ModelLocator.SearchDirectories(RepositoryLayout.Root))}; {ModelLocator.HowToGetAModel}";
            _log.LogWarning("Speech to text is off: {Reason}. Calls are recorded and their work orders carry the recording without a transcript", why);
            return (null, null, why);
        }
        try
        {
            var model = WhisperModel.Load(path);
            if (!model.Check.HasWeights)
                _log.LogWarning("Whisper model {Path} is a test model without trained weights: transcripts will be meaningless", path);
            var options = new TranscriptionPoolOptions
            {
                Workers = Int(section, "Workers", 0),
                ThreadsPerWorker = Int(section, "ThreadsPerWorker", 0),
                QueueCapacity = Int(section, "QueueCapacity", 32),
            };
            return (new TranscriptionPool(model, options, logger: _logs.CreateLogger<TranscriptionPool>()), model, null);
        }
        catch (Exception e) when (e is InvalidModelException or WhisperUnavailableException or WhisperException or IOException)
        {
            _log.LogError("Speech to text is off: {Reason}", e.Message);
            return (null, null, e.Message);
        }
    }

    private static int Int(IConfigurationSection section, string key, int fallback) =>
        int.TryParse(section[key], out var v) && v >= 0 ? v : fallback;

    public void Dispose()
    {
        if (!_engine.IsValueCreated) return;
        var (pool, model, _) = _engine.Value;
        pool?.Dispose();
        model?.Dispose();
    }
}
