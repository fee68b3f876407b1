namespace Telephony.Media.Clock;

/// <summary>One tick of the media clock, given to every registered stream.</summary>
/// <param name="Index">Ticks since the clock started; a gap means ticks were skipped after a stall.</param>
/// <param name="Timestamp">When the tick ran, in <see cref="TimeProvider.GetTimestamp"/> units.</param>
public readonly record struct MediaTick(long Index, long Timestamp);

/// <summary>
/// An outgoing stream paced by the <see cref="MediaClock"/>. Each tick has two passes over every stream:
/// first <see cref="OnSend"/> (produce and send the next frame: an encode and a non-blocking UDP send), then
/// <see cref="OnTick"/> (everything else: play out the received frame, recording, detectors). Sending first
/// for all calls keeps every stream's send instant at a fixed, short offset from the tick, whatever the
/// receive side of the calls before it costs that tick. Both run on the clock's thread, so they must not
/// block: no locks held for long, no I/O but the send (a recorder's periodic flush is the one exception).
/// </summary>
public interface IMediaClockStream
{
    /// <summary>The send pass: the next outgoing frame. Keep it to an encode and a send.</summary>
    void OnSend(in MediaTick tick) { }

    /// <summary>The second pass: the rest of the tick's work.</summary>
    void OnTick(in MediaTick tick);
}
