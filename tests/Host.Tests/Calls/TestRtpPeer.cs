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

    public TestRtpPeer()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _ = Task.Run(ReceiveAsync);
        _ = Task.Run(SendLoopAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>True: send nothing at all (a peer that vanished).</summary>
    public volatile bool Muted;

    public int PacketsReceived;

    public void SendTo(int port) => _target = new IPEndPoint(IPAddress.Loopback, port);

    /// <summary>Queues PCM at 8 kHz, sent 160 samples per packet.</summary>
    public void Speak(short[] pcm)
    {
        for (var i = 0; i < pcm.Length; i += 160) _toSend.Enqueue(pcm.AsSpan(i, Math.Min(160, pcm.Length - i)).ToArray());
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
        var buffer = new byte[200];
        var payload = new byte[160];
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false) is true)
        {
            if (Muted || _target is not { } target) continue;
            var frame = _toSend.TryDequeue(out var f) ? f : new short[160];
            for (var i = 0; i < 160; i++) payload[i] = G711.LinearToMuLaw(i < frame.Length ? frame[i] : (short)0);
            ushort seq; uint ts;
            lock (_gate) { seq = _sequence++; ts = _timestamp; _timestamp += 160; }
            var n = RtpWriter.Write(buffer, false, 0, seq, ts, _ssrc, payload);
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
            if (!RtpHeader.TryParse(buffer.AsSpan(0, n), out var header, out _) || header.PayloadType != 0) continue;
            Interlocked.Increment(ref PacketsReceived);
            var payload = header.PayloadOf(buffer.AsSpan(0, n));
            lock (_gate) foreach (var b in payload) _received.Add(G711.MuLawToLinear(b));
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
    }
}
