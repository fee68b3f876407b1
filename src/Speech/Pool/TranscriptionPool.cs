using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Speech.Recognition;

namespace Telephony.Speech.Pool;

/// <summary>
/// A bounded number of recognizers over one loaded model, fed from one FIFO queue. Each worker is a
/// dedicated thread (whisper_full blocks for seconds; on the thread pool it would starve the SIP and RTP
/// work). Requests are refused when the queue is full, fail when they waited or ran too long, and are
/// cancelled — queued or mid-run, through whisper.cpp's abort callback — when the caller hangs up.
/// Speculative work (<see cref="TrySpeculate"/>: an utterance transcribed at a pause, before its end is
/// declared) has the lowest priority: it is admitted only onto an idle worker, never waits behind or
/// ahead of a real request, and is dropped (queued) or aborted (running) as soon as a real request has
/// no free worker (<see cref="SpeculativeRun"/>).
/// </summary>
public sealed class TranscriptionPool : IDisposable
{
    private readonly object _gate = new();
    private readonly LinkedList<PoolJob> _real = new();        // waiting requests, first come first served
    private readonly LinkedList<PoolJob> _speculative = new(); // waiting speculative runs (at most one per idle worker)
    private readonly List<PoolJob> _active = new();            // taken by a worker
    private readonly Thread[] _workers;
    private readonly WhisperRecognizer[] _recognizers;
    private readonly TranscriptionPoolOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _capacity;
    private long _sequence;
    private bool _closed;

    public TranscriptionPool(WhisperModel model, TranscriptionPoolOptions options, TimeProvider? time = null, ILogger? logger = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _capacity = Math.Max(1, options.QueueCapacity);
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
    public int Running { get { lock (_gate) return _active.Count; } }
    public int Waiting { get { lock (_gate) return _real.Count; } }

    /// <summary>Speculative runs dropped or aborted to make room for real requests, since the start.</summary>
    public long SpeculationsPreempted => Interlocked.Read(ref _preempted);
    private long _preempted;

    /// <summary>
    /// Queues 16 kHz mono audio. Throws <see cref="PoolBusyException"/> at once when the queue is full; the
    /// task fails with <see cref="TimeoutException"/> past the queue or run timeout and is cancelled with
    /// <paramref name="cancel"/> (a hang-up), whether still queued or already running.
    /// </summary>
    public Task<TranscriptionResult> TranscribeAsync(float[] samples, CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        var job = new PoolJob(samples, Interlocked.Increment(ref _sequence), _time.GetUtcNow(), cancel, speculative: false);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_real.Count >= _capacity) throw new PoolBusyException(_options.QueueCapacity);
            job.Node = _real.AddLast(job);
            MakeRoomForRealWork();
            Monitor.Pulse(_gate);
        }
        Watch(job);
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
        return TranscribeAsync(Upsample(samples), cancel);
    }

    internal static short[] Upsample(ReadOnlySpan<short> samples8k)
    {
        var wide = new short[Telephony.Media.Audio.Upsampler8To16.OutputLength(samples8k.Length)];
        new Telephony.Media.Audio.Upsampler8To16().Process(samples8k, wide);
        return wide;
    }

    /// <summary>
    /// Starts a speculative run of 16 kHz audio when a worker is idle and no real request waits; otherwise
    /// returns null at once (the work is dropped: a speculation never queues behind or ahead of real work).
    /// </summary>
    public SpeculativeRun? TrySpeculate(float[] samples, CancellationToken cancel = default)
    {
        if (cancel.IsCancellationRequested) return null;
        lock (_gate)
        {
            // Workers finishing an aborted speculation are about to be free: they do not count as busy.
            var busy = _active.Count(j => !j.Aborting) + _speculative.Count;
            if (_closed || _real.Count > 0 || busy >= Workers) return null;
            var job = new PoolJob(samples, Interlocked.Increment(ref _sequence), _time.GetUtcNow(), cancel, speculative: true);
            job.Node = _speculative.AddLast(job);
            Monitor.Pulse(_gate);
            Watch(job);
            return new SpeculativeRun(this, job);
        }
    }

    // Under _gate, a real request just queued: speculative work must not hold a worker it needs. Queued
    // speculations are dropped; running ones are aborted, as many as the real requests lacking a worker.
    private void MakeRoomForRealWork()
    {
        while (_speculative.First is { } node) Drop(node.Value);
        var free = Workers - _active.Count + _active.Count(j => j.Aborting);
        var lacking = _real.Count - free;
        foreach (var job in _active)
        {
            if (lacking <= 0) break;
            if (!job.Speculative || job.Aborting || job.Completion.Task.IsCompleted) continue;
            job.Preempted = true;
            job.Abort!.Cancel();
            Interlocked.Increment(ref _preempted);
            lacking--;
            _logger.LogDebug("Speculative transcription {Sequence} aborted: a real request needs its worker", job.Sequence);
        }
    }

    // Under _gate.
    private void Drop(PoolJob job)
    {
        _speculative.Remove(job.Node!);
        job.Node = null;
        job.Preempted = true;
        Interlocked.Increment(ref _preempted);
        job.Completion.TrySetException(new SpeculationDroppedException());
    }

    // A request cancelled while it waits leaves the queue at once (its place is free for the next one).
    private void Watch(PoolJob job)
    {
        job.Registration = job.Cancel.Register(static state =>
        {
            var (pool, j) = ((TranscriptionPool, PoolJob))state!;
            lock (pool._gate)
            {
                if (j.Node is { } node) { node.List!.Remove(node); j.Node = null; }
            }
            j.Completion.TrySetCanceled(j.Cancel);
        }, (this, job));
    }

    /// <summary>The speculation's own cancel (speech resumed): leaves the queue or aborts the run.</summary>
    internal void CancelSpeculation(PoolJob job)
    {
        lock (_gate)
        {
            if (!job.Speculative) return; // promoted: it is the utterance's real run now
            job.Abort!.Cancel();
            if (job.Node is { } node) { node.List!.Remove(node); job.Node = null; job.Completion.TrySetCanceled(job.Abort.Token); }
        }
    }

    /// <summary>The request's own cancellation after promotion (the flow gave up on it): leaves the queue or aborts the run.</summary>
    internal void CancelRun(PoolJob job)
    {
        lock (_gate)
        {
            job.Abort!.Cancel();
            if (job.Node is { } node) { node.List!.Remove(node); job.Node = null; job.Completion.TrySetCanceled(job.Abort.Token); }
        }
    }

    /// <summary>Makes a speculation the utterance's real request; false when it was already dropped, aborted or cancelled.</summary>
    internal bool Promote(PoolJob job)
    {
        lock (_gate)
        {
            if (!job.Speculative) return !job.Completion.Task.IsFaulted && !job.Completion.Task.IsCanceled;
            if (job.Aborting || job.Completion.Task.IsCanceled || job.Completion.Task.IsFaulted) return false;
            job.Speculative = false;
            if (job.Node is { } node)
            {
                // Still waiting (a worker is about to take it): it keeps its turn, now ahead of real work.
                _speculative.Remove(node);
                job.Node = _real.AddFirst(job);
            }
            return true;
        }
    }

    private void Work(WhisperRecognizer recognizer)
    {
        while (true)
        {
            PoolJob job;
            lock (_gate)
            {
                while (_real.Count == 0 && _speculative.Count == 0 && !_closed) Monitor.Wait(_gate);
                var node = _real.First ?? _speculative.First;
                if (node is null) return; // closed and empty
                node.List!.Remove(node);
                job = node.Value;
                job.Node = null;
                _active.Add(job);
            }
            try { Run(recognizer, job); }
            finally { lock (_gate) _active.Remove(job); }
        }
    }

    private void Run(WhisperRecognizer recognizer, PoolJob job)
    {
        using var registration = job.Registration;
        if (job.Completion.Task.IsCompleted) return;
        var started = _time.GetUtcNow();
        if (started - job.Enqueued > _options.QueueTimeout)
        {
            _logger.LogWarning("Transcription {Sequence} waited {Waited} ms in the queue, over the {Limit} ms limit",
                job.Sequence, (long)(started - job.Enqueued).TotalMilliseconds, (long)_options.QueueTimeout.TotalMilliseconds);
            job.Completion.TrySetException(new TimeoutException($"transcription waited over {_options.QueueTimeout.TotalSeconds:0.#} s in the queue"));
            return;
        }
        using var deadline = job.Abort is { } abort
            ? CancellationTokenSource.CreateLinkedTokenSource(job.Cancel, abort.Token)
            : CancellationTokenSource.CreateLinkedTokenSource(job.Cancel);
        deadline.CancelAfter(_options.RunTimeout);
        try
        {
            var options = _options.Decoding with { Threads = ThreadsPerWorker };
            var transcript = recognizer.Transcribe(job.Samples, options, deadline.Token);
            // A run that finished before its abort was seen is still the transcript of its audio: keep it.
            job.Completion.TrySetResult(new TranscriptionResult(transcript, job.Sequence, job.Enqueued, started, _time.GetUtcNow()) { Speculative = job.StartedEarly });
        }
        catch (OperationCanceledException) when (job.Cancel.IsCancellationRequested)
        {
            job.Completion.TrySetCanceled(job.Cancel);
        }
        catch (OperationCanceledException) when (job.Aborting)
        {
            bool preempted;
            lock (_gate) preempted = job.Preempted;
            if (preempted) job.Completion.TrySetException(new SpeculationDroppedException());
            else job.Completion.TrySetCanceled(job.Abort!.Token);
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
        // job.Abort is not disposed: the speculation may still cancel it (a no-op then); it holds no timer.
    }

    /// <summary>Stops taking requests, cancels those still queued, waits for running ones, frees the states.</summary>
    public void Dispose()
    {
        List<PoolJob> queued;
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
            queued = [.. _real, .. _speculative];
            _real.Clear();
            _speculative.Clear();
            foreach (var job in queued) job.Node = null;
            Monitor.PulseAll(_gate);
        }
        foreach (var job in queued)
        {
            job.Completion.TrySetCanceled();
            job.Registration.Dispose();
        }
        foreach (var worker in _workers) worker.Join();
        foreach (var recognizer in _recognizers) recognizer.Dispose();
    }
}
