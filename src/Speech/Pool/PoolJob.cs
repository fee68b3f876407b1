namespace Telephony.Speech.Pool;

/// <summary>
/// One request in the pool. A speculative job (started at a pause, before the endpointer declared the end)
/// also carries its own abort source: the speculation cancels it when speech resumes, the pool when a real
/// request needs the worker (<see cref="Preempted"/>). The pool's lock guards <see cref="Node"/>,
/// <see cref="Speculative"/> and <see cref="Preempted"/>.
/// </summary>
internal sealed class PoolJob(float[] samples, long sequence, DateTimeOffset enqueued, CancellationToken cancel, bool speculative)
{
    public float[] Samples { get; } = samples;
    public long Sequence { get; } = sequence;
    public DateTimeOffset Enqueued { get; } = enqueued;
    public CancellationToken Cancel { get; } = cancel;
    public CancellationTokenSource? Abort { get; } = speculative ? new CancellationTokenSource() : null;
    public CancellationTokenRegistration Registration { get; set; }
    public TaskCompletionSource<TranscriptionResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Its place in a waiting list; null once a worker took it or it left the queue.</summary>
    public LinkedListNode<PoolJob>? Node { get; set; }

    /// <summary>True until promoted: only speculative work may be dropped or preempted.</summary>
    public bool Speculative { get; set; } = speculative;

    /// <summary>Speculative and ever promoted: the result says it was started before the end of speech.</summary>
    public bool StartedEarly { get; } = speculative;

    public bool Preempted { get; set; }
    public bool Aborting => Abort?.IsCancellationRequested == true;
}
