using Telephony.Agents.Model;
using Telephony.Agents.Queueing;

namespace Telephony.Agents.Tests;

/// <summary>
/// A callback whose citizen could not be reached, with attempts left: it leaves the queue without blame or an abandon,
/// and enters again later at its first arrival (docs/agents.md, "Callback").
/// </summary>
public class DeferredCallbackTests
{
    private static CallRequest Callback(string callId, DateTimeOffset arrivedAt, bool retry = false) => new()
    {
        CallId = callId, Queue = "12345", Caller = "13900001111", DraftRef = "2026120207", ArrivedAt = arrivedAt, CallbackNumber = "13900001111",
        Retry = retry,
    };

    [Test]
    public void A_deferred_callback_leaves_the_queue_freeing_its_agent_unblamed_and_is_not_abandoned()
    {
        var f = new AcdFixture([AcdFixture.Agent("a1")]);
        var arrival = f.Clock.GetUtcNow();
        Assert.That(f.Acd.Enqueue(Callback("cb", arrival)).Ok, Is.True);
        f.Available("a1");
        Assert.That(f.StateOf("a1"), Is.EqualTo(AgentState.Ringing));
        Assert.That(f.Acd.DeferCallback("cb").Ok, Is.True);
        var queue = f.Acd.Queues()[0];
        Assert.Multiple(() =>
        {
            Assert.That(f.StateOf("a1"), Is.EqualTo(AgentState.Available));
            Assert.That(f.Acd.Agent("a1")!.Missed, Is.Zero);
            Assert.That(f.Acd.Position("cb"), Is.Null, "out of the queue until its next attempt");
            Assert.That(f.Acd.AbandonedCalls(), Is.Empty);
            Assert.That(queue.Abandoned, Is.Zero);
            Assert.That(queue.Waiting, Is.Zero);
        });
    }

    [Test]
    public void A_retried_callback_takes_its_first_place_again_and_is_not_counted_twice()
    {
        var f = new AcdFixture([AcdFixture.Agent("a1")]);
        var arrival = f.Clock.GetUtcNow();
        Assert.That(f.Acd.Enqueue(Callback("cb", arrival)).Ok, Is.True);
        Assert.That(f.Acd.DeferCallback("cb").Ok, Is.True);
        f.Advance(60);
        f.Enqueue("later");
        f.Advance(600);
        Assert.That(f.Acd.Enqueue(Callback("cb", arrival, retry: true)).Ok, Is.True);
        var queue = f.Acd.Queues()[0];
        Assert.Multiple(() =>
        {
            Assert.That(f.Acd.Position("cb")!.Position, Is.EqualTo(1), "ahead of the call that came during its wait");
            Assert.That(f.Acd.Waiting("cb")!.ArrivedAt, Is.EqualTo(arrival));
            Assert.That(queue.Offered, Is.EqualTo(2), "the callback and the later call, each once");
            Assert.That(queue.Callbacks, Is.EqualTo(1));
        });
        f.Available("a1");
        Assert.That(f.Leg.Log.Last().CallId, Is.EqualTo("cb"));
    }

    [Test]
    public void Only_a_waiting_callback_is_deferred_and_only_a_callback_is_retried()
    {
        var f = new AcdFixture([AcdFixture.Agent("a1")]);
        f.Enqueue("live");
        var live = f.Acd.DeferCallback("live");
        var nobody = f.Acd.DeferCallback("nobody");
        var notCallback = f.Acd.Enqueue(Callback("x", f.Clock.GetUtcNow(), retry: true) with { CallbackNumber = null });
        Assert.Multiple(() =>
        {
            Assert.That(live.Error, Does.Contain("not a callback"));
            Assert.That(nobody.Error, Does.Contain("not waiting"));
            Assert.That(notCallback.Error, Does.Contain("only a callback"));
            Assert.That(f.Acd.Position("live"), Is.Not.Null);
        });
    }
}
