namespace Telephony.Speech.Pool;

/// <summary>
/// A speculative run in the pool (<see cref="TranscriptionPool.TrySpeculate"/>). <see cref="Cancel"/> when
/// the caller speaks again; <see cref="Promote"/> when the end of the utterance is declared on the same
/// audio: from then on it is a real request and can no longer be preempted. Until promoted, the pool may
/// drop or abort it for a real request; its task then fails with <see cref="SpeculationDroppedException"/>.
/// </summary>
public sealed class SpeculativeRun
{
    private readonly TranscriptionPool _pool;
    private readonly PoolJob _job;

    internal SpeculativeRun(TranscriptionPool pool, PoolJob job)
    {
        _pool = pool;
        _job = job;
    }

    public float[] Samples => _job.Samples;
    public Task<TranscriptionResult> Task => _job.Completion.Task;

    /// <summary>Leaves the queue or aborts the run (whisper.cpp polls the abort flag after each encoder pass).</summary>
    public void Cancel() => _pool.CancelSpeculation(_job);

    /// <summary>Cancels the run whether promoted or not (the caller of the real request gave up).</summary>
    internal void CancelRun() => _pool.CancelRun(_job);

    /// <summary>True when the run goes on (or finished) as the utterance's real request; false when it was dropped, aborted or cancelled.</summary>
    public bool Promote() => _pool.Promote(_job);
}

/// <summary>A speculative run gave way to a real request (dropped from the queue or aborted mid-run).</summary>
public sealed class SpeculationDroppedException() : Exception("speculative transcription dropped for a real request");
