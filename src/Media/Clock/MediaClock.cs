using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Telephony.Media.Clock;

/// <summary>
/// The one media clock of the engine: a worker thread per core (by default) ticks every 20 ms on the same
/// absolute deadlines (start + k × period, so sleeping late once does not push every later tick back: no drift).
/// Each stream belongs to one worker (the one with the fewest at registration), which at every tick calls its
/// streams' <see cref="IMediaClockStream.OnSend"/>, then reads every datagram waiting on the sockets those
/// streams listen on (<see cref="MediaClockRegistration.Listen"/>, one epoll set per worker: <see cref="DatagramPoller"/>),
/// then calls every stream's <see cref="IMediaClockStream.OnTick"/>. Sends first, so a stream's send instant
/// does not move with the receive-side work of the streams before it; receiving just before playout, so the
/// packet that came during the last 20 ms plays now. No timer, thread or async receive per call: a thousand
/// calls cost a thousand sends, a thousand reads and a thousand playouts per tick spread over the workers,
/// where a Timer per stream would be a thousand pool work items every 20 ms, each with its own jitter.
/// </summary>
/// <remarks>
/// Waiting: on Linux clock_nanosleep to the absolute deadline, on a real-time priority (<see cref="LinuxScheduling"/>);
/// elsewhere, or with a test's time source, sleep while more than a millisecond remains, then yield-spin the last
/// part. After a stall (a GC, the machine overloaded) up to <see cref="MaxCatchUpTicks"/> missed
/// ticks run back to back so streams keep their frame count; beyond that the clock skips ahead and counts
/// the skipped ticks.
/// Registration is copy-on-write per worker: a tick iterates an immutable array, so streams register and unregister
/// from any thread while the clock ticks, and an unregistered stream is not called again after
/// <see cref="Unregister"/> returns unless a tick that already read it is in progress (it then gets at most
/// that one call; a removal flag makes even that rare).
/// </remarks>
public sealed class MediaClock : IDisposable
{
    public const int MaxCatchUpTicks = 5;
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromMilliseconds(20);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _periodTicks;
    private readonly Lock _gate = new();
    private readonly Worker[] _workers;
    private readonly IntervalHistogram _deviation = new();
    private readonly IntervalHistogram _lateness = new();
    private readonly bool _realtime;
    private volatile bool _stopping;
    private bool _started;
    private long _longestTickTicks;

    /// <param name="period">the tick (20 ms)</param>
    /// <param name="time">the clock's time source</param>
    /// <param name="logger">logs stalls and dropped streams</param>
    /// <param name="workers">threads ticking streams; by default one per core, at most 8</param>
    /// <param name="pollSockets">read the streams' sockets on the workers (Linux); false leaves receiving to the streams</param>
    /// <param name="realtime">ask for SCHED_FIFO on Linux (else nice -10): see <see cref="LinuxScheduling"/></param>
    public MediaClock(TimeSpan? period = null, TimeProvider? time = null, ILogger<MediaClock>? logger = null, int? workers = null,
        bool pollSockets = true, bool realtime = true)
    {
        _realtime = realtime;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Period = period ?? DefaultPeriod;
        if (Period <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(period));
        var count = workers ?? Math.Clamp(Environment.ProcessorCount, 1, 8);
        if (count is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(workers), count, "between 1 and 64 media workers");
        _periodTicks = (long)(Period.TotalSeconds * _time.TimestampFrequency);
        _workers = Enumerable.Range(0, count).Select(i => new Worker(this, i, pollSockets)).ToArray();
    }

    public TimeSpan Period { get; }
    public int StreamCount => _workers.Sum(w => w.Streams.Length);
    public int Workers => _workers.Length;
    public bool Running => Volatile.Read(ref _started);

    /// <summary>Adds a stream to the least busy worker; disposing the result removes it (and the sockets it listens on).</summary>
    public MediaClockRegistration Register(IMediaClockStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        lock (_gate)
        {
            var worker = _workers.MinBy(w => w.Streams.Length)!;
            var registration = new MediaClockRegistration(worker, stream);
            worker.Streams = [.. worker.Streams, registration];
            return registration;
        }
    }

    internal void Unregister(MediaClockRegistration registration)
    {
        registration.Removed = true;
        lock (_gate)
        {
            var worker = registration.Worker;
            worker.Streams = Array.FindAll(worker.Streams, r => !ReferenceEquals(r, registration));
        }
    }

    /// <summary>Starts the worker threads, all on one schedule.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_started) return;
            _started = true;
            var start = _time.GetTimestamp();
            foreach (var w in _workers) w.Start(start);
        }
    }

    /// <summary>Runs one tick now on the caller's thread, every worker's passes in turn: for tests and tools that drive time themselves.</summary>
    public void TickOnce()
    {
        if (Running) throw new InvalidOperationException("the clock threads are running");
        var now = _time.GetTimestamp();
        var ticks = _workers.Select(w => new MediaTick(Interlocked.Increment(ref w.TickIndex), now)).ToArray();
        for (var i = 0; i < _workers.Length; i++) _workers[i].SendPass(ticks[i]);
        for (var i = 0; i < _workers.Length; i++) _workers[i].Poller?.Poll();
        for (var i = 0; i < _workers.Length; i++) _workers[i].TickPass(ticks[i]);
    }

    public MediaClockStatistics Statistics => new(
        _workers.Max(w => Interlocked.Read(ref w.TickIndex)), _workers.Sum(w => Interlocked.Read(ref w.Skipped)), _deviation.Count,
        _deviation.Percentile(0.5), _deviation.Percentile(0.99), _deviation.Max, _lateness.Percentile(0.99),
        TimeSpan.FromSeconds((double)Interlocked.Read(ref _longestTickTicks) / _time.TimestampFrequency), StreamCount);

    /// <summary>Datagrams the workers read, dropped as larger than 2 KB, and receive errors, since start.</summary>
    public (long Read, long Truncated, long Errors) Received =>
        (_workers.Sum(w => Interlocked.Read(ref w.DatagramsRead)), _workers.Sum(w => w.Poller?.Truncated ?? 0), _workers.Sum(w => w.Poller?.Errors ?? 0));

    /// <summary>Starts a new measurement window (the benchmark's warm-up is left out this way).</summary>
    public void ResetStatistics()
    {
        _deviation.Reset();
        _lateness.Reset();
        Interlocked.Exchange(ref _longestTickTicks, 0);
    }

    // A bug in one stream must not stop the clock for every call: drop that stream.
    private void Drop(MediaClockRegistration r, Exception e, long index)
    {
        _logger.LogError(e, "Media stream {Stream} failed on tick {Tick}; removed from the clock", r.Stream.GetType().Name, index);
        r.Dispose();
    }

    /// <summary>Whether every worker thread got a raised scheduling priority (real-time or nice -10).</summary>
    public bool RaisedPriority => _workers.All(w => w.Scheduling is "realtime" or "nice -10");

    /// <summary>What the worker threads got: "realtime", "nice -10" or "normal" (or "not started").</summary>
    public string Scheduling => string.Join(", ", _workers.Select(w => w.Scheduling).Distinct());

    public void Dispose()
    {
        _stopping = true;
        foreach (var w in _workers) w.Join(TimeSpan.FromSeconds(2));
        foreach (var w in _workers) w.DisposePoller();
    }

    /// <summary>One worker: a thread, its streams, and the epoll set of their sockets.</summary>
    internal sealed class Worker(MediaClock clock, int index, bool pollSockets)
    {
        private readonly Lock _pollerGate = new();
        private Thread? _thread;
        private DatagramPoller? _poller;
        private bool _pollerTried;
        public volatile MediaClockRegistration[] Streams = [];
        public long TickIndex;
        public long Skipped;
        public long DatagramsRead;
        public string Scheduling { get; private set; } = "not started";
        public DatagramPoller? Poller => Volatile.Read(ref _poller);
        public MediaClock Owner => clock;
        public int Index => index;

        /// <summary>The worker's epoll set, made on first use; null where sockets cannot be polled.</summary>
        public DatagramPoller? EnsurePoller()
        {
            if (!pollSockets || clock._stopping) return null;
            lock (_pollerGate)
            {
                if (!_pollerTried)
                {
                    _pollerTried = true;
                    Volatile.Write(ref _poller, DatagramPoller.TryCreate(clock._logger));
                }
                return _poller;
            }
        }

        public void Start(long start)
        {
            _thread = new Thread(() => Run(start))
            {
                IsBackground = true, Name = index == 0 ? "media-clock" : $"media-clock-{index}", Priority = ThreadPriority.Highest,
            };
            _thread.Start();
        }

        public void Join(TimeSpan timeout) => _thread?.Join(timeout);

        public void DisposePoller()
        {
            lock (_pollerGate) _poller?.Dispose();
        }

        private void Run(long start)
        {
            Scheduling = LinuxScheduling.Raise(clock._realtime, clock._logger);
            var sleepUntil = LinuxScheduling.CanSleepUntil(clock._time);
            var time = clock._time;
            var period = clock._periodTicks;
            long k = 0;
            while (!clock._stopping)
            {
                var deadline = start + (k + 1) * period;
                if (sleepUntil) LinuxScheduling.SleepUntil(deadline);
                else WaitUntil(deadline);
                if (clock._stopping) break;
                var now = time.GetTimestamp();
                var behind = (now - deadline) / period;
                if (behind > MaxCatchUpTicks)
                {
                    // Too far behind to catch up frame by frame: skip, streams see the index jump.
                    k += behind;
                    Interlocked.Add(ref Skipped, behind);
                    Interlocked.Add(ref TickIndex, behind);
                    clock._logger.LogWarning("Media clock worker {Worker} stalled: skipped {Ticks} ticks", index, behind);
                }
                clock._lateness.Add((now - deadline) * 1e6 / time.TimestampFrequency);
                k++;
                var tick = new MediaTick(Interlocked.Increment(ref TickIndex), now);
                SendPass(tick);
                if (Poller is { } poller) Interlocked.Add(ref DatagramsRead, poller.Poll());
                TickPass(tick);
                var took = time.GetTimestamp() - now;
                if (took > Interlocked.Read(ref clock._longestTickTicks)) Interlocked.Exchange(ref clock._longestTickTicks, took);
            }
        }

        private void WaitUntil(long deadline)
        {
            var time = clock._time;
            var frequency = time.TimestampFrequency;
            while (!clock._stopping)
            {
                var remaining = deadline - time.GetTimestamp();
                if (remaining <= 0) return;
                var remainingMs = remaining * 1000.0 / frequency;
                if (remainingMs > 1.0) Thread.Sleep(Math.Max(1, (int)(remainingMs - 1.0)));
                else Thread.Yield();
            }
        }

        /// <summary>Pass 1, sends: the interval measured is between two sends of one stream (what its peer sees).</summary>
        public void SendPass(in MediaTick tick)
        {
            var time = clock._time;
            var frequency = time.TimestampFrequency;
            var periodMicros = clock.Period.TotalMicroseconds;
            foreach (var r in Streams)
            {
                if (r.Removed) continue;
                var called = time.GetTimestamp();
                if (r.LastCall != 0) clock._deviation.Add(Math.Abs((called - r.LastCall) * 1e6 / frequency - periodMicros));
                r.LastCall = called;
                try
                {
                    r.Stream.OnSend(tick);
                }
                catch (Exception e)
                {
                    clock.Drop(r, e, tick.Index);
                }
            }
        }

        /// <summary>Pass 2, the rest (playout, recording, detectors): its cost no longer delays anyone's send.</summary>
        public void TickPass(in MediaTick tick)
        {
            foreach (var r in Streams)
            {
                if (r.Removed) continue;
                try
                {
                    r.Stream.OnTick(tick);
                }
                catch (Exception e)
                {
                    clock.Drop(r, e, tick.Index);
                }
            }
        }
    }
}

/// <summary>
/// A stream's place on the clock: which worker ticks it, and the sockets that worker reads for it. Disposing it
/// stops both (call it before closing the sockets).
/// </summary>
public sealed class MediaClockRegistration : IDisposable
{
    private readonly List<ulong> _listening = [];

    internal MediaClockRegistration(MediaClock.Worker worker, IMediaClockStream stream)
    {
        Worker = worker;
        Stream = stream;
    }

    internal MediaClock.Worker Worker { get; }
    public IMediaClockStream Stream { get; }
    /// <summary>Which worker thread ticks the stream (0-based).</summary>
    public int WorkerIndex => Worker.Index;
    internal long LastCall;
    internal volatile bool Removed;

    /// <summary>
    /// Reads <paramref name="socket"/> on this stream's worker at every tick, just before its second pass, handing each
    /// datagram to <paramref name="receiver"/> on that thread. False where sockets cannot be polled (not Linux, epoll
    /// refused): the caller then receives on its own.
    /// </summary>
    public bool Listen(Socket socket, IDatagramReceiver receiver, int channel)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(receiver);
        if (Removed || Worker.EnsurePoller() is not { } poller) return false;
        if (poller.Add(socket, receiver, channel) is not { } key) return false;
        lock (_listening) _listening.Add(key);
        return true;
    }

    public void Dispose()
    {
        if (Removed) return;
        Removed = true;
        ulong[] keys;
        lock (_listening) { keys = [.. _listening]; _listening.Clear(); }
        if (Worker.Poller is { } poller) foreach (var key in keys) poller.Remove(key);
        Worker.Owner.Unregister(this);
    }
}

// How the media workers get the CPU on time on Linux. .NET does not map Thread.Priority to Linux scheduling, and
// under the default scheduler a worker woken for its tick may wait for the running task's slice (milliseconds)
// even at nice -10: that wait was the p99 send deviation on a busy machine. So a worker asks for SCHED_FIFO (a
// real-time priority, what media servers' timer threads use): it then runs the moment its sleep ends. Its work
// is bounded (a tick's passes, then it sleeps), and the kernel's real-time throttling keeps 5 % of every second
// for everything else should a bug make it spin. Both need CAP_SYS_NICE (root in a container has it); without
// real-time, nice -10; without either, normal priority. Sleeping is clock_nanosleep to the absolute deadline on
// CLOCK_MONOTONIC (the Stopwatch timeline), so no yield-spinning is needed to hit it.
internal static unsafe class LinuxScheduling
{
    private const int SchedFifo = 1;
    private const int FifoPriority = 10;
    private const int ClockMonotonic = 1;
    private const int TimerAbsolute = 1;

    /// <summary>"realtime", "nice -10" or "normal": what the calling thread got.</summary>
    public static string Raise(bool realtime, ILogger logger)
    {
        if (!OperatingSystem.IsLinux()) return "normal";
        try
        {
            var tid = gettid();
            if (realtime)
            {
                var priority = FifoPriority;
                if (sched_setscheduler(tid, SchedFifo, &priority) == 0) return "realtime";
                logger.LogInformation("Media clock worker: SCHED_FIFO refused (errno {Errno}: no CAP_SYS_NICE?); trying nice -10",
                    System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
            }
            if (setpriority(0 /* PRIO_PROCESS: a thread id on Linux */, (uint)tid, -10) == 0) return "nice -10";
            logger.LogInformation("Media clock runs at normal priority (setpriority refused: no CAP_SYS_NICE)");
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            logger.LogInformation("Media clock runs at normal priority ({Reason})", e.Message);
        }
        return "normal";
    }

    /// <summary>Whether <see cref="SleepUntil"/> can be used with timestamps of <paramref name="time"/>.</summary>
    public static bool CanSleepUntil(TimeProvider time) =>
        OperatingSystem.IsLinux() && ReferenceEquals(time, TimeProvider.System) && Stopwatch.Frequency == 1_000_000_000;

    /// <summary>Sleeps until the Stopwatch timestamp <paramref name="deadline"/> (ns on CLOCK_MONOTONIC).</summary>
    public static void SleepUntil(long deadline)
    {
        var spec = stackalloc long[2];
        spec[0] = deadline / 1_000_000_000;
        spec[1] = deadline % 1_000_000_000;
        while (clock_nanosleep(ClockMonotonic, TimerAbsolute, spec, null) == 4 /* EINTR */) { }
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int sched_setscheduler(int pid, int policy, int* param);

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, uint who, int prio);

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int gettid();

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int clock_nanosleep(int clock, int flags, long* request, long* remain);
}
