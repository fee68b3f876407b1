using Telephony.Agents.Acd;
using Telephony.Agents.Queueing;

namespace Telephony.Agents.Tests;

/// <summary>
/// A call entering the ACD with its original arrival time and as a callback from the start: what a callback request
/// persisted before a restart becomes when <c>serve</c> starts again (docs/agents.md, "Callback").
/// </summary>
public class RestoredCallTests
{
    private static CallRequest Restored(string callId, DateTimeOffset arrivedAt, CallPriority priority = CallPriority.Normal) => new()
    {
        CallId = callId, Queue = "12345", Priority = priority, Caller = "13900001111", DraftRef = "2026120207",
        ArrivedAt = arrivedAt, CallbackNumber = "13900001111",
    };

    [Test]
    public void A_call_with_an_earlier_arrival_takes_its_place_ahead_of_calls_that_arrived_after_it()
    {
        var f = new AcdFixture([AcdFixture.Agent("a1")]);
        var firstArrival = f.Clock.GetUtcNow();
        f.Clock.Advance(TimeSpan.FromMinutes(2));
        f.Enqueue("live-1");
        f.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(f.Acd.Enqueue(Restored("restored", firstArrival)).Ok, Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(f.Acd.Position("restored")!.Position, Is.EqualTo(1), "arrived three minutes ago: first in line");
            Assert.That(f.Acd.Position("live-1")!.Position, Is.EqualTo(2));
            Assert.That(f.Acd.Queues()[0].LongestWait, Is.EqualTo(TimeSpan.FromMinutes(3)), "its wait counts from its first arrival");
            Assert.That(f.Acd.Waiting("restored"), Is.EqualTo(new WaitingCallView("restored", "12345", CallPriority.Normal, firstArrival, true)));
            Assert.That(f.Acd.Waiting("live-1")!.ArrivedAt, Is.EqualTo(firstArrival + TimeSpan.FromMinutes(2)));
            Assert.That(f.Acd.Waiting("nobody"), Is.Null);
        });
    }

    [Test]
    public void A_restored_callback_waits_as_a_callback_and_is_offered_as_one_with_its_number()
    {
        var f = new AcdFixture([AcdFixture.Agent("a1")]);
        f.Enqueue("live-1");
        Assert.That(f.Acd.Enqueue(Restored("restored", f.Clock.GetUtcNow() - TimeSpan.FromMinutes(5))).Ok, Is.True);
        Assert.That(f.Acd.Queues()[0].Callbacks, Is.EqualTo(1));
        f.Available("a1");
        var offer = f.Leg.Last;
        Assert.Multiple(() =>
        {
            Assert.That(offer.CallId, Is.EqualTo("restored"), "offered before the live call that arrived after it");
            Assert.That(offer.Callback, Is.True);
            Assert.That(offer.CallbackNumber, Is.EqualTo("13900001111"));
            Assert.That(offer.Call.DraftRef, Is.EqualTo("2026120207"));
        });
        Assert.That(f.Acd.RequestCallback("restored", "13900001111").Ok, Is.False, "already a callback");
    }

    [Test]
    public void Priority_still_comes_before_arrival()
    {
        var f = new AcdFixture([AcdFixture.Agent("a1")]);
        f.Enqueue("urgent", CallPriority.Urgent);
        Assert.That(f.Acd.Enqueue(Restored("restored", f.Clock.GetUtcNow() - TimeSpan.FromHours(1))).Ok, Is.True);
        Assert.That(f.Acd.Position("urgent")!.Position, Is.EqualTo(1));
        Assert.That(f.Acd.Position("restored")!.Position, Is.EqualTo(2));
    }

    [Test]
    public void An_arrival_in_the_future_or_a_blank_callback_number_is_refused()
    {
        var f = new AcdFixture([AcdFixture.Agent("a1")]);
        var future = f.Acd.Enqueue(Restored("future", f.Clock.GetUtcNow() + TimeSpan.FromSeconds(1)));
        var blank = f.Acd.Enqueue(Restored("blank", f.Clock.GetUtcNow()) with { CallbackNumber = " " });
        Assert.Multiple(() =>
        {
            Assert.That(future.Ok, Is.False);
            Assert.That(future.Error, Does.Contain("future"));
            Assert.That(blank.Ok, Is.False);
            Assert.That(blank.Error, Does.Contain("number"));
            Assert.That(f.Acd.Queues()[0].Waiting, Is.Zero);
        });
    }
}
