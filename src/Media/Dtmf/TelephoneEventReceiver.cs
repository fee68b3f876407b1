namespace Telephony.Media.Dtmf;

public enum TelephoneEventPhase { Started, Ended }

/// <summary>How an event's end was known.</summary>
public enum TelephoneEventEnd
{
    /// <summary>A packet with the E bit (§2.5.1.4).</summary>
    EndPacket,
    /// <summary>No packet for the event within the timeout: its end packets were lost (§2.5.2.2).</summary>
    Timeout,
    /// <summary>A packet of a later event arrived before this one's end.</summary>
    NextEvent,
}

/// <summary>A telephone-event starting or ending; each event is reported Started once and Ended once.</summary>
public readonly record struct TelephoneEventNotice(
    TelephoneEventPhase Phase, int Event, char? Digit, uint Timestamp, int DurationUnits, TelephoneEventEnd? EndedBy);

/// <summary>
/// The receiving side of RFC 4733 telephone-events (§2.5.2): packets of one event share its RTP timestamp,
/// so an event is known by its timestamp; updates and the three end packets (§2.5.1.4) are de-duplicated by
/// it, late packets of an earlier event are dropped, and an event whose end never comes ends on a timeout.
/// Not thread-safe: the session calls it under its lock.
/// </summary>
public sealed class TelephoneEventReceiver
{
    private readonly TimeSpan _lostEndTimeout;
    private bool _have;
    private uint _timestamp;
    private int _event;
    private int _duration;
    private bool _ended;
    private TimeSpan _lastSeen;

    public TelephoneEventReceiver(TimeSpan? lostEndTimeout = null) => _lostEndTimeout = lostEndTimeout ?? TimeSpan.FromMilliseconds(250);

    public event Action<TelephoneEventNotice>? Notice;

    /// <summary>One telephone-event packet; <paramref name="now"/> from a monotonic clock.</summary>
    public void OnPacket(uint rtpTimestamp, TelephoneEventPayload payload, TimeSpan now)
    {
        if (_have && rtpTimestamp == _timestamp)
        {
            if (_ended) return; // a repeated end packet, or an update that arrived after the end
            _lastSeen = now;
            _duration = Math.Max(_duration, payload.Duration);
            if (payload.End) End(TelephoneEventEnd.EndPacket);
            return;
        }
        // Serial comparison (RFC 1982 style): a packet of an event older than the current one is late.
        if (_have && unchecked((int)(rtpTimestamp - _timestamp)) < 0) return;
        if (_have && !_ended) End(TelephoneEventEnd.NextEvent);

        _have = true;
        _ended = false;
        _timestamp = rtpTimestamp;
        _event = payload.Event;
        _duration = payload.Duration;
        _lastSeen = now;
        Notice?.Invoke(new TelephoneEventNotice(TelephoneEventPhase.Started, _event, TelephoneEventPayload.DigitOf(_event), _timestamp, _duration, null));
        // Only the end packets got through: the event started and ended at once.
        if (payload.End) End(TelephoneEventEnd.EndPacket);
    }

    /// <summary>Called on the media clock: ends an event whose end packets were all lost.</summary>
    public void Tick(TimeSpan now)
    {
        if (_have && !_ended && now - _lastSeen >= _lostEndTimeout) End(TelephoneEventEnd.Timeout);
    }

    private void End(TelephoneEventEnd how)
    {
        _ended = true;
        Notice?.Invoke(new TelephoneEventNotice(TelephoneEventPhase.Ended, _event, TelephoneEventPayload.DigitOf(_event), _timestamp, _duration, how));
    }
}
