using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Telephony.Sip.Transaction;

/// <summary>
/// The one timer mechanism of the SIP engine: a priority queue of deadlines driven by a single
/// <see cref="ITimer"/> from <see cref="TimeProvider.CreateTimer"/>, always armed for the earliest deadline.
/// A busy hotline runs thousands of transactions, each with two or three timers (RFC 3261 §17); one
/// <c>System.Threading.Timer</c> each would mean thousands of kernel-visible timers and no way to test on a fake
/// clock. Time comes only from <see cref="Time"/>, so a <c>FakeTimeProvider</c> drives everything in tests.
/// <para>
/// Callbacks run on the timer's thread, never under the queue's lock (a callback takes its transaction's lock
/// and may schedule again). An exception in a callback is logged and does not stop the other callbacks.
/// Resolution is one millisecond: a deadline is never armed for less, so a zero delay fires on the next tick.
/// </para>
/// </summary>
public sealed class SipTimerQueue : IDisposable
{
    // Cancelled entries stay in the heap (removal from a binary heap is O(n)) and are skipped when they come
    // up; past this many, and past half the heap, the heap is rebuilt so a flood of cancelled Timer B/F
    // entries (every answered transaction cancels one) cannot grow it for 32 s.
    private const int CompactThreshold = 1024;

    private readonly Lock _gate = new();
    private readonly PriorityQueue<TimerHandle, (long Due, long Seq)> _heap = new();
    private readonly ITimer _timer;
    private readonly ILogger _log;
    private long _sequence;          // FIFO among equal deadlines: retransmissions keep their order
    private long _armedFor = long.MaxValue;
    private int _cancelledInHeap;
    private bool _disposed;

    public SipTimerQueue(TimeProvider time, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        Time = time;
        _log = log ?? NullLogger.Instance;
        _timer = time.CreateTimer(static state => ((SipTimerQueue)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public TimeProvider Time { get; }

    /// <summary>Callbacks scheduled and neither run nor cancelled (for tests and metrics).</summary>
    public int Pending
    {
        get { lock (_gate) return _heap.Count - _cancelledInHeap; }
    }

    /// <summary>
    /// How long until the earliest pending callback is due (zero if overdue), or null when none is pending: for
    /// metrics, and for tests that step a fake clock from deadline to deadline so each callback sees its own time.
    /// </summary>
    public TimeSpan? NextDue
    {
        get
        {
            lock (_gate)
            {
                while (_heap.TryPeek(out var head, out var key))
                {
                    if (!head.IsCancelled)
                    {
                        var remaining = Math.Max(0, key.Due - Time.GetTimestamp());
                        return TimeSpan.FromTicks((long)((Int128)remaining * TimeSpan.TicksPerSecond / Time.TimestampFrequency));
                    }
                    _heap.Dequeue();
                    _cancelledInHeap--;
                }
                return null;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="callback"/> once, <paramref name="due"/> from now. After <see cref="Dispose"/> the
    /// handle returned never fires (a transaction racing the shutdown must not get an exception on a timer thread).
    /// </summary>
    public TimerHandle Schedule(TimeSpan due, Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        var handle = new TimerHandle(this, callback);
        lock (_gate)
        {
            if (_disposed)
            {
                handle.MarkCancelled();
                return handle;
            }
            var deadline = Time.GetTimestamp() + ToTimestampUnits(due);
            _heap.Enqueue(handle, (deadline, _sequence++));
            if (deadline < _armedFor) Arm(deadline);
        }
        return handle;
    }

    internal void OnCancelled()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _cancelledInHeap++;
            if (_cancelledInHeap > CompactThreshold && _cancelledInHeap > _heap.Count / 2) Compact();
        }
    }

    private void OnTimer()
    {
        List<TimerHandle>? due = null;
        lock (_gate)
        {
            if (_disposed) return;
            _armedFor = long.MaxValue;
            var now = Time.GetTimestamp();
            while (_heap.TryPeek(out var handle, out var key) && key.Due <= now)
            {
                _heap.Dequeue();
                if (handle.TryMarkDispatched()) (due ??= new List<TimerHandle>()).Add(handle);
                else _cancelledInHeap--;
            }
            ArmEarliest();
        }
        if (due is null) return;
        foreach (var handle in due)
        {
            // Cancel() may have run between the dequeue and now; the owner re-checks under its own lock for the
            // race that remains (see TimerHandle.Cancel).
            var callback = handle.Callback;
            if (callback is null || handle.IsCancelled) continue;
            try
            {
                callback();
            }
            catch (Exception e)
            {
                _log.LogError(e, "SIP timer callback failed");
            }
        }
    }

    private void ArmEarliest()
    {
        while (_heap.TryPeek(out var head, out var key))
        {
            if (!head.IsCancelled)
            {
                Arm(key.Due);
                return;
            }
            _heap.Dequeue();
            _cancelledInHeap--;
        }
    }

    private void Arm(long deadline)
    {
        _armedFor = deadline;
        var remaining = deadline - Time.GetTimestamp();
        var ticks = remaining <= 0 ? 0 : (long)((Int128)remaining * TimeSpan.TicksPerSecond / Time.TimestampFrequency);
        // Whole milliseconds, rounded up and at least one: the system timer truncates to milliseconds (a 0.4 ms
        // wait would fire at once and spin), and a fake timer fires synchronously on a zero wait, which would
        // run callbacks under this lock.
        var ms = Math.Max(1, Math.Ceiling(TimeSpan.FromTicks(ticks).TotalMilliseconds));
        _timer.Change(TimeSpan.FromMilliseconds(ms), Timeout.InfiniteTimeSpan);
    }

    private long ToTimestampUnits(TimeSpan span) =>
        Time.TimestampFrequency == TimeSpan.TicksPerSecond
            ? span.Ticks
            : (long)((Int128)span.Ticks * Time.TimestampFrequency / TimeSpan.TicksPerSecond);

    private void Compact()
    {
        var live = new List<(TimerHandle, (long, long))>(_heap.Count - _cancelledInHeap);
        foreach (var (handle, key) in _heap.UnorderedItems)
            if (!handle.IsCancelled) live.Add((handle, key));
        _heap.Clear();
        _heap.EnqueueRange(live);
        _cancelledInHeap = 0;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var (handle, _) in _heap.UnorderedItems) handle.MarkCancelled();
            _heap.Clear();
            _cancelledInHeap = 0;
        }
        _timer.Dispose();
    }
}

/// <summary>One scheduled callback of a <see cref="SipTimerQueue"/>.</summary>
public sealed class TimerHandle
{
    private const int Scheduled = 0, Dispatched = 1, Cancelled = 2;
    private readonly SipTimerQueue _owner;
    private int _state;

    internal TimerHandle(SipTimerQueue owner, Action callback)
    {
        _owner = owner;
        Callback = callback;
    }

    // Dropped on cancel: a cancelled entry waits in the heap until its deadline or a compaction, and must not
    // keep the transaction or call it closes over alive that long.
    internal Action? Callback { get; private set; }

    /// <summary>True once <see cref="Cancel"/> has been called (whether or not the callback had already been dispatched).</summary>
    public bool IsCancelled => Volatile.Read(ref _state) == Cancelled;

    /// <summary>
    /// Stops the callback from running. A callback already taken off the queue by the timer thread may still
    /// run: an owner that cancels under its own lock checks <see cref="IsCancelled"/> under that lock in the
    /// callback, which closes the race.
    /// </summary>
    public void Cancel()
    {
        if (Interlocked.Exchange(ref _state, Cancelled) != Scheduled) return;
        Callback = null;
        _owner.OnCancelled();
    }

    internal bool TryMarkDispatched() => Interlocked.CompareExchange(ref _state, Dispatched, Scheduled) == Scheduled;

    internal void MarkCancelled() => Volatile.Write(ref _state, Cancelled);
}
