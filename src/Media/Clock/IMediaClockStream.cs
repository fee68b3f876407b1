namespace Telephony.Media.Clock;

/// <summary>One tick of the media clock, given to every registered stream.</summary>
/// <param name="Index">Ticks since the clock started; a gap means ticks were skipped after a stall.</param>
/// <param name="Timestamp">When the tick ran, in <see cref="TimeProvider.GetTimestamp"/> units.</param>
public readonly record struct MediaTick(long Index, long Timestamp);

/// <summary>
/// An outgoing stream paced by the <see cref="MediaClock"/>: on each tick it produces and sends its next
/// frame (and pulls its next received frame out of the jitter buffer). It runs on the clock's thread, so it
/// must not block: no I/O but a non-blocking UDP send, no locks held for long.
/// </summary>
public interface IMediaClockStream
{
    void OnTick(in MediaTick tick);
}
