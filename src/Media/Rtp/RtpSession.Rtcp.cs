using System.Net;
using System.Net.Sockets;

namespace Telephony.Media.Rtp;

// RTCP of a session (RFC 3550 §6): an SR when we sent since the last report, else an RR (§6.4), with a
// report block about the peer, SDES CNAME in every compound (§6.1), a BYE on close (§6.6). The interval is
// the configured mean (5 s, the §6.2 minimum) randomized over [0.5, 1.5] (§6.3.1): with two participants
// the bandwidth-scaled interval of §6.3 never exceeds the minimum, so the full algorithm is not needed.
public sealed partial class RtpSession
{
    private readonly byte[] _rtcpOut = new byte[512];
    private long _nextRtcp;
    private uint _lastSrMiddle;
    private long _lastSrArrival;
    private long _reportsReceived;
    private long _byesReceived;

    public long ReportsReceived => Interlocked.Read(ref _reportsReceived);
    public long ByesReceived => Interlocked.Read(ref _byesReceived);
    private volatile bool _pendingBye;

    /// <summary>The peer sent RTCP BYE (§6.6): its stream ended (raised on the clock thread).</summary>
    public event Action<RtpSession>? PeerLeft;

    private void RaisePeerLeft()
    {
        if (!_pendingBye) return;
        _pendingBye = false;
        PeerLeft?.Invoke(this);
    }
    /// <summary>The last report block the peer sent about our stream.</summary>
    public ReportBlock? PeerReportAboutUs { get; private set; }
    /// <summary>What we measured of the peer's stream (a copy, for logs and the call record).</summary>
    public (uint Received, int CumulativeLost, uint Jitter) ReceiveSummary
    {
        get { lock (_lock) return (_stats.Received, _stats.CumulativeLost, _stats.Jitter); }
    }

    private long RtcpDelayTicks() =>
        (long)(_options.RtcpInterval.TotalSeconds * (0.5 + Random.Shared.NextDouble()) * _time.TimestampFrequency);

    private void SendReport(long now, bool bye, string? reason = null)
    {
        _nextRtcp = now + RtcpDelayTicks();
        if (_rtcpDestination is not { } destination) return;
        var packets = new List<RtcpPacket>(3);
        ReportBlock[] blocks = [];
        lock (_lock)
        {
            if (_stats.Valid)
            {
                var dlsr = _lastSrArrival == 0 ? 0 : NtpTimestamp.ToDlsrUnits(_time.GetElapsedTime(_lastSrArrival, now));
                blocks = [_stats.TakeReportBlock(_lastSrMiddle, dlsr)];
            }
        }
        if (_send.SentSinceReport)
        {
            packets.Add(new SenderReport(_send.Ssrc, NtpTimestamp.From(_time.GetUtcNow()), _send.Timestamp, _send.PacketCount, _send.OctetCount, blocks));
            _send.SentSinceReport = false;
        }
        else
        {
            packets.Add(new ReceiverReport(_send.Ssrc, blocks));
        }
        packets.Add(new SourceDescription([new SdesChunk(_send.Ssrc, _options.Cname)]));
        if (bye) packets.Add(new Goodbye([_send.Ssrc], reason));
        // The BYE is written on the closing thread while a tick may still be using the report buffer.
        var buffer = bye ? new byte[_rtcpOut.Length] : _rtcpOut;
        var n = RtcpWriter.WriteCompound(buffer, packets);
        Send(_sockets.Rtcp, buffer.AsSpan(0, n), destination, -1);
    }

    private void OnRtcp(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        if (!RtcpParser.TryParse(datagram, out var packets, out _)) { Interlocked.Increment(ref _malformed); return; }
        lock (_lock)
        {
            if (!Latch(from, ref _latchedRtcp, rtcp: true)) { Interlocked.Increment(ref _ignored); return; }
            foreach (var packet in packets)
            {
                switch (packet)
                {
                    case SenderReport sr:
                        _lastSrMiddle = NtpTimestamp.Middle32(sr.NtpTimestamp);
                        _lastSrArrival = _time.GetTimestamp();
                        Interlocked.Increment(ref _reportsReceived);
                        NoteBlocks(sr.Blocks);
                        break;
                    case ReceiverReport rr:
                        Interlocked.Increment(ref _reportsReceived);
                        NoteBlocks(rr.Blocks);
                        break;
                    case Goodbye:
                        Interlocked.Increment(ref _byesReceived);
                        _pendingBye = true;
                        break;
                }
            }
        }
    }

    private void NoteBlocks(IReadOnlyList<ReportBlock> blocks)
    {
        foreach (var b in blocks)
            if (b.Ssrc == _send.Ssrc) PeerReportAboutUs = b;
    }
}
