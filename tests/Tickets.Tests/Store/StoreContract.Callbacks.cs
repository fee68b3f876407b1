using Telephony.Tickets.Callbacks;

namespace Telephony.Tickets.Tests.Store;

/// <summary>
/// The callback requests' part of the contract, on the same migrated database as the work orders (each dialect's
/// fixture). The database is shared by the tests, so each uses its own call ids; the pending list is filtered to them.
/// </summary>
public abstract partial class StoreContract
{
    private CallbackStore Callbacks => new(Dialect, ConnectionString);

    private CallbackRequest Request(string callId, DateTimeOffset queuedAt) => new()
    {
        CallId = callId, Queue = "citizen", Number = "13812345678", DraftCode = "2026120207", Priority = "Urgent",
        QueuedAt = queuedAt, RequestedAt = queuedAt + TimeSpan.FromSeconds(45),
    };

    [Test]
    public async Task A_callback_request_is_stored_pending_with_the_whole_number_and_reads_back_the_same()
    {
        var id = Unique("call");
        var queuedAt = DateTimeOffset.FromUnixTimeMilliseconds(Time.GetUtcNow().ToUnixTimeMilliseconds());
        Assert.That(await Callbacks.AddAsync(Request(id, queuedAt)), Is.True);
        var stored = await Callbacks.GetAsync(id);
        Assert.That(stored, Is.EqualTo(Request(id, queuedAt) with { UpdatedAt = queuedAt + TimeSpan.FromSeconds(45) }));
        Assert.That(stored!.State, Is.EqualTo(CallbackState.Pending));
        Assert.That(await Callbacks.GetAsync(Unique("none")), Is.Null);
    }

    [Test]
    public async Task A_second_request_for_the_same_call_is_refused_without_an_error()
    {
        var id = Unique("call");
        Assert.That(await Callbacks.AddAsync(Request(id, Time.GetUtcNow())), Is.True);
        Assert.That(await Callbacks.AddAsync(Request(id, Time.GetUtcNow()) with { Queue = "other" }), Is.False);
        Assert.That((await Callbacks.GetAsync(id))!.Queue, Is.EqualTo("citizen"), "the first request stays");
    }

    [Test]
    public async Task Pending_requests_come_in_queue_order_and_leave_the_list_when_over()
    {
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(Time.GetUtcNow().ToUnixTimeMilliseconds());
        var (late, early, done, unreachable) = (Unique("late"), Unique("early"), Unique("done"), Unique("unreach"));
        var mine = new HashSet<string> { late, early, done, unreachable };
        foreach (var (id, offset) in new[] { (late, 30), (early, 10), (done, 20), (unreachable, 25) })
            Assert.That(await Callbacks.AddAsync(Request(id, t0 + TimeSpan.FromSeconds(offset))), Is.True);
        Assert.That(await Callbacks.MoveAsync(done, CallbackState.Pending, CallbackState.Done, t0), Is.True);
        Assert.That(await Callbacks.MoveAsync(unreachable, CallbackState.Pending, CallbackState.Placing, t0), Is.True);
        Assert.That(await Callbacks.MoveAsync(unreachable, CallbackState.Placing, CallbackState.Unreachable, t0), Is.True);
        var pending = (await Callbacks.PendingAsync()).Where(r => mine.Contains(r.CallId)).Select(r => r.CallId);
        Assert.That(pending, Is.EqualTo(new[] { early, late }));
    }

    [Test]
    public async Task Placing_counts_an_attempt_and_a_move_from_the_wrong_state_changes_nothing()
    {
        var id = Unique("call");
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(Time.GetUtcNow().ToUnixTimeMilliseconds());
        await Callbacks.AddAsync(Request(id, t0));
        Assert.That(await Callbacks.MoveAsync(id, CallbackState.Pending, CallbackState.Placing, t0 + TimeSpan.FromMinutes(1)), Is.True);
        Assert.That(await Callbacks.MoveAsync(id, CallbackState.Pending, CallbackState.Placing, t0 + TimeSpan.FromMinutes(2)), Is.False, "not pending any more");
        var placing = (await Callbacks.GetAsync(id))!;
        Assert.Multiple(() =>
        {
            Assert.That(placing.State, Is.EqualTo(CallbackState.Placing));
            Assert.That(placing.Attempts, Is.EqualTo(1));
            Assert.That(placing.UpdatedAt, Is.EqualTo(t0 + TimeSpan.FromMinutes(1)));
        });
        Assert.That(await Callbacks.MoveAsync(id, CallbackState.Placing, CallbackState.Done, t0 + TimeSpan.FromMinutes(3)), Is.True);
        Assert.That(await Callbacks.MoveAsync(id, CallbackState.Placing, CallbackState.Unreachable, t0), Is.False, "a second outcome changes nothing");
        Assert.That((await Callbacks.GetAsync(id))!.State, Is.EqualTo(CallbackState.Done));
        Assert.That(await Callbacks.MoveAsync(Unique("none"), CallbackState.Pending, CallbackState.Placing, t0), Is.False);
    }

    [Test]
    public void An_illegal_move_is_an_error_not_a_silent_no_op()
    {
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => Callbacks.MoveAsync("x", CallbackState.Done, CallbackState.Pending, Time.GetUtcNow()));
        Assert.That(error!.Message, Does.Contain("Done").And.Contain("Pending"));
    }

    [Test]
    public async Task Requests_left_placing_go_back_to_pending_keeping_their_attempts()
    {
        var id = Unique("call");
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(Time.GetUtcNow().ToUnixTimeMilliseconds());
        await Callbacks.AddAsync(Request(id, t0));
        await Callbacks.MoveAsync(id, CallbackState.Pending, CallbackState.Placing, t0);
        Assert.That(await Callbacks.ResetPlacingAsync(t0 + TimeSpan.FromHours(1)), Is.GreaterThanOrEqualTo(1));
        var reset = (await Callbacks.GetAsync(id))!;
        Assert.Multiple(() =>
        {
            Assert.That(reset.State, Is.EqualTo(CallbackState.Pending));
            Assert.That(reset.Attempts, Is.EqualTo(1));
            Assert.That(reset.UpdatedAt, Is.EqualTo(t0 + TimeSpan.FromHours(1)));
        });
        Assert.That((await Callbacks.PendingAsync()).Select(r => r.CallId), Does.Contain(id));
    }

    [Test]
    public async Task An_unreachable_citizen_with_attempts_left_is_pending_again_with_its_next_attempt_time_cleared_by_the_next_placing()
    {
        var id = Unique("call");
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(Time.GetUtcNow().ToUnixTimeMilliseconds());
        var next = t0 + TimeSpan.FromMinutes(10);
        await Callbacks.AddAsync(Request(id, t0));
        Assert.That((await Callbacks.GetAsync(id))!.NextAttemptAt, Is.Null, "a new request is due at once");
        Assert.That(await Callbacks.RetryLaterAsync(id, next, t0), Is.False, "only a placing request is retried");
        await Callbacks.MoveAsync(id, CallbackState.Pending, CallbackState.Placing, t0);
        Assert.That(await Callbacks.RetryLaterAsync(id, next, t0 + TimeSpan.FromSeconds(30)), Is.True);
        var retry = (await Callbacks.GetAsync(id))!;
        Assert.Multiple(() =>
        {
            Assert.That(retry.State, Is.EqualTo(CallbackState.Pending));
            Assert.That(retry.NextAttemptAt, Is.EqualTo(next));
            Assert.That(retry.Attempts, Is.EqualTo(1), "the attempt was counted when it was placed");
            Assert.That(retry.UpdatedAt, Is.EqualTo(t0 + TimeSpan.FromSeconds(30)));
        });
        Assert.That((await Callbacks.PendingAsync()).Single(r => r.CallId == id).NextAttemptAt, Is.EqualTo(next), "the pending list carries it for a restart");
        Assert.That(await Callbacks.MoveAsync(id, CallbackState.Pending, CallbackState.Placing, next), Is.True);
        var second = (await Callbacks.GetAsync(id))!;
        Assert.That(second.NextAttemptAt, Is.Null, "placed again: no next attempt time left over");
        Assert.That(second.Attempts, Is.EqualTo(2));
        Assert.That(await Callbacks.RetryLaterAsync(Unique("none"), next, t0), Is.False);
    }
}
