using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Speech.Recognition;

namespace Telephony.Speech.Pool;

/// <summary>
/// A bounded number of recognizers over one loaded model, fed from one FIFO queue. Each worker is a
/// dedicated thread (whisper_full blocks for seconds; on the thread pool it would starve the SIP and RTP
/// work). Requests are refused when the queue is full, fail when they waited or ran too long, and are
/// cancelled — queued or mid-run, through whisper.cpp's abort callback — when the caller hangs up.
/// </summary>
public sealed class TranscriptionPool : IDisposable
{
    private readonly Channel<Job> _queue;
    private readonly Thread[] _workers;
    private readonly WhisperRecognizer[] _recognizers;
    private readonly TranscriptionPoolOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _sequence;
    private int _running;
    private int _waiting;
    private readonly int _capacity;

    public TranscriptionPool(WhisperModel model, TranscriptionPoolOptions options, TimeProvider? time = null, ILogger? logger = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        // The capacity is counted here, not by a bounded channel: a request cancelled while it waits gives its
        // place back at once, while its dead entry stays in the channel until a worker skips it.
        _capacity = Math.Max(1, options.QueueCapacity);
        _queue = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
        Workers = options.EffectiveWorkers;
        ThreadsPerWorker = options.EffectiveThreads;
        _recognizers = new WhisperRecognizer[Workers];
        _workers = new Thread[Workers];
        for (var i = 0; i < Workers; i++)
        {
            _recognizers[i] = model.CreateRecognizer();
            var recognizer = _recognizers[i];
            _workers[i] = new Thread(() => Work(recognizer)) { IsBackground = true, Name = $"whisper-{i}" };
            _workers[i].Start();
        }
        _logger.LogInformation("Transcription pool: {Workers} workers x {Threads} threads, queue {Capacity}, model {Model}",
            Workers, ThreadsPerWorker, options.QueueCapacity, model.Check.Message);
    }

    public int Workers { get; }
    public int ThreadsPerWorker { get; }
    public int Running => Volatile.Read(ref _running);
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>
    /// Queues 16 kHz mono audio. Throws <see cref="PoolBusyException"/> at once when the queue is full; the
    /// task fails with <see cref="TimeoutException"/> past the queue or run timeout and is cancelled with
    /// <paramref name="cancel"/> (a hang-up), whether still queued or already running.
    /// </summary>
    public Task<TranscriptionResult> TranscribeAsync(float[] samples, CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        var job = new Job(samples, Interlocked.Increment(ref _sequence), _time.GetUtcNow(), cancel);
        if (Interlocked.Increment(ref _waiting) > _capacity)
        {
            Interlocked.Decrement(ref _waiting);
            throw new PoolBusyException(_options.QueueCapacity);
        }
        // A request cancelled while it waits completes now and frees its place; the worker skips it later.
        job.Registration = cancel.Register(static state =>
        {
            var (pool, j) = ((TranscriptionPool, Job))state!;
            if (j.TryLeaveQueue()) Interlocked.Decrement(ref pool._waiting);
            j.Completion.TrySetCanceled(j.Cancel);
        }, (this, job));
        if (!_queue.Writer.TryWrite(job))
        {
            job.Registration.Dispose();
            if (job.TryLeaveQueue()) Interlocked.Decrement(ref _waiting);
            throw new ObjectDisposedException(nameof(TranscriptionPool));
        }
        return job.Completion.Task;
    }

    public Task<TranscriptionResult> TranscribeAsync(short[] samples, CancellationToken cancel = default) =>
        TranscribeAsync(Audio.Pcm16Wav.ToFloat(samples), cancel);

    /// <summary>
    /// The IVR's entry point: a recorded utterance at 8 kHz (a G.711 call) or 16 kHz. 8 kHz audio goes
    /// through Media's 8→16 kHz half-band upsampler first (Whisper's front end expects 16 kHz).
    /// </summary>
    public Task<TranscriptionResult> TranscribeAsync(short[] samples, int sampleRate, CancellationToken cancel = default)
    {
        if (sampleRate == 16000) return TranscribeAsync(samples, cancel);
        if (sampleRate != 8000) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "only 8000 and 16000 Hz audio can be transcribed");
        var wide = new short[Telephony.Media.Audio.Upsampler8To16.OutputLength(samples.Length)];
        new Telephony.Media.Audio.Upsampler8To16().Process(samples, wide);
        return TranscribeAsync(wide, cancel);
    }

    private void Work(WhisperRecognizer recognizer)
    {
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            if (!reader.TryRead(out var job)) continue;
            if (!job.TryLeaveQueue()) { job.Registration.Dispose(); continue; } // cancelled while queued
            Interlocked.Decrement(ref _waiting);
            Run(recognizer, job);
        }
    }

    private void Run(WhisperRecognizer recognizer, Job job)
    {
        using var registration = job.Registration;
        if (job.Completion.Task.IsCompleted) return; // cancelled while queued
        var started = _time.GetUtcNow();
        if (started - job.Enqueued > _options.QueueTimeout)
        {
            _logger.LogWarning("Transcription {Sequence} waited {Waited} ms in the queue, over the {Limit} ms limit",
                job.Sequence, (long)(started - job.Enqueued).TotalMilliseconds, (long)_options.QueueTimeout.TotalMilliseconds);
            job.Completion.TrySetException(new TimeoutException($"transcription waited over {_options.QueueTimeout.TotalSeconds:0.#} s in the queue"));
            return;
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(job.Cancel);
        deadline.CancelAfter(_options.RunTimeout);
        Interlocked.Increment(ref _running);
        try
        {
            var options = _options.Decoding with { Threads = ThreadsPerWorker };
            var transcript = recognizer.Transcribe(job.Samples, options, deadline.Token);
            job.Completion.TrySetResult(new TranscriptionResult(transcript, job.Sequence, job.Enqueued, started, _time.GetUtcNow()));
        }
        catch (OperationCanceledException) when (job.Cancel.IsCancellationRequested)
        {
            job.Completion.TrySetCanceled(job.Cancel);
        }
        catch (OperationCanceledException)
        {
            _logger.LogWarning("Transcription {Sequence} aborted after the {Limit} ms run limit", job.Sequence, (long)_options.RunTimeout.TotalMilliseconds);
            job.Completion.TrySetException(new TimeoutException($"transcription ran over {_options.RunTimeout.TotalSeconds:0.#} s"));
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Transcription {Sequence} failed", job.Sequence);
            job.Completion.TrySetException(e);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    /// <summary>Stops taking requests, cancels those still queued, waits for running ones, frees the states.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var job))
        {
            job.Completion.TrySetCanceled();
            job.Registration.Dispose();
        }
        foreach (var worker in _workers) worker.Join();
        foreach (var recognizer in _recognizers) recognizer.Dispose();
    }

    private sealed class Job(float[] samples, long sequence, DateTimeOffset enqueued, CancellationToken cancel)
    {
        public float[] Samples { get; } = samples;
        public long Sequence { get; } = sequence;
        public DateTimeOffset Enqueued { get; } = enqueued;
        public CancellationToken Cancel { get; } = cancel;
        public CancellationTokenRegistration Registration { get; set; }
        public TaskCompletionSource<TranscriptionResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _left;

        /// <summary>True for whoever takes the job out of the waiting count first: a worker or the cancellation.</summary>
        public bool TryLeaveQueue() => Interlocked.Exchange(ref _left, 1) == 0;
    }
}
