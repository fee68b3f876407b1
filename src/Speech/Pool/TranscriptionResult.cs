using Telephony.Speech.Recognition;

namespace Telephony.Speech.Pool;

/// <summary>A transcript with the pool's timings.</summary>
/// <param name="Sequence">Arrival number at the pool (1, 2, …); workers take requests in this order.</param>
/// <param name="Enqueued">When the request arrived.</param>
/// <param name="Started">When a worker took it.</param>
/// <param name="Completed">When the transcript was ready.</param>
public sealed record TranscriptionResult(Transcript Transcript, long Sequence, DateTimeOffset Enqueued, DateTimeOffset Started, DateTimeOffset Completed)
{
    public TimeSpan QueueWait => Started - Enqueued;
    public TimeSpan Latency => Completed - Enqueued;

    /// <summary>True when the run was started speculatively at a pause and kept because the audio did not change.</summary>
    public bool Speculative { get; init; }
}
