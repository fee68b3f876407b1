using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using NUnit.Framework;
using Telephony.Media.Clock;
using Telephony.Media.Dtmf;
using Telephony.Media.Rtp;
using Telephony.Testing;

namespace Telephony.Media.Tests.Rtp;

public class RtpSessionTests
{
    /// <summary>Sends frames whose every sample is the frame number × 256 (decodes back exactly).</summary>
    private sealed class NumberedFrames(int first) : IOutboundAudio
    {
        private int _next = first;
        public bool Read(Span<short> frame)
        {
            frame.Fill((short)(_next++ << 8));
            return true;
        }
    }

    private sealed class Received
    {
        public readonly ConcurrentQueue<int> Frames = new();
        public readonly ConcurrentQueue<TelephoneEventNotice> Events = new();
        public void Attach(RtpSession s)
        {
            s.AudioReceived += (_, pcm, concealed) => { if (!concealed) Frames.Enqueue(pcm[0] >> 8); };
            s.TelephoneEvent += (_, n) => Events.Enqueue(n);
        }
    }

    private static RtpSessionOptions Options(IPEndPoint? remote, byte? eventPt = 101, TimeSpan? rtcp = null) => new()
    {
        Encoder = new Linear8TestCodec(),
        Decoder = new Linear8TestCodec(),
        AudioPayloadType = 96,
        TelephoneEventPayloadType = eventPt,
        Remote = remote,
        RtcpInterval = rtcp ?? TimeSpan.FromSeconds(5),
    };

    private static RtpPortAllocator Allocator()
    {
        var first = FreePorts.NextBlock(8);
        return new RtpPortAllocator(IPAddress.Loopback, first, first + 7);
    }

    /// <summary>Lets the real clock run <paramref name="ticks"/> periods of 20 ms.</summary>
    private static void Run(MediaClock clock, int ticks)
    {
        clock.Start();
        Thread.Sleep(ticks * 20);
    }

    [Test]
    public void Two_sessions_exchange_audio_and_the_answerer_latches_to_where_packets_come_from()
    {
        var ports = Allocator();
        var a = ports.TryBind()!;
        var b = ports.TryBind()!;
        // B's SDP names A at a port nobody listens on (a NAT rewrote A's port): B must latch to the real one.
        using var nowhere = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        nowhere.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var wrongA = (IPEndPoint)nowhere.LocalEndPoint!;
        using var clock = new MediaClock();
        var sa = new RtpSession(a, Options(new IPEndPoint(IPAddress.Loopback, b.Port)));
        var sb = new RtpSession(b, Options(wrongA));
        var gotA = new Received(); gotA.Attach(sa);
        var gotB = new Received(); gotB.Attach(sb);
        sa.Source = new NumberedFrames(1);
        sb.Source = new NumberedFrames(50);
        sa.Start(clock);
        sb.Start(clock);
        try
        {
            Run(clock, 40);
            Assert.That(sb.Latched, Is.True);
            Assert.That(sb.RemoteEndPoint, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, a.Port)), "symmetric RTP: B sends where A's packets come from");

            // An intruder on the same address sends valid RTP to B after latching: ignored.
            using var intruder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var packet = new byte[172];
            for (ushort i = 0; i < 10; i++)
            {
                var n = RtpWriter.Write(packet, false, 96, i, i * 160u, 0xBAD, Enumerable.Repeat((byte)100, 160).ToArray());
                intruder.SendTo(packet.AsSpan(0, n), SocketFlags.None, new IPEndPoint(IPAddress.Loopback, b.Port));
            }
            Run(clock, 20);
            Assert.That(sb.PacketsIgnored, Is.EqualTo(10));
        }
        finally
        {
            sa.Close();
            sb.Close();
        }

        var atB = gotB.Frames.ToArray();
        var atA = gotA.Frames.ToArray();
        TestContext.Out.WriteLine($"B got {atB.Length} frames ({string.Join(",", atB.Take(8))}...), A got {atA.Length} ({string.Join(",", atA.Take(8))}...)");
        Assert.That(atB, Has.Length.GreaterThan(40));
        Assert.That(atB, Is.EqualTo(Enumerable.Range(atB[0], atB.Length)), "A's frames arrive at B in order, none missing");
        Assert.That(atB, Has.None.EqualTo(100), "the intruder's audio never plays");
        Assert.That(atA, Has.Length.GreaterThan(30), "A hears B once B latched");
        Assert.That(atA, Is.EqualTo(Enumerable.Range(atA[0], atA.Length)));
        Assert.That(atA[0], Is.GreaterThanOrEqualTo(50));
        Assert.That(ports.InUse, Is.Zero, "closing gave both port pairs back");
    }

    [Test]
    public void Digits_sent_as_telephone_events_arrive_once_each_in_order()
    {
        var ports = Allocator();
        var a = ports.TryBind()!;
        var b = ports.TryBind()!;
        using var clock = new MediaClock();
        var sa = new RtpSession(a, Options(new IPEndPoint(IPAddress.Loopback, b.Port)));
        var sb = new RtpSession(b, Options(new IPEndPoint(IPAddress.Loopback, a.Port)));
        var gotB = new Received(); gotB.Attach(sb);
        sa.Start(clock);
        sb.Start(clock);
        try
        {
            foreach (var key in "1234#") Assert.That(sa.SendDigit(key), Is.True);
            Run(clock, 0);
            // Five keys take 1.3 s of media time (200 ms each with the repeated ends, 60 ms apart); a loaded
            // machine may need longer, so wait for the fifth end (at most 10 s).
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (gotB.Events.Count(e => e.Phase == TelephoneEventPhase.Ended) < 5 && DateTime.UtcNow < deadline) Thread.Sleep(20);
            Thread.Sleep(300); // any duplicate report would show up by now
        }
        finally { sa.Close(); sb.Close(); }
        var ended = gotB.Events.Where(e => e.Phase == TelephoneEventPhase.Ended).ToList();
        Assert.That(string.Concat(ended.Select(e => e.Digit)), Is.EqualTo("1234#"));
        Assert.That(ended.Select(e => e.EndedBy), Is.All.EqualTo(TelephoneEventEnd.EndPacket));
    }

    [Test]
    public void Rtcp_reports_flow_both_ways_and_close_sends_bye()
    {
        var ports = Allocator();
        var a = ports.TryBind()!;
        var b = ports.TryBind()!;
        using var clock = new MediaClock();
        var rtcp = TimeSpan.FromMilliseconds(100);
        var sa = new RtpSession(a, Options(new IPEndPoint(IPAddress.Loopback, b.Port), rtcp: rtcp));
        var sb = new RtpSession(b, Options(new IPEndPoint(IPAddress.Loopback, a.Port), rtcp: rtcp));
        sa.Source = new NumberedFrames(0);
        sb.Source = new NumberedFrames(0);
        var peerLeft = 0;
        sb.PeerLeft += _ => Interlocked.Increment(ref peerLeft);
        sa.Start(clock);
        sb.Start(clock);
        try
        {
            Run(clock, 60);
            sa.Close("bye");
            Thread.Sleep(50);
            Assert.That(sb.ReportsReceived, Is.GreaterThan(2));
            Assert.That(sb.ByesReceived, Is.EqualTo(1));
            Assert.That(peerLeft, Is.EqualTo(1), "PeerLeft raised once on B's next tick");
            Assert.That(sb.SinceLastPacket, Is.LessThan(TimeSpan.FromSeconds(1)));
            Assert.That(sa.PeerReportAboutUs, Is.Not.Null, "B's reports carry a block about A's stream");
            Assert.That(sa.PeerReportAboutUs!.Value.CumulativeLost, Is.Zero);
            Assert.That(sa.PeerReportAboutUs!.Value.LastSenderReport, Is.Not.Zero, "LSR echoes A's last SR");
        }
        finally { sa.Close(); sb.Close(); }
    }

    [Test]
    public void A_session_on_hold_sends_nothing_and_resumes_with_a_marked_talk_spurt()
    {
        var ports = Allocator();
        var a = ports.TryBind()!;
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.ReceiveTimeout = 500;
        using var clock = new MediaClock();
        var sa = new RtpSession(a, Options((IPEndPoint)listener.LocalEndPoint!)) { SendEnabled = false, Source = new NumberedFrames(1) };
        sa.Start(clock);
        try
        {
            for (var i = 0; i < 5; i++) clock.TickOnce();
            Assert.That(sa.PacketsSent, Is.Zero);
            sa.SendEnabled = true;
            clock.TickOnce();
            var buffer = new byte[1500];
            var n = listener.Receive(buffer);
            Assert.That(RtpHeader.TryParse(buffer.AsSpan(0, n), out var h, out _), Is.True);
            Assert.That(h.Marker, Is.True, "first packet after hold starts a talk spurt");
            Assert.That(h.PayloadOf(buffer.AsSpan(0, n))[0], Is.EqualTo((byte)1), "the source is not consumed while on hold");
        }
        finally { sa.Close(); }
    }

    [Test]
    public void Malformed_datagrams_and_unknown_payload_types_are_counted_not_played()
    {
        var ports = Allocator();
        var b = ports.TryBind()!;
        using var clock = new MediaClock();
        var sb = new RtpSession(b, Options(null));
        var got = new Received(); got.Attach(sb);
        sb.Start(clock);
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var to = new IPEndPoint(IPAddress.Loopback, b.Port);
        try
        {
            peer.SendTo(new byte[] { 1, 2, 3 }, to);
            peer.SendTo(new byte[] { 0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 }, to);
            var packet = new byte[40];
            var n = RtpWriter.Write(packet, false, 34, 1, 0, 5, new byte[20]);
            peer.SendTo(packet.AsSpan(0, n), SocketFlags.None, to);
            Thread.Sleep(100);
            Run(clock, 3);
            Assert.That(sb.PacketsMalformed, Is.EqualTo(2));
            Assert.That(sb.PacketsUnknownPayload, Is.EqualTo(1));
            Assert.That(sb.Latched, Is.False, "nothing valid arrived to latch on");
            Assert.That(got.Frames, Is.Empty);
        }
        finally { sb.Close(); }
    }

    [Test]
    public void Allocator_skips_ports_that_fail_to_bind_and_reserves_pairs_for_the_sdp()
    {
        var block = FreePorts.NextBlock(8);
        var first = block + (block & 1); // three even/odd pairs: first, first + 2, first + 4
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, first + 1)); // the RTCP port of the first pair
        var ports = new RtpPortAllocator(IPAddress.Loopback, first, first + 5);
        var reserved = ports.Reserve();
        Assert.That(reserved, Is.Not.Null);
        Assert.That(reserved! % 2, Is.Zero);
        Assert.That(reserved, Is.Not.EqualTo(first), "the pair whose RTCP port is taken is skipped");
        var pair = ports.Claim(reserved.Value);
        Assert.That(pair, Is.Not.Null);
        Assert.That(ports.Claim(reserved.Value), Is.Null, "claimed once");
        var other = ports.Reserve();
        Assert.That(other, Is.Not.Null.And.Not.EqualTo(reserved));
        Assert.That(ports.Reserve(), Is.Null, "the range is exhausted");
        ports.Release(other!.Value);
        pair!.Dispose();
        Assert.That(ports.InUse, Is.Zero);
    }
}

public class RtpSessionScaleTests
{
    private sealed class Tone : IOutboundAudio
    {
        private int _phase;
        public bool Read(Span<short> frame)
        {
            for (var i = 0; i < frame.Length; i++) frame[i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * _phase++ / 8000.0));
            return true;
        }
    }

    /// <summary>
    /// 200 sessions (100 call pairs) on one clock and the pool's socket completions: every session sends and
    /// receives 50 packets/s. Prints the packet rate, the CPU it cost and the clock's deviation; asserts that
    /// nearly everything sent arrived and played.
    /// </summary>
    [Test]
    public void Two_hundred_sessions_share_one_clock_and_the_pool_receive_path()
    {
        const int pairs = 100;
        var first = FreePorts.NextBlock(4 * pairs + 8);
        var ports = new RtpPortAllocator(System.Net.IPAddress.Loopback, first, first + 4 * pairs + 7);
        using var clock = new MediaClock();
        var sessions = new List<RtpSession>();
        long played = 0;
        for (var i = 0; i < pairs; i++)
        {
            var a = ports.TryBind()!;
            var b = ports.TryBind()!;
            RtpSessionOptions Opt(int port) => new()
            {
                Encoder = new Linear8TestCodec(), Decoder = new Linear8TestCodec(), AudioPayloadType = 96,
                Remote = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port),
            };
            var sa = new RtpSession(a, Opt(b.Port)) { Source = new Tone() };
            var sb = new RtpSession(b, Opt(a.Port)) { Source = new Tone() };
            foreach (var s in new[] { sa, sb })
            {
                s.AudioReceived += (_, _, concealed) => { if (!concealed) Interlocked.Increment(ref played); };
                sessions.Add(s);
            }
        }
        var process = System.Diagnostics.Process.GetCurrentProcess();
        sessions.ForEach(s => s.Start(clock));
        clock.Start();
        Thread.Sleep(1000);
        clock.ResetStatistics();
        var cpu0 = process.TotalProcessorTime;
        var alloc0 = GC.GetTotalAllocatedBytes(precise: false);
        var sent0 = sessions.Sum(s => s.PacketsSent);
        var recv0 = sessions.Sum(s => s.PacketsReceived);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Thread.Sleep(4000);
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpu0;
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - alloc0;
        var seconds = watch.Elapsed.TotalSeconds;
        var sent = sessions.Sum(s => s.PacketsSent) - sent0;
        var received = sessions.Sum(s => s.PacketsReceived) - recv0;
        var stats = clock.Statistics;
        sessions.ForEach(s => s.Close());

        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        TestContext.Out.WriteLine($"{sessions.Count} sessions, {seconds:F1} s: sent {sent / seconds:F0} packets/s, received {received / seconds:F0} packets/s, " +
            $"CPU {cpu.TotalMilliseconds / seconds / 10:F1} % of one core ({cpu.TotalMicroseconds / (sent + received):F1} µs per packet sent or received, {(double)allocated / (sent + received):F0} bytes allocated per packet), " +
            $"clock deviation p50 {stats.DeviationP50.TotalMilliseconds:F2} ms p99 {stats.DeviationP99.TotalMilliseconds:F2} ms, longest tick {stats.LongestTick.TotalMilliseconds:F2} ms; load average {load}");
        Assert.That(sent / seconds, Is.GreaterThan(sessions.Count * 50 * 0.9), "every session sends its 50 packets/s");
        Assert.That(received, Is.GreaterThan(sent * 0.9), "loopback delivers nearly all of them (~100 % seen; 95 % once under load 25)");
        Assert.That(Interlocked.Read(ref played), Is.GreaterThan(sessions.Count * 50 * 4), "and they play out of the jitter buffers");
        Assert.That(ports.InUse, Is.Zero);
    }
}
