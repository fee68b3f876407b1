using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Telephony.Media.Clock;

/// <summary>
/// The one media clock of the engine: a single thread ticks every 20 ms on absolute deadlines
/// (start + k × period, so sleeping late once does not push every later tick back: no drift) and calls every
/// registered stream's <see cref="IMediaClockStream.OnSend"/>, then every stream's
/// <see cref="IMediaClockStream.OnTick"/> (sends first, so a stream's send instant does not move with the
/// receive-side work of the streams before it). No timer or thread per call: a thousand
/// calls cost a thousand calls per tick on one thread, a few milliseconds of the 20 (each is an encode and a
/// non-blocking UDP send), where a Timer per stream would be a thousand pool work items every 20 ms, each
/// with its own jitter.
/// </summary>
/// <remarks>
/// Waiting: sleep while more than a millisecond remains (Linux nanosleep wakes within ~0.1 ms), then yield-
/// spin the last part, which costs at most ~5 % of a core and keeps ticks within tens of microseconds of
/// their deadline. After a stall (a GC, the machine overloaded) up to <see cref="MaxCatchUpTicks"/> missed
/// ticks run back to back so streams keep their frame count; beyond that the clock skips ahead and counts
/// the skipped ticks. The thread asks for the highest priority: Windows honours it; Linux only with
/// CAP_SYS_NICE, so there the bound on per-tick work is what keeps the clock on time.
/// Registration is copy-on-write: a tick iterates an immutable array, so streams register and unregister
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
    private volatile Registration[] _streams = [];
    private readonly IntervalHistogram _deviation = new();
    private readonly IntervalHistogram _lateness = new();
    private Thread? _thread;
    private volatile bool _stopping;
    private long _tickIndex;
    private long _skipped;
    private long _longestTickTicks;

    public MediaClock(TimeSpan? period = null, TimeProvider? time = null, ILogger<MediaClock>? logger = null)
    {
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Period = period ?? DefaultPeriod;
        if (Period <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(period));
        _periodTicks = (long)(Period.TotalSeconds * _time.TimestampFrequency);
    }

    public TimeSpan Period { get; }
    public int StreamCount => _streams.Length;
    public bool Running => _thread is not null;

    /// <summary>Adds a stream; disposing the result removes it.</summary>
    public IDisposable Register(IMediaClockStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var registration = new Registration(this, stream);
        lock (_gate) _streams = [.. _streams, registration];
        return registration;
    }

    private void Unregister(Registration registration)
    {
        registration.Removed = true;
        lock (_gate) _streams = Array.FindAll(_streams, r => !ReferenceEquals(r, registration));
    }

    /// <summary>Starts the clock thread.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_thread is not null) return;
            _thread = new Thread(Run) { IsBackground = true, Name = "media-clock", Priority = ThreadPriority.Highest };
            _thread.Start();
        }
    }

    /// <summary>Runs one tick now on the caller's thread: for tests and tools that drive time themselves.</summary>
    public void TickOnce()
    {
        if (_thread is not null) throw new InvalidOperationException("the clock thread is running");
        RunTick(++_tickIndex, _time.GetTimestamp());
    }

    public MediaClockStatistics Statistics => new(
        Interlocked.Read(ref _tickIndex), Interlocked.Read(ref _skipped), _deviation.Count,
        _deviation.Percentile(0.5), _deviation.Percentile(0.99), _deviation.Max, _lateness.Percentile(0.99),
        TimeSpan.FromSeconds((double)Interlocked.Read(ref _longestTickTicks) / _time.TimestampFrequency), _streams.Length);

    /// <summary>Starts a new measurement window (the benchmark's warm-up is left out this way).</summary>
    public void ResetStatistics()
    {
        _deviation.Reset();
        _lateness.Reset();
        Interlocked.Exchange(ref _longestTickTicks, 0);
    }

    private void Run()
    {
        RaiseLinuxPriority();
        var start = _time.GetTimestamp();
        long k = 0;
        while (!_stopping)
        {
            var deadline = start + (k + 1) * _periodTicks;
            WaitUntil(deadline);
            if (_stopping) break;
            var now = _time.GetTimestamp();
            var behind = (now - deadline) / _periodTicks;
            if (behind > MaxCatchUpTicks)
            {
                // Too far behind to catch up frame by frame: skip, streams see the index jump.
                k += behind;
                Interlocked.Add(ref _skipped, behind);
                Interlocked.Add(ref _tickIndex, behind);
                _logger.LogWarning("Media clock stalled: skipped {Ticks} ticks", behind);
            }
            _lateness.Add((now - deadline) * 1e6 / _time.TimestampFrequency);
            k++;
            RunTick(Interlocked.Increment(ref _tickIndex), now);
        }
    }

    private void WaitUntil(long deadline)
    {
        var frequency = _time.TimestampFrequency;
        while (!_stopping)
        {
            var remaining = deadline - _time.GetTimestamp();
            if (remaining <= 0) return;
            var remainingMs = remaining * 1000.0 / frequency;
            if (remainingMs > 1.0) Thread.Sleep(Math.Max(1, (int)(remainingMs - 1.0)));
            else Thread.Yield();
        }
    }

    private void RunTick(long index, long now)
    {
        var tick = new MediaTick(index, now);
        var frequency = _time.TimestampFrequency;
        var periodMicros = Period.TotalMicroseconds;
        var streams = _streams;
        // Pass 1, sends: the interval measured is between two sends of one stream (what its peer sees).
        foreach (var r in streams)
        {
            if (r.Removed) continue;
            var called = _time.GetTimestamp();
            if (r.LastCall != 0) _deviation.Add(Math.Abs((called - r.LastCall) * 1e6 / frequency - periodMicros));
            r.LastCall = called;
            try
            {
                r.Stream.OnSend(tick);
            }
            catch (Exception e)
            {
                Drop(r, e, index);
            }
        }
        // Pass 2, the rest (playout, recording, detectors): its cost no longer delays anyone's send.
        foreach (var r in streams)
        {
            if (r.Removed) continue;
            try
            {
                r.Stream.OnTick(tick);
            }
            catch (Exception e)
            {
                Drop(r, e, index);
            }
        }
        var took = _time.GetTimestamp() - now;
        if (took > Interlocked.Read(ref _longestTickTicks)) Interlocked.Exchange(ref _longestTickTicks, took);
    }

    // A bug in one stream must not stop the clock for every call: drop that stream.
    private void Drop(Registration r, Exception e, long index)
    {
        _logger.LogError(e, "Media stream {Stream} failed on tick {Tick}; removed from the clock", r.Stream.GetType().Name, index);
        Unregister(r);
    }

    // .NET does not map Thread.Priority to Linux scheduling; a nice value of -10 on the clock thread alone
    // (setpriority on its thread id) makes the scheduler prefer it over busy pool threads. It needs
    // CAP_SYS_NICE (root in a container has it); without, the clock runs at normal priority.
    private void RaiseLinuxPriority()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            var tid = Native.gettid();
            RaisedPriority = Native.setpriority(0 /* PRIO_PROCESS: a thread id on Linux */, (uint)tid, -10) == 0;
            if (!RaisedPriority) _logger.LogInformation("Media clock runs at normal priority (setpriority refused: no CAP_SYS_NICE)");
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _logger.LogInformation("Media clock runs at normal priority ({Reason})", e.Message);
        }
    }

    /// <summary>Whether the clock thread got its raised scheduling priority.</summary>
    public bool RaisedPriority { get; private set; }

    private static class Native
    {
        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
        public static extern int setpriority(int which, uint who, int prio);

        [System.Runtime.InteropServices.DllImport("libc")]
        public static extern int gettid();
    }

    public void Dispose()
    {
        _stopping = true;
        _thread?.Join(TimeSpan.FromSeconds(2));
    }

    private sealed class Registration(MediaClock clock, IMediaClockStream stream) : IDisposable
    {
        public IMediaClockStream Stream { get; } = stream;
        public long LastCall;
        public volatile bool Removed;
        public void Dispose() { if (!Removed) clock.Unregister(this); }
    }
}
