using Telephony.Media.Rtp;

namespace Telephony.Media.Jitter;

/// <summary>What <see cref="JitterBuffer.Pull"/> gave for one playout tick.</summary>
public enum JitterPull
{
    /// <summary>The next frame, in order.</summary>
    Frame,
    /// <summary>The next frame is missing while later ones are here: lost; conceal it.</summary>
    Lost,
    /// <summary>Nothing to play yet (start, after an underrun or a resync): conceal or play silence.</summary>
    Buffering,
}

/// <summary>The frame <see cref="JitterBuffer.Pull"/> returned; its payload is in the caller's buffer.</summary>
public readonly record struct JitterFrame(ushort Sequence, uint Timestamp, bool Marker, byte PayloadType, int Length);

/// <summary>
/// An adaptive jitter buffer for one received stream: packets in by sequence number (reordering, duplicates
/// dropped, late ones dropped), frames out one per media-clock tick. The playout delay (frames held before
/// playing) follows the measured interarrival jitter (RFC 3550 A.8), bounded by min/max: it grows when the
/// buffer runs dry and is rebuilt to the new target, and shrinks by dropping a frame when more than two
/// frames above target have stayed piled up for 10 frames. Sequence numbers are extended (wraparound); a new SSRC or a jump in
/// sequence or timestamp resets it. Not thread-safe: the session calls it under its lock.
/// </summary>
public sealed class JitterBuffer
{
    private const int Capacity = 32; // 640 ms at 20 ms frames: beyond that a packet is a jump, not jitter
    private readonly Slot[] _slots = new Slot[Capacity];
    private readonly int _unitsPerFrame;
    private readonly int _unitsPerMs;
    private readonly int _minFrames;
    private readonly int _maxFrames;

    private bool _haveSource;
    private uint _ssrc;
    private long _highestExt;   // highest extended sequence pushed
    private long _playExt;      // extended sequence of the next frame to play
    private bool _playing;
    private bool _havePlayPosition;
    private int _count;
    private int _excessPulls;
    private uint _transit;
    private bool _haveTransit;
    private uint _jitter16; // A.8 jitter × 16, RTP units

    public JitterBuffer(int rtpClockRate, int frameMs = 20, int minDelayFrames = 2, int maxDelayFrames = 10)
    {
        if (minDelayFrames < 1 || maxDelayFrames < minDelayFrames || maxDelayFrames > Capacity / 2)
            throw new ArgumentOutOfRangeException(nameof(maxDelayFrames), "need 1 <= min <= max <= 16 frames");
        _unitsPerMs = rtpClockRate / 1000;
        _unitsPerFrame = _unitsPerMs * frameMs;
        FrameMs = frameMs;
        _minFrames = minDelayFrames;
        _maxFrames = maxDelayFrames;
        TargetFrames = minDelayFrames;
        for (var i = 0; i < Capacity; i++) _slots[i] = new Slot();
    }

    public int FrameMs { get; }
    /// <summary>The playout delay aimed at, in frames.</summary>
    public int TargetFrames { get; private set; }
    public int Buffered => _count;
    /// <summary>Measured interarrival jitter in milliseconds.</summary>
    public double JitterMs => (_jitter16 >> 4) / (double)_unitsPerMs;
    public long Duplicates { get; private set; }
    public long Late { get; private set; }
    public long Lost { get; private set; }
    public long Dropped { get; private set; }
    public long Resyncs { get; private set; }

    /// <summary>
    /// One received packet; <paramref name="arrival"/> in RTP units of the stream's clock. False when it was
    /// dropped (duplicate, late, too large).
    /// </summary>
    public bool Push(in RtpHeader header, ReadOnlySpan<byte> payload, uint arrival)
    {
        if (!_haveSource || header.Ssrc != _ssrc)
        {
            // A new source (first packet, or the peer restarted / a re-INVITE moved the stream): start over.
            if (_haveSource) Resyncs++;
            Reset(header.Ssrc, header.SequenceNumber);
        }
        var ext = Extend(header.SequenceNumber);
        var tsJump = _resetTimestampPending ? 0 : Math.Abs((long)unchecked((int)(header.Timestamp - ExpectedTimestamp(ext))));
        if (Math.Abs(ext - _highestExt) >= Capacity || (tsJump > 2 * _unitsPerMs * 1000 && !header.Marker))
        {
            // A sequence or timestamp jump no reordering explains: resync on this packet.
            Resyncs++;
            Reset(header.Ssrc, header.SequenceNumber);
            ext = _highestExt;
        }
        else if (header.Marker && _count == 0 && _havePlayPosition && !_playing)
        {
            // A new talk spurt after the buffer ran dry: rebuild the delay from this packet.
            _havePlayPosition = false;
        }

        if (_havePlayPosition && ext < _playExt) { Late++; return false; }
        var slot = _slots[(int)(ext & (Capacity - 1))];
        if (slot.Used && slot.Ext == ext) { Duplicates++; return false; }
        if (slot.Used) { slot.Used = false; _count--; } // an old frame never played: overwritten

        UpdateJitter(header.Timestamp, arrival);
        slot.Store(ext, header, payload);
        _count++;
        _refTimestamp = header.Timestamp; // timestamps are checked against the last packet stored
        _refExt = ext;
        _resetTimestampPending = false;
        if (ext > _highestExt) _highestExt = ext;
        return true;
    }

    /// <summary>The frame for this playout tick; its payload goes into <paramref name="payload"/>.</summary>
    public JitterPull Pull(Span<byte> payload, out JitterFrame frame)
    {
        frame = default;
        if (!_playing)
        {
            if (_count == 0 || _count < TargetFrames) return JitterPull.Buffering;
            _playing = true;
            _playExt = LowestBuffered();
            _havePlayPosition = true;
        }
        if (_count == 0)
        {
            // Underrun: the delay was too short for this jitter (or the peer went silent). Rebuffer.
            _playing = false;
            return JitterPull.Buffering;
        }
        // Too much delay piled up (the jitter went down): after it has lasted 10 frames (a burst after a
        // network stall drains by itself), drop the oldest frame, one at a time.
        _excessPulls = _count > TargetFrames + 2 ? _excessPulls + 1 : 0;
        if (_excessPulls >= 10)
        {
            _excessPulls = 0;
            var oldest = LowestBuffered();
            Take(oldest);
            Dropped++;
            _playExt = oldest + 1;
        }
        var slot = _slots[(int)(_playExt & (Capacity - 1))];
        if (!slot.Used || slot.Ext != _playExt)
        {
            Lost++;
            _playExt++;
            return JitterPull.Lost;
        }
        var length = Math.Min(slot.Length, payload.Length);
        slot.Data.AsSpan(0, length).CopyTo(payload);
        frame = new JitterFrame((ushort)slot.Ext, slot.Timestamp, slot.Marker, slot.PayloadType, length);
        Take(_playExt);
        _playExt++;
        return JitterPull.Frame;
    }

    private void Take(long ext)
    {
        var slot = _slots[(int)(ext & (Capacity - 1))];
        if (slot.Used && slot.Ext == ext) { slot.Used = false; _count--; }
    }

    private long LowestBuffered()
    {
        var lowest = long.MaxValue;
        foreach (var s in _slots) if (s.Used && s.Ext < lowest) lowest = s.Ext;
        return lowest;
    }

    private long Extend(ushort seq) => _highestExt + unchecked((short)(seq - (ushort)_highestExt));

    private uint _refTimestamp;
    private long _refExt;

    private uint ExpectedTimestamp(long ext) => unchecked(_refTimestamp + (uint)((ext - _refExt) * _unitsPerFrame));

    private void Reset(uint ssrc, ushort seq)
    {
        foreach (var s in _slots) s.Used = false;
        _count = 0;
        _haveSource = true;
        _ssrc = ssrc;
        _highestExt = (1L << 16) + seq; // start one cycle up so early reordering stays positive
        _playing = false;
        _havePlayPosition = false;
        _haveTransit = false;
        _resetTimestampPending = true;
    }

    private bool _resetTimestampPending;

    private void UpdateJitter(uint timestamp, uint arrival)
    {
        var transit = unchecked(arrival - timestamp);
        if (_haveTransit)
        {
            var d = Math.Abs(unchecked((int)(transit - _transit)));
            _jitter16 = (uint)Math.Max(0, (int)_jitter16 + d - (int)((_jitter16 + 8) >> 4));
            // Target: enough frames to cover about three times the mean deviation, plus the frame itself.
            var jitterFrames = (int)Math.Ceiling(3.0 * (_jitter16 >> 4) / _unitsPerFrame);
            TargetFrames = Math.Clamp(jitterFrames + 1, _minFrames, _maxFrames);
        }
        _transit = transit;
        _haveTransit = true;
    }

    private sealed class Slot
    {
        public bool Used;
        public long Ext;
        public uint Timestamp;
        public bool Marker;
        public byte PayloadType;
        public int Length;
        public byte[] Data = new byte[320];

        public void Store(long ext, in RtpHeader h, ReadOnlySpan<byte> payload)
        {
            if (Data.Length < payload.Length) Data = new byte[payload.Length];
            payload.CopyTo(Data);
            Length = payload.Length;
            Ext = ext;
            Timestamp = h.Timestamp;
            Marker = h.Marker;
            PayloadType = h.PayloadType;
            Used = true;
        }
    }
}
