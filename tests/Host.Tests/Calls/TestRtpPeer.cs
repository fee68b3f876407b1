using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Telephony.Media.Codecs;
using Telephony.Media.Dtmf;
using Telephony.Media.Rtp;

namespace Telephony.Host.Tests.Calls;

/// <summary>
/// The far end of a call on 127.0.0.1 for channel tests: sends µ-law audio frames every 20 ms (a queue of
/// PCM, silence when empty, or nothing when muted) and RFC 4733 events, and decodes what it receives.
/// </summary>
internal sealed class TestRtpPeer : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly ConcurrentQueue<short[]> _toSend = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<short> _received = [];
    private IPEndPoint? _target;
    private ushort _sequence;
    private uint _timestamp;
    private readonly uint _ssrc = 0x1234_5678;

    private readonly IAudioCodec _encoder;
    private readonly IAudioCodec _decoder;
    private readonly int _frame;
    private readonly HashSet<uint> _eventsEnded = [];

    public TestRtpPeer(string codec = "PCMU")
    {
        _encoder = AudioCodecs.Create(codec);
        _decoder = AudioCodecs.Create(codec);
        _frame = _encoder.SampleRate / 50;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _ = Task.Run(ReceiveAsync);
        _ = Task.Run(SendLoopAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>The engine's side: a PCMU session (telephone-event 101) on free loopback ports, sending to this peer, which sends back to it. Not started.</summary>
    public RtpSession OpenSession()
    {
        var first = Telephony.Testing.FreePorts.NextBlock(8);
        var sockets = new RtpPortAllocator(IPAddress.Loopback, first, first + 7).TryBind()!;
        var session = new RtpSession(sockets, new RtpSessionOptions
        {
            Encoder = AudioCodecs.Create("PCMU"), Decoder = AudioCodecs.Create("PCMU"),
            AudioPayloadType = 0, TelephoneEventPayloadType = 101, Remote = EndPoint,
        });
        SendTo(sockets.Port);
        return session;
    }

    /// <summary>True: send nothing at all (a peer that vanished).</summary>
    public volatile bool Muted;

    public int PacketsReceived;

    public void SendTo(int port) => _target = new IPEndPoint(IPAddress.Loopback, port);

    /// <summary>Keys received as RFC 4733 (one per event: its end packets de-duplicated by timestamp).</summary>
    public string DigitsReceived { get { lock (_gate) return _digits.ToString(); } }
    private readonly System.Text.StringBuilder _digits = new();

    /// <summary>Queues PCM at the codec's rate, sent 20 ms per packet.</summary>
    public void Speak(short[] pcm)
    {
        for (var i = 0; i < pcm.Length; i += _frame) _toSend.Enqueue(pcm.AsSpan(i, Math.Min(_frame, pcm.Length - i)).ToArray());
    }

    /// <summary>PCM received so far (decoded µ-law, 8 kHz).</summary>
    public short[] Received { get { lock (_gate) return [.. _received]; } }

    /// <summary>One key as RFC 4733 (§2.5.1.4): three updates, then the end packet three times.</summary>
    public async Task SendDigitAsync(char digit, byte payloadType = 101)
    {
        var target = _target ?? throw new InvalidOperationException("no target");
        uint ts;
        lock (_gate) { ts = _timestamp; _timestamp += 800; }
        var buffer = new byte[64];
        for (var i = 0; i < 6; i++)
        {
            var end = i >= 3;
            var payload = new byte[TelephoneEventPayload.Length];
            new TelephoneEventPayload((byte)TelephoneEventPayload.CodeOf(digit), end, 10, (ushort)(160 * Math.Min(i + 1, 4))).Write(payload);
            ushort seq;
            lock (_gate) seq = _sequence++;
            var n = RtpWriter.Write(buffer, i == 0, payloadType, seq, ts, _ssrc, payload);
            await _socket.SendToAsync(buffer.AsMemory(0, n), SocketFlags.None, target);
            if (i < 3) await Task.Delay(20);
        }
    }

    private async Task SendLoopAsync()
    {
        var buffer = new byte[400];
        var payload = new byte[400];
        var pcm = new short[_frame];
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false) is true)
        {
            if (Muted || _target is not { } target) continue;
            var frame = _toSend.TryDequeue(out var f) ? f : [];
            Array.Clear(pcm);
            frame.CopyTo(pcm, 0);
            var encoded = _encoder.Encode(pcm, payload);
            ushort seq; uint ts;
            lock (_gate) { seq = _sequence++; ts = _timestamp; _timestamp += 160; }
            var n = RtpWriter.Write(buffer, false, (byte)_encoder.StaticPayloadType, seq, ts, _ssrc, payload.AsSpan(0, encoded));
            try { await _socket.SendToAsync(buffer.AsMemory(0, n), SocketFlags.None, target); }
            catch (SocketException) { }
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[2048];
        while (!_stop.IsCancellationRequested)
        {
            int n;
            try { n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            if (!RtpHeader.TryParse(buffer.AsSpan(0, n), out var header, out _)) continue;
            var payload = header.PayloadOf(buffer.AsSpan(0, n));
            if (header.PayloadType == 101 && TelephoneEventPayload.TryParse(payload, out var ev, out _))
            {
                lock (_gate) if (ev.End && _eventsEnded.Add(header.Timestamp)) _digits.Append(ev.Digit);
                continue;
            }
            if (header.PayloadType != _encoder.StaticPayloadType) continue;
            Interlocked.Increment(ref PacketsReceived);
            var decoded = new short[_decoder.DecodedLength(payload.Length)];
            var m = _decoder.Decode(payload, decoded);
            lock (_gate) _received.AddRange(decoded.AsSpan(0, m));
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
    }
}
