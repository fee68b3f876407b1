using Telephony.Speech.Recognition;

namespace Telephony.Speech.Pool;

/// <summary>Size and limits of the transcription pool (configuration section <c>Speech</c>).</summary>
public sealed record TranscriptionPoolOptions
{
    /// <summary>Recognizers (whisper states) run in parallel; 0 = one per two cores, at least one.</summary>
    public int Workers { get; init; }

    /// <summary>whisper.cpp threads per run; 0 = the cores divided among the workers, at least one.</summary>
    public int ThreadsPerWorker { get; init; }

    /// <summary>Requests waiting beyond the running ones; one more is refused at once (<see cref="PoolBusyException"/>)
    /// so that the IVR can tell the caller to hold instead of queueing without bound.</summary>
    public int QueueCapacity { get; init; } = 32;

    /// <summary>A request still waiting after this fails with <see cref="TimeoutException"/> instead of starting late.</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A run still going after this is aborted and fails with <see cref="TimeoutException"/>.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TranscriptionOptions Decoding { get; init; } = TranscriptionOptions.Default;

    internal int EffectiveWorkers => Workers > 0 ? Workers : Math.Max(1, Environment.ProcessorCount / 2);
    internal int EffectiveThreads => ThreadsPerWorker > 0 ? ThreadsPerWorker : Math.Max(1, Environment.ProcessorCount / EffectiveWorkers);
}

/// <summary>The pool's queue is full: back-pressure, the caller decides (retry, tell the caller to hold).</summary>
public sealed class PoolBusyException(int capacity) : Exception($"transcription queue full ({capacity} waiting)");
