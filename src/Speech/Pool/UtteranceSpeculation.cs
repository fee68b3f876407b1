namespace Telephony.Speech.Pool;

/// <summary>
/// Speculative transcription of one speaker's utterances. At a pause (say 300 ms of the endpointer's 800 ms
/// end silence) the caller hands over the utterance as it would end there (<see cref="Begin"/>); the pool
/// runs it on an idle worker at the lowest priority. If speech resumes the run is cancelled
/// (<see cref="Abandon"/>). When the end is declared, <see cref="TranscribeAsync"/> compares the final
/// samples with the speculated ones: only identical audio reuses the run (promoted to a real request, so it
/// can no longer be preempted), anything else — or a run the pool dropped — goes the plain way. The
/// transcript is therefore always that of the final audio; speculation only moves the work earlier.
/// Not thread-safe: one call's audio path drives it.
/// </summary>
public sealed class UtteranceSpeculation(TranscriptionPool pool, CancellationToken cancel = default)
{
    private SpeculativeRun? _run;
    private short[]? _audio;

    /// <summary>Speculative runs the pool accepted.</summary>
    public int Started { get; private set; }
    /// <summary>Refused at once because no worker was idle or a real request was waiting.</summary>
    public int Refused { get; private set; }
    /// <summary>Cancelled because speech resumed or the final audio differed.</summary>
    public int Cancelled { get; private set; }
    /// <summary>Final transcripts that came from a speculative run.</summary>
    public int Used { get; private set; }
    /// <summary>Runs the pool dropped or aborted for real work before the end was declared (the plain path ran instead).</summary>
    public int Preempted { get; private set; }

    /// <summary>True while a speculative run is queued, running or finished and not yet used.</summary>
    public bool Active => _run is not null;

    /// <summary>A pause: speculate on <paramref name="samples"/> (16 kHz), unless the same audio already is.</summary>
    public void Begin(short[] samples)
    {
        if (_run is not null && _audio.AsSpan().SequenceEqual(samples)) return;
        Abandon();
        _run = pool.TrySpeculate(Audio.Pcm16Wav.ToFloat(samples), cancel);
        if (_run is null) { Refused++; return; }
        _audio = samples;
        Started++;
    }

    /// <summary>Speech resumed: the speculated audio will not be the utterance.</summary>
    public void Abandon()
    {
        if (_run is null) return;
        _run.Cancel();
        _run = null;
        _audio = null;
        Cancelled++;
    }

    /// <summary>The end of the utterance (16 kHz samples): the speculative result when the audio is the same, otherwise a plain request.
    /// Throws <see cref="PoolBusyException"/> at once like <see cref="TranscriptionPool.TranscribeAsync(short[], CancellationToken)"/>.
    /// <paramref name="request"/> cancels this request (queued or running) on top of the speculation's own token.</summary>
    public Task<TranscriptionResult> TranscribeAsync(short[] samples, CancellationToken request = default)
    {
        var run = _run;
        var same = run is not null && _audio.AsSpan().SequenceEqual(samples);
        if (same && run!.Promote())
        {
            _run = null;
            _audio = null;
            Used++;
            if (!request.CanBeCanceled) return run.Task;
            var registration = request.Register(static r => ((SpeculativeRun)r!).CancelRun(), run);
            _ = run.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), registration, TaskScheduler.Default);
            return run.Task;
        }
        if (same) { _run = null; _audio = null; Preempted++; }
        else Abandon();
        if (!request.CanBeCanceled || !cancel.CanBeCanceled) return pool.TranscribeAsync(samples, request.CanBeCanceled ? request : cancel);
        return Linked(samples, request);
    }

    private async Task<TranscriptionResult> Linked(short[] samples, CancellationToken request)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancel, request);
        return await pool.TranscribeAsync(samples, both.Token).ConfigureAwait(false);
    }
}
