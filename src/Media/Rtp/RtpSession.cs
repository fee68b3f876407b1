using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Media.Clock;
using Telephony.Media.Dtmf;
using Telephony.Media.Jitter;

namespace Telephony.Media.Rtp;

/// <summary>
/// The RTP session of one call (RFC 3550): one socket pair, symmetric RTP with latching, the payload types
/// of the negotiated SDP, a jitter buffer on the receive path, RFC 4733 events both ways, RTCP reports and
/// BYE. Sending, receiving and playout run on the engine's <see cref="MediaClock"/> (<see cref="OnSend"/>, the
/// worker's socket pass, <see cref="OnTick"/>), or receiving on socket completions where the clock cannot poll
/// sockets (<c>RtpSession.Receive.cs</c>); RTCP is in <c>RtpSession.Rtcp.cs</c>.
/// </summary>
public sealed partial class RtpSession : IMediaClockStream, IDatagramReceiver, IDisposable
{
    private readonly RtpSocketPair _sockets;
    private readonly RtpSessionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new(); // receive path (pool threads) against playout and reports (clock thread)
    private readonly RtpSendState _send;
    private readonly RtpReceiveStatistics _stats = new();
    private readonly JitterBuffer _jitter;
    private readonly ILossConcealment _concealment;
    private readonly TelephoneEventReceiver _events;
    private readonly TelephoneEventSender _eventSender;
    private readonly List<TelephoneEventNotice> _pendingNotices = [];
    private readonly int _frameSamples;
    private readonly int _frameUnits;
    private readonly long _epoch;
    private readonly short[] _pcmOut;
    private readonly short[] _pcmIn;
    private readonly short[] _decodeScratch = new short[2880]; // a 1500-byte G.722 payload decodes to 3000; G.711 to 1500
    private readonly byte[] _payloadIn = new byte[1500];
    private readonly byte[] _packetOut = new byte[1500];
    private MediaClockRegistration? _clockRegistration;
    private int _lostInRow;
    private volatile bool _closed;

    public RtpSession(RtpSocketPair sockets, RtpSessionOptions options, TimeProvider? time = null, ILogger<RtpSession>? logger = null)
    {
        _sockets = sockets;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _send = new RtpSendState(options.Encoder.RtpClockRate);
        _frameSamples = options.Encoder.SampleRate * options.FrameMs / 1000;
        _frameUnits = _send.UnitsPer(options.FrameMs);
        _pcmOut = new short[_frameSamples];
        _pcmIn = new short[options.Decoder.SampleRate * options.FrameMs / 1000];
        _jitter = new JitterBuffer(options.Decoder.RtpClockRate, options.FrameMs, options.MinJitterFrames, options.MaxJitterFrames);
        _concealment = new RepeatAttenuateConcealment(_pcmIn.Length);
        _events = new TelephoneEventReceiver();
        _events.Notice += n => _pendingNotices.Add(n);
        _eventSender = new TelephoneEventSender(options.Encoder.RtpClockRate, options.FrameMs);
        _epoch = _time.GetTimestamp();
        if (options.Remote is { } remote) SetSdpRemote(remote);
        _nextRtcp = _time.GetTimestamp() + RtcpDelayTicks();
    }

    public int LocalPort => _sockets.Port;
    public uint Ssrc => _send.Ssrc;
    public IOutboundAudio? Source { get; set; }
    /// <summary>False while the call is on hold (SDP sendonly/inactive from our side, RFC 3264 §8.4): no RTP out, the timestamp still runs.</summary>
    public bool SendEnabled { get; set; } = true;
    public JitterBuffer Jitter => _jitter;
    public long PacketsSent => Interlocked.Read(ref _packetsSent);
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>Decoded audio, one frame per tick once started (concealed while nothing arrived).</summary>
    public event AudioFrameHandler? AudioReceived;
    /// <summary>RFC 4733 events: Started once and Ended once per key (on the clock thread).</summary>
    public event Action<RtpSession, TelephoneEventNotice>? TelephoneEvent;

    private long _packetsSent;
    private long _sendErrors;

    /// <summary>Registers with the clock, whose worker then reads both sockets each tick (else they receive asynchronously).</summary>
    public void Start(MediaClock clock)
    {
        _clockRegistration = clock.Register(this);
        if (!_clockRegistration.Listen(_sockets.Rtp, this, RtpChannel)) _ = ReceiveLoopAsync(_sockets.Rtp, rtcp: false);
        if (!_clockRegistration.Listen(_sockets.Rtcp, this, RtcpChannel)) _ = ReceiveLoopAsync(_sockets.Rtcp, rtcp: true);
    }

    /// <summary>Queues a key to send as RFC 4733 events; false without a telephone-event payload type or for a non-key.</summary>
    public bool SendDigit(char digit, int durationMs = 100) =>
        _options.TelephoneEventPayloadType is not null && _eventSender.Enqueue(digit, durationMs);

    /// <summary>The clock's send pass: the next frame (audio, event or nothing).</summary>
    public void OnSend(in MediaTick tick)
    {
        if (_closed) return;
        SendNext();
    }

    /// <summary>The clock's second pass: play out a received frame, and RTCP when due.</summary>
    public void OnTick(in MediaTick tick)
    {
        if (_closed) return;
        PlayOut(tick.Timestamp);
        if (tick.Timestamp >= _nextRtcp) SendReport(tick.Timestamp, bye: false);
    }

    private void PlayOut(long now)
    {
        JitterPull kind;
        JitterFrame frame;
        lock (_lock)
        {
            kind = _jitter.Pull(_payloadIn, out frame);
            _events.Tick(_time.GetElapsedTime(_epoch, now));
        }
        var pcm = _pcmIn.AsSpan();
        var concealed = kind != JitterPull.Frame;
        if (!concealed)
        {
            // A peer with another ptime (30 ms...) sends longer payloads: decode whole, play the first 20 ms
            // (the rest is dropped: see docs/media-rtp.md, ptime other than 20 ms).
            var payload = _payloadIn.AsSpan(0, Math.Min(frame.Length, _options.Decoder.EncodedLength(_decodeScratch.Length)));
            var n = Math.Min(_options.Decoder.Decode(payload, _decodeScratch), pcm.Length);
            _decodeScratch.AsSpan(0, n).CopyTo(pcm);
            if (n < pcm.Length) pcm[n..].Clear();
            _concealment.Played(pcm);
            _lostInRow = 0;
        }
        else
        {
            _concealment.Conceal(pcm, ++_lostInRow);
        }
        RaiseNotices();
        AudioReceived?.Invoke(this, pcm, concealed);
        RaisePeerLeft();
    }

    private void RaiseNotices()
    {
        TelephoneEventNotice[]? notices = null;
        lock (_lock)
        {
            if (_pendingNotices.Count == 0) return;
            notices = [.. _pendingNotices];
            _pendingNotices.Clear();
        }
        foreach (var n in notices) TelephoneEvent?.Invoke(this, n);
    }

    private void SendNext()
    {
        if (!SendEnabled) { _send.EndTalkSpurt(); _send.Advance(_frameUnits); return; }
        var destination = _rtpDestination;
        if (_options.TelephoneEventPayloadType is { } eventPt)
        {
            var kind = _eventSender.Next(_send.Timestamp, out var ev);
            if (kind != TelephoneEventTick.Idle)
            {
                // RFC 4733 §2.5.1: no audio while the event lasts; the event shares the sequence space.
                _send.EndTalkSpurt();
                if (kind == TelephoneEventTick.Send && destination is not null)
                {
                    Span<byte> payload = stackalloc byte[TelephoneEventPayload.Length];
                    ev.Payload.Write(payload);
                    var n = RtpWriter.Write(_packetOut, ev.Marker, eventPt, _send.NextPacketSequence(), ev.Timestamp, _send.Ssrc, payload);
                    Send(_sockets.Rtp, _packetOut.AsSpan(0, n), destination, payload.Length);
                }
                _send.Advance(_frameUnits);
                return;
            }
        }
        var pcm = _pcmOut.AsSpan();
        var have = Source?.Read(pcm) ?? false;
        if (!have)
        {
            if (!_options.SendSilenceWhenIdle) { _send.EndTalkSpurt(); _send.Advance(_frameUnits); return; }
            pcm.Clear();
        }
        if (destination is not null)
        {
            var (seq, ts, marker) = _send.NextAudio();
            var encoded = _options.Encoder.Encode(pcm, _packetOut.AsSpan(RtpHeader.FixedLength));
            var n = RtpWriter.Write(_packetOut, marker, _options.AudioPayloadType, seq, ts, _send.Ssrc, _packetOut.AsSpan(RtpHeader.FixedLength, encoded));
            Send(_sockets.Rtp, _packetOut.AsSpan(0, n), destination, encoded);
        }
        _send.Advance(_frameUnits);
    }

    private void Send(Socket socket, ReadOnlySpan<byte> datagram, SocketAddress destination, int payloadBytes)
    {
        try
        {
            socket.SendTo(datagram, SocketFlags.None, destination);
            Interlocked.Increment(ref _packetsSent);
            if (payloadBytes >= 0) _send.Count(payloadBytes);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // UDP send errors (ICMP unreachable reported late, no route) lose one packet, never the call.
            if (Interlocked.Increment(ref _sendErrors) == 1)
                _logger.LogWarning("RTP send to {Remote} failed: {Error}", RemoteEndPoint, e.Message);
        }
    }

    /// <summary>Sends RTCP BYE (§6.6), leaves the clock, stops receiving and closes the sockets.</summary>
    public void Close(string? reason = null)
    {
        if (_closed) return;
        _clockRegistration?.Dispose();
        SendReport(_time.GetTimestamp(), bye: true, reason);
        _closed = true;
        _sockets.Dispose();
    }

    public void Dispose() => Close();
}
