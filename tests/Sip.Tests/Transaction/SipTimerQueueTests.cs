using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Telephony.Sip.Transaction;
using static Telephony.Sip.Tests.Transaction.Sip;

namespace Telephony.Sip.Tests.Transaction;

public sealed class SipTimerQueueTests
{
    private FakeTimeProvider _time = null!;
    private DateTimeOffset _start;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider();
        _start = _time.GetUtcNow();
    }

    private TimeSpan Now => _time.GetUtcNow() - _start;

    private void StepTo(SipTimerQueue queue, TimeSpan at) => Harness.StepTo(_time, queue, () => Now, at);

    [Test]
    public void Callbacks_run_at_their_own_deadlines_in_deadline_order()
    {
        using var queue = new SipTimerQueue(_time);
        var fired = new List<(string, TimeSpan)>();
        queue.Schedule(Ms(300), () => fired.Add(("c", Now)));
        queue.Schedule(Ms(100), () => fired.Add(("a", Now)));
        queue.Schedule(Ms(200), () => fired.Add(("b", Now)));

        StepTo(queue, S(1));

        Assert.That(fired, Is.EqualTo(new[] { ("a", Ms(100)), ("b", Ms(200)), ("c", Ms(300)) }));
        Assert.That(queue.Pending, Is.EqualTo(0));
    }

    [Test]
    public void Callbacks_with_the_same_deadline_run_in_scheduling_order()
    {
        using var queue = new SipTimerQueue(_time);
        var fired = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var n = i;
            queue.Schedule(Ms(500), () => fired.Add(n));
        }
        _time.Advance(Ms(500));
        Assert.That(fired, Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
    }

    [Test]
    public void Nothing_fires_before_its_deadline()
    {
        using var queue = new SipTimerQueue(_time);
        var fired = 0;
        queue.Schedule(Ms(500), () => fired++);
        _time.Advance(Ms(499));
        Assert.That(fired, Is.EqualTo(0));
        _time.Advance(Ms(1));
        Assert.That(fired, Is.EqualTo(1));
    }

    [Test]
    public void A_single_clock_jump_runs_everything_that_fell_due()
    {
        // FakeTimeProvider.Advance moves to the end first: callbacks see the end time, but none is lost.
        using var queue = new SipTimerQueue(_time);
        var fired = new List<string>();
        queue.Schedule(Ms(100), () => fired.Add("a"));
        queue.Schedule(Ms(900), () => fired.Add("b"));
        queue.Schedule(Ms(1100), () => fired.Add("late"));
        _time.Advance(S(1));
        Assert.That(fired, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(queue.NextDue, Is.EqualTo(Ms(100)));
    }

    [Test]
    public void Cancelled_callback_never_runs_and_the_next_one_still_does()
    {
        using var queue = new SipTimerQueue(_time);
        var fired = new List<string>();
        var first = queue.Schedule(Ms(100), () => fired.Add("cancelled"));
        queue.Schedule(Ms(200), () => fired.Add("kept"));
        first.Cancel();
        Assert.That(queue.Pending, Is.EqualTo(1));

        _time.Advance(S(1));

        Assert.That(fired, Is.EqualTo(new[] { "kept" }));
        Assert.That(first.IsCancelled, Is.True);
    }

    [Test]
    public void A_callback_can_schedule_the_next_one_which_fires_within_the_same_advance()
    {
        using var queue = new SipTimerQueue(_time);
        var times = new List<TimeSpan>();
        void Tick()
        {
            times.Add(Now);
            if (times.Count < 4) queue.Schedule(Ms(250), Tick);
        }
        queue.Schedule(Ms(250), Tick);

        StepTo(queue, S(10));

        Assert.That(times, Is.EqualTo(new[] { Ms(250), Ms(500), Ms(750), Ms(1000) }));
    }

    [Test]
    public void An_earlier_deadline_scheduled_later_rearms_the_timer()
    {
        using var queue = new SipTimerQueue(_time);
        var fired = new List<TimeSpan>();
        queue.Schedule(S(32), () => fired.Add(Now));
        queue.Schedule(Ms(500), () => fired.Add(Now));
        Assert.That(queue.NextDue, Is.EqualTo(Ms(500)));
        StepTo(queue, S(40));
        Assert.That(fired, Is.EqualTo(new[] { Ms(500), S(32) }));
    }

    [Test]
    public void Exception_in_a_callback_is_logged_and_the_other_callbacks_still_run()
    {
        var log = new ListLogger();
        using var queue = new SipTimerQueue(_time, log);
        var fired = new List<string>();
        queue.Schedule(Ms(100), () => throw new InvalidOperationException("boom"));
        queue.Schedule(Ms(100), () => fired.Add("same tick"));
        queue.Schedule(Ms(200), () => fired.Add("later"));

        Assert.DoesNotThrow(() => _time.Advance(S(1)));

        Assert.That(fired, Is.EqualTo(new[] { "same tick", "later" }));
        Assert.That(log.Entries.Any(e => e.Level == LogLevel.Error && e.Exception?.Message == "boom"), Is.True);
    }

    [Test]
    public void Callbacks_do_not_run_under_the_queue_lock()
    {
        using var queue = new SipTimerQueue(_time);
        var otherThreadGotIn = false;
        queue.Schedule(Ms(100), () =>
        {
            // Another thread scheduling while this callback runs would block forever if the queue's lock were held.
            otherThreadGotIn = Task.Run(() => queue.Schedule(S(1), () => { })).Wait(TimeSpan.FromSeconds(5));
        });
        _time.Advance(Ms(100));
        Assert.That(otherThreadGotIn, Is.True);
    }

    [Test]
    public void The_whole_queue_uses_one_timer_of_the_time_provider()
    {
        var counting = new CountingTimeProvider(_time);
        using var queue = new SipTimerQueue(counting);
        for (var i = 0; i < 1000; i++) queue.Schedule(Ms(i + 1), () => { });
        _time.Advance(S(2));
        Assert.That(counting.TimersCreated, Is.EqualTo(1));
    }

    [Test]
    public void Many_cancelled_entries_are_compacted_away_and_the_rest_still_fire()
    {
        using var queue = new SipTimerQueue(_time);
        var handles = new List<TimerHandle>();
        var fired = 0;
        for (var i = 0; i < 5000; i++) handles.Add(queue.Schedule(S(32), () => fired++));
        for (var i = 0; i < 4500; i++) handles[i].Cancel();
        Assert.That(queue.Pending, Is.EqualTo(500));

        _time.Advance(S(32));

        Assert.That(fired, Is.EqualTo(500));
        Assert.That(queue.Pending, Is.EqualTo(0));
    }

    [Test]
    public void Disposed_queue_fires_nothing_and_accepts_schedules_that_never_fire()
    {
        var queue = new SipTimerQueue(_time);
        var fired = 0;
        queue.Schedule(Ms(100), () => fired++);
        queue.Dispose();
        var late = queue.Schedule(Ms(100), () => fired++);
        _time.Advance(S(1));
        Assert.That(fired, Is.EqualTo(0));
        Assert.That(late.IsCancelled, Is.True);
    }

    [Test]
    public void Works_on_the_system_clock()
    {
        using var queue = new SipTimerQueue(TimeProvider.System);
        using var done = new ManualResetEventSlim();
        var started = TimeProvider.System.GetTimestamp();
        queue.Schedule(Ms(30), done.Set);
        Assert.That(done.Wait(TimeSpan.FromSeconds(5)), Is.True);
        Assert.That(TimeProvider.System.GetElapsedTime(started), Is.GreaterThanOrEqualTo(Ms(29)));
    }

    private sealed class CountingTimeProvider(TimeProvider inner) : TimeProvider
    {
        public int TimersCreated;
        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();
        public override long GetTimestamp() => inner.GetTimestamp();
        public override long TimestampFrequency => inner.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref TimersCreated);
            return inner.CreateTimer(callback, state, dueTime, period);
        }
    }
}
