using System.Diagnostics;
using NUnit.Framework;
using Telephony.Media.Clock;

namespace Telephony.Media.Tests.Clock;

public class MediaClockTests
{
    private sealed class CountingStream : IMediaClockStream
    {
        private readonly byte[] _frame = new byte[160];
        public int Calls;
        public long LastIndex;
        public int Checksum;
        public long First, Last;

        public void OnTick(in MediaTick tick)
        {
            var now = Stopwatch.GetTimestamp();
            if (Calls == 0) First = now;
            Last = now;
            Calls++;
            LastIndex = tick.Index;
            // A frame's worth of work, like a G.711 encode.
            for (var i = 0; i < _frame.Length; i++) { _frame[i] = (byte)(i ^ tick.Index); Checksum += _frame[i]; }
        }
    }

    [Test]
    public void Clock_drives_200_streams_every_20_ms_without_drift_and_reports_p99_deviation()
    {
        using var clock = new MediaClock();
        var streams = Enumerable.Range(0, 200).Select(_ => new CountingStream()).ToArray();
        var registrations = streams.Select(clock.Register).ToList();
        var watch = Stopwatch.StartNew();
        clock.Start();
        Thread.Sleep(TimeSpan.FromSeconds(4));
        var stats = clock.Statistics;
        var elapsed = watch.Elapsed;
        registrations.ForEach(r => r.Dispose());
        var ticksAfter = clock.Statistics.Ticks;

        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        TestContext.Out.WriteLine($"media clock, 200 streams, {elapsed.TotalSeconds:F1} s: ticks {stats.Ticks}, skipped {stats.SkippedTicks}, " +
            $"intervals {stats.Intervals}, send-interval deviation p50 {stats.DeviationP50.TotalMilliseconds:F3} ms, " +
            $"p99 {stats.DeviationP99.TotalMilliseconds:F3} ms, max {stats.DeviationMax.TotalMilliseconds:F3} ms, " +
            $"tick lateness p99 {stats.TickLatenessP99.TotalMilliseconds:F3} ms, longest tick {stats.LongestTick.TotalMilliseconds:F3} ms; " +
            $"raised priority {clock.RaisedPriority}; load average {load}");

        // Absolute deadlines: the mean interval over ~200 ticks is 20 ms to within the tick jitter / 200.
        var s0 = streams[0];
        var meanMs = Stopwatch.GetElapsedTime(s0.First, s0.Last).TotalMilliseconds / (s0.Calls - 1);
        TestContext.Out.WriteLine($"mean interval {meanMs:F4} ms over {s0.Calls} ticks");
        Assert.That(meanMs, Is.InRange(19.85, 20.15), "no drift");
        Assert.That(streams.Select(s => s.Calls), Is.All.InRange((int)stats.Ticks - 2, (int)ticksAfter), "every stream every tick");
        Assert.That(stats.Intervals, Is.GreaterThan(150 * 200));
        // The 5 ms p99 bar is the benchmark's (bench/media-calls, on a machine to itself). On a shared machine
        // (load averages of 20 on 2 cores were seen while this test ran) scheduling delay dominates, so the
        // test prints the figures and holds the clock to what load cannot excuse: no drift (above), no tick
        // skipped, and p99 within the 5 ticks (100 ms) the clock catches up on (p99 of 40 ms was seen at load 17).
        Assert.That(stats.SkippedTicks, Is.Zero);
        Assert.That(stats.DeviationP99, Is.LessThan(TimeSpan.FromMilliseconds(100)));
    }

    [Test]
    public void Streams_register_and_unregister_while_the_clock_ticks()
    {
        using var clock = new MediaClock(TimeSpan.FromMilliseconds(2));
        var steady = new CountingStream();
        using var _ = clock.Register(steady);
        clock.Start();
        var removed = new List<(CountingStream Stream, int CallsAtRemoval)>();
        for (var i = 0; i < 300; i++)
        {
            var s = new CountingStream();
            var r = clock.Register(s);
            Thread.SpinWait(2000);
            r.Dispose();
            removed.Add((s, s.Calls));
        }
        Thread.Sleep(50);
        var calledAfterRemoval = removed.Count(x => x.Stream.Calls > x.CallsAtRemoval + 1);
        Assert.That(calledAfterRemoval, Is.Zero, "at most the tick already in progress calls a removed stream");
        Assert.That(clock.StreamCount, Is.EqualTo(1));
        Assert.That(steady.Calls, Is.GreaterThan(5), "the clock kept ticking the registered stream");
    }

    private sealed class FailingStream : IMediaClockStream
    {
        public int Calls;
        public void OnTick(in MediaTick tick) { Calls++; throw new InvalidOperationException("bug"); }
    }

    [Test]
    public void A_stream_that_throws_is_removed_and_the_others_keep_ticking()
    {
        using var clock = new MediaClock();
        var failing = new FailingStream();
        var good = new CountingStream();
        clock.Register(failing);
        clock.Register(good);
        clock.TickOnce();
        clock.TickOnce();
        Assert.That(failing.Calls, Is.EqualTo(1));
        Assert.That(good.Calls, Is.EqualTo(2));
        Assert.That(good.LastIndex, Is.EqualTo(2));
    }

    private sealed class OrderedStream(List<string> log, string name) : IMediaClockStream
    {
        public void OnSend(in MediaTick tick) => log.Add($"send {name}");
        public void OnTick(in MediaTick tick) => log.Add($"tick {name}");
    }

    [Test]
    public void Every_stream_sends_before_any_stream_does_the_rest_of_its_tick()
    {
        using var clock = new MediaClock(workers: 1);
        var log = new List<string>();
        clock.Register(new OrderedStream(log, "a"));
        clock.Register(new OrderedStream(log, "b"));
        clock.Register(new OrderedStream(log, "c"));

        clock.TickOnce();

        Assert.That(log, Is.EqualTo(new[] { "send a", "send b", "send c", "tick a", "tick b", "tick c" }));
    }

    private sealed class FailingSender : IMediaClockStream
    {
        public int Sends, Ticks;
        public void OnSend(in MediaTick tick) { Sends++; throw new InvalidOperationException("bug"); }
        public void OnTick(in MediaTick tick) => Ticks++;
    }

    [Test]
    public void A_stream_whose_send_throws_is_removed_before_its_second_pass()
    {
        using var clock = new MediaClock();
        var failing = new FailingSender();
        var good = new CountingStream();
        clock.Register(failing);
        clock.Register(good);
        clock.TickOnce();
        clock.TickOnce();
        Assert.That((failing.Sends, failing.Ticks), Is.EqualTo((1, 0)));
        Assert.That(good.Calls, Is.EqualTo(2));
        Assert.That(clock.StreamCount, Is.EqualTo(1));
    }

    [Test]
    public void Streams_are_spread_over_the_workers_and_every_one_ticks_every_period()
    {
        using var clock = new MediaClock(workers: 2);
        var streams = Enumerable.Range(0, 10).Select(_ => new CountingStream()).ToArray();
        var registrations = streams.Select(clock.Register).ToList();
        Assert.That(registrations.GroupBy(r => r.WorkerIndex).Select(g => g.Count()), Is.EquivalentTo(new[] { 5, 5 }), "the least busy worker takes the next stream");
        clock.Start();
        Thread.Sleep(400);
        var ticks = clock.Statistics.Ticks;
        registrations.ForEach(r => r.Dispose());
        Assert.That(streams.Select(s => s.Calls), Is.All.InRange((int)ticks - 3, (int)ticks + 1));
        Assert.That(clock.StreamCount, Is.Zero);
    }

    private sealed class DatagramLog : IMediaClockStream, IDatagramReceiver
    {
        public readonly List<string> Log = [];
        public readonly List<(int Channel, byte First, long Arrival, System.Net.EndPoint From)> Datagrams = [];
        public void OnTick(in MediaTick tick) => Log.Add("tick");
        public void OnDatagram(int channel, ReadOnlySpan<byte> datagram, System.Net.SocketAddress from, long arrival)
        {
            Log.Add($"datagram {channel}");
            Datagrams.Add((channel, datagram[0], arrival, new System.Net.IPEndPoint(System.Net.IPAddress.Any, 0).Create(from)));
        }
    }

    [Test]
    public void A_worker_reads_the_sockets_its_streams_listen_on_before_their_second_pass_with_the_kernels_arrival_time()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("the workers poll sockets on Linux only");
        using var clock = new MediaClock(workers: 1);
        using var a = Bound();
        using var b = Bound();
        using var peer = Bound();
        var stream = new DatagramLog();
        using var registration = clock.Register(stream);
        Assert.That(registration.Listen(a, stream, 0), Is.True);
        Assert.That(registration.Listen(b, stream, 1), Is.True);

        var sentAt = Stopwatch.GetTimestamp();
        peer.SendTo(new byte[] { 7, 0, 0 }, a.LocalEndPoint!);
        peer.SendTo(new byte[] { 8 }, a.LocalEndPoint!);
        peer.SendTo(new byte[] { 9 }, b.LocalEndPoint!);
        Thread.Sleep(30);
        clock.TickOnce();

        Assert.That(stream.Log, Is.EqualTo(new[] { "datagram 0", "datagram 1", "datagram 0", "tick" }), "one datagram per socket per round, all before the second pass");
        Assert.That(stream.Datagrams.Select(d => d.First), Is.EqualTo(new byte[] { 7, 9, 8 }));
        Assert.That(stream.Datagrams.Select(d => d.From).Distinct().Single(), Is.EqualTo(peer.LocalEndPoint));
        var arrivalMs = Stopwatch.GetElapsedTime(sentAt, stream.Datagrams[0].Arrival).TotalMilliseconds;
        Assert.That(arrivalMs, Is.InRange(-1.0, 10.0), "stamped when the kernel got it, not 30 ms later when the tick read it");
    }

    [Test]
    public void A_socket_stops_being_read_when_its_stream_leaves_the_clock_and_a_closed_socket_is_harmless()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("the workers poll sockets on Linux only");
        using var clock = new MediaClock(workers: 1);
        var a = Bound();
        using var peer = Bound();
        var stream = new DatagramLog();
        var registration = clock.Register(stream);
        Assert.That(registration.Listen(a, stream, 0), Is.True);
        var other = new DatagramLog();
        using var otherRegistration = clock.Register(other);
        var b = Bound();
        Assert.That(otherRegistration.Listen(b, other, 0), Is.True);

        peer.SendTo(new byte[] { 1 }, a.LocalEndPoint!);
        peer.SendTo(new byte[] { 2 }, b.LocalEndPoint!);
        Thread.Sleep(20);
        registration.Dispose();
        a.Dispose();
        b.Dispose(); // closed while still registered: the kernel drops it from the set
        clock.TickOnce();

        Assert.That(stream.Datagrams, Is.Empty);
        Assert.That(other.Datagrams, Is.Empty);
        Assert.That(other.Log, Is.EqualTo(new[] { "tick" }));
        Assert.That(registration.Listen(Bound(), stream, 0), Is.False, "a removed stream cannot listen again");
    }

    private static System.Net.Sockets.Socket Bound()
    {
        var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        s.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return s;
    }
}
