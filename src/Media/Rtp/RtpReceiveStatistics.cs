namespace Telephony.Media.Rtp;

/// <summary>
/// Reception statistics of one source, as RFC 3550 computes them: sequence validation with probation and
/// the extended highest sequence number (appendix A.1), cumulative and fraction lost (A.3, §6.4.1), and the
/// interarrival jitter (A.8, the integer form). Not thread-safe: the session calls it under its own lock.
/// </summary>
public sealed class RtpReceiveStatistics
{
    // A.1's constants.
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 100;
    private const int MinSequential = 2;
    private const uint SeqMod = 1u << 16;

    private ushort _maxSeq;
    private uint _cycles;
    private uint _baseSeq;
    private uint _badSeq;
    private int _probation;
    private uint _received;
    private uint _expectedPrior;
    private uint _receivedPrior;
    private uint _transit;
    private bool _haveTransit;
    private uint _jitter; // scaled by 16 (A.8: "J += |D| - ((J + 8) >> 4)")
    private bool _started;

    public uint? Ssrc { get; private set; }
    public uint Received => _received;
    public uint ExtendedHighestSequence => _cycles + _maxSeq;
    public uint BaseSequence => _baseSeq;
    /// <summary>Interarrival jitter in RTP timestamp units, as the report block carries it.</summary>
    public uint Jitter => _jitter >> 4;
    public bool Valid => _started && _probation == 0;

    /// <summary>
    /// One packet from the source, <paramref name="arrival"/> in RTP timestamp units of the same clock
    /// (A.8). Returns false while the source is on probation or the packet is a far jump (A.1): such a
    /// packet is not counted.
    /// </summary>
    public bool OnPacket(uint ssrc, ushort seq, uint rtpTimestamp, uint arrival)
    {
        if (!_started || Ssrc != ssrc)
        {
            // A.1: a new source: init_seq, max_seq = seq - 1, probation = MIN_SEQUENTIAL.
            Reset();
            Ssrc = ssrc;
            _started = true;
            InitSeq(seq);
            _maxSeq = (ushort)(seq - 1);
            _probation = MinSequential;
        }
        if (!UpdateSeq(seq)) return false;
        UpdateJitter(rtpTimestamp, arrival);
        return true;
    }

    private void Reset()
    {
        _cycles = 0; _received = 0; _expectedPrior = 0; _receivedPrior = 0;
        _jitter = 0; _haveTransit = false; _probation = 0;
    }

    private void InitSeq(ushort seq)
    {
        _baseSeq = seq;
        _maxSeq = seq;
        _badSeq = SeqMod + 1; // so seq == bad_seq is false
        _cycles = 0;
        _received = 0;
        _receivedPrior = 0;
        _expectedPrior = 0;
    }

    // A.1 update_seq, kept close to the RFC's text.
    private bool UpdateSeq(ushort seq)
    {
        var udelta = (ushort)(seq - _maxSeq);
        if (_probation > 0)
        {
            if (seq == (ushort)(_maxSeq + 1))
            {
                _probation--;
                _maxSeq = seq;
                if (_probation == 0)
                {
                    InitSeq(seq);
                    _received++;
                    return true;
                }
            }
            else
            {
                _probation = MinSequential - 1;
                _maxSeq = seq;
            }
            return false;
        }
        if (udelta < MaxDropout)
        {
            // In order, with a permissible gap; a wrap counts another 64K cycle.
            if (seq < _maxSeq) _cycles += SeqMod;
            _maxSeq = seq;
        }
        else if (udelta <= SeqMod - MaxMisorder)
        {
            // A very large jump: two sequential packets mean the sender restarted; re-sync.
            if (seq == _badSeq)
            {
                InitSeq(seq);
                _haveTransit = false;
            }
            else
            {
                _badSeq = (uint)((seq + 1) & (SeqMod - 1));
                return false;
            }
        }
        // else: duplicate or reordered packet, counted (so cumulative loss may go negative, §6.4.1).
        _received++;
        return true;
    }

    private void UpdateJitter(uint rtpTimestamp, uint arrival)
    {
        // A.8: transit = arrival - r->ts; d = transit - s->transit; J += |d| - ((J + 8) >> 4).
        var transit = unchecked(arrival - rtpTimestamp);
        if (_haveTransit)
        {
            var d = unchecked((int)(transit - _transit));
            if (d < 0) d = -d;
            _jitter = unchecked((uint)((int)_jitter + d - (int)((_jitter + 8) >> 4)));
        }
        _transit = transit;
        _haveTransit = true;
    }

    /// <summary>Packets expected since the first valid one (A.3).</summary>
    public uint Expected => ExtendedHighestSequence - _baseSeq + 1;

    /// <summary>Cumulative lost, clamped to the report block's signed 24 bits (A.3).</summary>
    public int CumulativeLost
    {
        get
        {
            var lost = (long)Expected - _received;
            return (int)Math.Clamp(lost, -0x800000, 0x7FFFFF);
        }
    }

    /// <summary>
    /// The report block for this source (§6.4.1), and the start of a new reporting interval for the
    /// fraction lost (A.3). <paramref name="lastSr"/> and <paramref name="delaySinceLastSr"/> come from the
    /// session (the middle 32 bits of the last SR's NTP time, and the delay in 1/65536 s).
    /// </summary>
    public ReportBlock TakeReportBlock(uint lastSr, uint delaySinceLastSr)
    {
        var expected = Expected;
        var expectedInterval = expected - _expectedPrior;
        _expectedPrior = expected;
        var receivedInterval = _received - _receivedPrior;
        _receivedPrior = _received;
        var lostInterval = (long)expectedInterval - receivedInterval;
        var fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (byte)((lostInterval << 8) / expectedInterval);
        return new ReportBlock(Ssrc ?? 0, (byte)fraction, CumulativeLost, ExtendedHighestSequence, Jitter, lastSr, delaySinceLastSr);
    }
}
