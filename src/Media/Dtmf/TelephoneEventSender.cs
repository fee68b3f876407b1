namespace Telephony.Media.Dtmf;

/// <summary>What the sender does with one media-clock tick.</summary>
public enum TelephoneEventTick
{
    /// <summary>No event: the tick carries audio.</summary>
    Idle,
    /// <summary>An event is in progress but no packet is due: no audio either (§2.5.1.1).</summary>
    Quiet,
    /// <summary>Send the event packet returned.</summary>
    Send,
}

/// <summary>One event packet to send: RTP marker, the event's timestamp (its start) and the payload.</summary>
public readonly record struct TelephoneEventPacket(bool Marker, uint Timestamp, TelephoneEventPayload Payload);

/// <summary>
/// Sends DTMF keys as RFC 4733 telephone-events, paced by the media clock (one call per 20 ms tick, no timer
/// of its own). §2.5.1: the first packet has the marker bit; updates follow at the update interval (50 ms
/// recommended, §2.5.1.2) with the duration so far; the end packet (E bit) is sent three times at the
/// same interval (§2.5.1.4); every packet of the event carries the timestamp of its start, each its own
/// sequence number. Durations are whole ticks: the packet sent on a tick covers media up to the end of it.
/// Not thread-safe for <see cref="Next"/>; <see cref="Enqueue"/> may be called from any thread.
/// </summary>
public sealed class TelephoneEventSender
{
    private readonly int _tickMs;
    private readonly int _updateMs;
    private readonly int _unitsPerMs;
    private readonly System.Collections.Concurrent.ConcurrentQueue<(int Code, int DurationMs, int GapMs)> _queue = new();

    // The event in progress.
    private bool _active;
    private int _code;
    private int _durationMs;
    private int _gapMs;
    private uint _timestamp;
    private int _elapsedMs;
    private int _nextDueMs;
    private int _endsSent;
    private int _gapLeftMs;
    private int _retransmitClockMs; // media time while the end is repeated

    public TelephoneEventSender(int rtpClockRate, int tickMs = 20, int updateIntervalMs = 50, byte volume = 10)
    {
        if (rtpClockRate % 1000 != 0) throw new ArgumentException("RTP clock rate must be a multiple of 1000 Hz", nameof(rtpClockRate));
        _unitsPerMs = rtpClockRate / 1000;
        _tickMs = tickMs;
        _updateMs = updateIntervalMs;
        Volume = volume;
    }

    /// <summary>Power level sent (−dBm0, §2.3.4).</summary>
    public byte Volume { get; }

    public bool Busy => _active || _gapLeftMs > 0 || !_queue.IsEmpty;

    /// <summary>Queues a key; returns false (and queues nothing) when it is not a DTMF key.</summary>
    public bool Enqueue(char digit, int durationMs = 100, int gapMs = 60)
    {
        var code = TelephoneEventPayload.CodeOf(digit);
        if (code < 0 || durationMs < _tickMs || durationMs * _unitsPerMs > ushort.MaxValue) return false;
        _queue.Enqueue((code, durationMs, gapMs));
        return true;
    }

    /// <summary>
    /// One tick of the media clock. <paramref name="currentTimestamp"/> is the stream's RTP timestamp for
    /// this tick (the event's timestamp when it starts now).
    /// </summary>
    public TelephoneEventTick Next(uint currentTimestamp, out TelephoneEventPacket packet)
    {
        packet = default;
        if (!_active)
        {
            if (_gapLeftMs > 0) { _gapLeftMs -= _tickMs; return TelephoneEventTick.Idle; }
            if (!_queue.TryDequeue(out var next)) return TelephoneEventTick.Idle;
            _active = true;
            (_code, _durationMs, _gapMs) = next;
            _timestamp = currentTimestamp;
            _elapsedMs = _tickMs;
            _nextDueMs = _updateMs;
            _endsSent = 0;
            packet = Packet(marker: true, end: false);
            return TelephoneEventTick.Send;
        }

        _elapsedMs += _endsSent == 0 ? _tickMs : 0;
        if (_endsSent == 0)
        {
            if (_elapsedMs >= _durationMs)
            {
                _endsSent = 1;
                _nextDueMs = _elapsedMs + _updateMs;
                _retransmitClockMs = _elapsedMs;
                packet = Packet(marker: false, end: true);
                return TelephoneEventTick.Send;
            }
            if (_elapsedMs < _nextDueMs) return TelephoneEventTick.Quiet;
            _nextDueMs += _updateMs;
            packet = Packet(marker: false, end: false);
            return TelephoneEventTick.Send;
        }

        // Retransmissions of the end: the duration stays that of the event.
        _retransmitClockMs += _tickMs;
        if (_retransmitClockMs < _nextDueMs) return TelephoneEventTick.Quiet;
        _nextDueMs += _updateMs;
        _endsSent++;
        packet = Packet(marker: false, end: true);
        if (_endsSent == 3)
        {
            _active = false;
            _gapLeftMs = _gapMs;
        }
        return TelephoneEventTick.Send;
    }

    private TelephoneEventPacket Packet(bool marker, bool end) =>
        new(marker, _timestamp, new TelephoneEventPayload((byte)_code, end, Volume, (ushort)(_elapsedMs * _unitsPerMs)));
}
