using Telephony.Agents.Acd;
using Telephony.Agents.Model;
using Telephony.Agents.Offers;
using Telephony.Agents.Queueing;
using Telephony.Agents.Routing;

namespace Telephony.Agents.Tests;

public class RoutingTests
{
    private static readonly Skill Cantonese = new(SkillKind.Dialect, "cantonese");

    [Test]
    public void Urgent_then_enterprise_line_then_longest_waiting()
    {
        var f = new AcdFixture([AcdFixture.Agent("a1")]);
        f.Enqueue("normal-old");
        f.Clock.Advance(TimeSpan.FromSeconds(1));
        f.Enqueue("normal-new");
        f.Enqueue("enterprise", CallPriority.EnterpriseLine);
        f.Enqueue("urgent", CallPriority.Urgent);
        var order = new List<string>();
        f.Available("a1");
        for (var i = 0; i < 4; i++)
        {
            var offer = f.Leg.Last;
            order.Add(offer.CallId);
            f.Leg.Complete(offer, OfferOutcome.Answered);
            Assert.That(f.Acd.CallEnded(offer.CallId).Ok, Is.True);
            f.Advance(10); // wrap-up
        }
        Assert.That(order, Is.EqualTo(new[] { "urgent", "enterprise", "normal-old", "normal-new" }));
    }

    [Test]
    public void Longest_idle_agent_gets_the_call()
    {
        var f = new AcdFixture([AcdFixture.Agent("a1"), AcdFixture.Agent("a2"), AcdFixture.Agent("a3")]);
        f.Available("a2");
        f.Clock.Advance(TimeSpan.FromSeconds(5));
        f.Available("a3");
        f.Clock.Advance(TimeSpan.FromSeconds(5));
        f.Available("a1");
        f.Enqueue("c1");
        Assert.That(f.Leg.Last.AgentId, Is.EqualTo("a2"));
        f.Enqueue("c2");
        Assert.That(f.Leg.Last.AgentId, Is.EqualTo("a3"));
    }

    [Test]
    public void Skills_based_picks_the_best_level_and_skips_agents_without_the_skill()
    {
        var queue = new QueueOptions { Name = "12345", Strategy = RoutingStrategy.SkillsBased };
        var f = new AcdFixture([AcdFixture.Agent("none"), AcdFixture.Agent("low", "12345", (Cantonese, 3)), AcdFixture.Agent("high", "12345", (Cantonese, 9))], queue);
        f.Available("none", "low", "high");
        f.Enqueue("c1", skills: new SkillRequirement(Cantonese));
        Assert.That(f.Leg.Last.AgentId, Is.EqualTo("high"));
        f.Enqueue("c2", skills: new SkillRequirement(Cantonese, 5));
        Assert.That(f.Leg.Log, Has.Count.EqualTo(1), "nobody left with Cantonese ≥ 5: the call waits rather than going to a worse match");
        Assert.That(f.Acd.Position("c2")!.Position, Is.EqualTo(2), "c1, still ringing, is ahead");
        f.Enqueue("c3");
        Assert.That(f.Leg.Last.CallId, Is.EqualTo("c3"), "a call no free agent can take does not block the one behind it");
    }

    [Test]
    public void Round_robin_takes_agents_in_turn()
    {
        var queue = new QueueOptions { Name = "12345", Strategy = RoutingStrategy.RoundRobin };
        var f = new AcdFixture([AcdFixture.Agent("a1"), AcdFixture.Agent("a2"), AcdFixture.Agent("a3")], queue);
        f.Available("a3", "a2", "a1");
        var picked = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            f.Enqueue($"c{i}");
            var offer = f.Leg.Last;
            picked.Add(offer.AgentId);
            f.Leg.Complete(offer, OfferOutcome.Answered);
            f.Acd.CallEnded(offer.CallId);
            f.Advance(10);
        }
        Assert.That(picked, Is.EqualTo(new[] { "a1", "a2", "a3", "a1", "a2", "a3" }));
    }

    [Test]
    public void Offer_timeout_re_offers_to_the_next_agent_and_not_the_same_one_right_away()
    {
        var queue = new QueueOptions { Name = "12345", OfferTimeout = TimeSpan.FromSeconds(20), ReofferSameAgentAfter = TimeSpan.FromSeconds(60) };
        var f = new AcdFixture([AcdFixture.Agent("a1"), AcdFixture.Agent("a2")], queue);
        f.Available("a1");
        f.Clock.Advance(TimeSpan.FromSeconds(1));
        f.Available("a2");
        f.Enqueue("c1");
        var first = f.Leg.Last;
        Assert.That(first.AgentId, Is.EqualTo("a1"));
        f.Advance(19);
        Assert.That(f.Leg.IsRinging(first.Id), Is.True, "still within the offer timeout");
        f.Advance(1);
        Assert.That(f.Leg.IsRinging(first.Id), Is.False, "the leg is cancelled at the timeout");
        Assert.That(f.Leg.Last.AgentId, Is.EqualTo("a2"));
        Assert.That(f.StateOf("a1"), Is.EqualTo(AgentState.Available));
        f.Leg.Complete(f.Leg.Last, OfferOutcome.NoAnswer);
        Assert.That(f.Leg.Log, Has.Count.EqualTo(2), "both agents missed it: neither is rung again right away");
        f.Advance(59);
        Assert.That(f.Leg.Log, Has.Count.EqualTo(2));
        f.Advance(1);
        Assert.That(f.Leg.Log, Has.Count.EqualTo(3), "60 s after a1 missed it, a1 may get it again (a tie with a2 goes by id)");
        Assert.That(f.Leg.Last.AgentId, Is.EqualTo("a1"));
        Assert.That(f.Acd.Agent("a1")!.Missed, Is.EqualTo(1));
    }

    [Test]
    public void Busy_and_unreachable_go_to_the_next_agent_and_unreachable_logs_the_agent_out()
    {
        var f = new AcdFixture([AcdFixture.Agent("a1"), AcdFixture.Agent("a2"), AcdFixture.Agent("a3")]);
        f.Available("a1", "a2", "a3");
        f.Enqueue("c1");
        f.Leg.Complete(f.Leg.Last, OfferOutcome.Unreachable);
        Assert.That(f.StateOf("a1"), Is.EqualTo(AgentState.Offline));
        Assert.That(f.Leg.Last.AgentId, Is.EqualTo("a2"));
        f.Leg.Complete(f.Leg.Last, OfferOutcome.Busy);
        Assert.That(f.StateOf("a2"), Is.EqualTo(AgentState.Available));
        Assert.That(f.Leg.Last.AgentId, Is.EqualTo("a3"));
        f.Leg.Complete(f.Leg.Last, OfferOutcome.Answered);
        Assert.That(f.StateOf("a3"), Is.EqualTo(AgentState.OnCall));
        Assert.That(f.Acd.Queues()[0].Answered, Is.EqualTo(1));
    }

    [Test]
    public void Overflow_moves_a_call_after_n_seconds_keeping_its_wait()
    {
        var main = new QueueOptions { Name = "12345", OverflowAfter = TimeSpan.FromSeconds(30), OverflowTo = "backup" };
        var backup = new QueueOptions { Name = "backup" };
        var f = new AcdFixture([AcdFixture.Agent("a1", "12345"), AcdFixture.Agent("b1", "backup")], main, backup);
        f.Available("b1");
        f.Enqueue("c1");
        f.Advance(29);
        Assert.That(f.Leg.Log, Is.Empty);
        f.Advance(1);
        Assert.That(f.Leg.Last.AgentId, Is.EqualTo("b1"));
        Assert.That(f.Leg.Last.Queue, Is.EqualTo("backup"));
        f.Leg.Complete(f.Leg.Last, OfferOutcome.Answered);
        var views = f.Acd.Queues().ToDictionary(q => q.Name);
        Assert.That(views["12345"].OverflowedOut, Is.EqualTo(1));
        Assert.That(views["backup"].Answered, Is.EqualTo(1));
        Assert.That(views["backup"].AnsweredWithinThreshold, Is.EqualTo(0), "30 s since arrival: outside the 15 s service level");
    }

    [Test]
    public void Callback_keeps_its_place_and_becomes_a_callback_offer()
    {
        var f = new AcdFixture([AcdFixture.Agent("a1")]);
        f.Enqueue("c1");
        f.Clock.Advance(TimeSpan.FromSeconds(1));
        f.Enqueue("c2");
        f.Clock.Advance(TimeSpan.FromSeconds(1));
        f.Enqueue("c3");
        Assert.That(f.Acd.RequestCallback("c2", "13900001111").Ok, Is.True);
        Assert.That(f.Acd.Position("c2")!.Position, Is.EqualTo(2));
        Assert.That(f.Acd.Queues()[0].Callbacks, Is.EqualTo(1));
        f.Available("a1");
        f.Leg.Complete(f.Leg.Last, OfferOutcome.Answered);
        f.Acd.CallEnded("c1");
        f.Advance(10);
        var offer = f.Leg.Last;
        Assert.That(offer.CallId, Is.EqualTo("c2"), "the callback is next, ahead of c3 who arrived later");
        Assert.That(offer.Callback, Is.True);
        Assert.That(offer.CallbackNumber, Is.EqualTo("13900001111"));
    }

    [Test]
    public void A_callback_offer_extended_while_the_citizen_rings_outlives_the_offer_timeout_and_can_still_be_abandoned()
    {
        var queue = new QueueOptions { Name = "12345", OfferTimeout = TimeSpan.FromSeconds(20) };
        var f = new AcdFixture([AcdFixture.Agent("a1")], queue);
        f.Enqueue("c1");
        Assert.That(f.Acd.RequestCallback("c1", "13900001111").Ok, Is.True);
        f.Available("a1");
        var offer = f.Leg.Last;
        f.Advance(5);
        Assert.That(f.Acd.ExtendOffer(offer.Id, TimeSpan.FromSeconds(60)).Ok, Is.True, "the agent answered; the citizen rings");
        f.Advance(30);
        Assert.Multiple(() =>
        {
            Assert.That(f.StateOf("a1"), Is.EqualTo(AgentState.Ringing), "past the 20 s offer timeout, the offer is still out");
            Assert.That(f.Leg.IsRinging(offer.Id), Is.True, "the leg was not cancelled");
        });
        Assert.That(f.Acd.Abandon("c1", AbandonReason.CallbackUnreachable).Ok, Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(f.StateOf("a1"), Is.EqualTo(AgentState.Available), "the agent is not blamed for an unreachable citizen");
            Assert.That(f.Acd.AbandonedCalls().Single().Reason, Is.EqualTo(AbandonReason.CallbackUnreachable));
            Assert.That(f.Acd.ExtendOffer(offer.Id, TimeSpan.FromSeconds(60)).Ok, Is.False, "no offer out any more");
        });
    }

    [Test]
    public void Only_a_callback_offer_can_be_extended()
    {
        var f = new AcdFixture([AcdFixture.Agent("a1")]);
        f.Enqueue("c1");
        f.Available("a1");
        Assert.That(f.Acd.ExtendOffer(f.Leg.Last.Id, TimeSpan.FromSeconds(60)).Ok, Is.False);
    }

    [Test]
    public void Abandoned_call_is_recorded_with_its_reason_and_draft_and_frees_a_ringing_agent()
    {
        var f = new AcdFixture([AcdFixture.Agent("a1")]);
        Assert.That(f.Acd.Enqueue(new CallRequest { CallId = "c1", Queue = "12345", DraftRef = "draft-7" }).Ok, Is.True);
        f.Available("a1");
        var offer = f.Leg.Last;
        f.Clock.Advance(TimeSpan.FromSeconds(8));
        Assert.That(f.Acd.Abandon("c1", AbandonReason.CallerHungUp).Ok, Is.True);
        Assert.That(f.Leg.IsRinging(offer.Id), Is.False, "the agent's phone stops ringing");
        Assert.That(f.StateOf("a1"), Is.EqualTo(AgentState.Available));
        var gone = f.Acd.AbandonedCalls().Single();
        Assert.That((gone.Reason, gone.DraftRef, gone.Waited), Is.EqualTo((AbandonReason.CallerHungUp, "draft-7", TimeSpan.FromSeconds(8))));
        var queue = f.Acd.Queues()[0];
        Assert.That(queue.AbandonedByReason[AbandonReason.CallerHungUp], Is.EqualTo(1));
        Assert.That(queue.ServiceLevel, Is.EqualTo(0.0));
        Assert.That(f.Acd.Abandon("c1", AbandonReason.CallerHungUp).Ok, Is.False, "a call abandons once");
    }

    [Test]
    public void Wrap_up_then_available_after_the_configured_time()
    {
        var f = new AcdFixture([AcdFixture.Agent("a1") with { WrapUp = TimeSpan.FromSeconds(45) }]);
        f.Available("a1");
        f.Enqueue("c1");
        f.Leg.Complete(f.Leg.Last, OfferOutcome.Answered);
        f.Enqueue("c2");
        f.Advance(120);
        Assert.That(f.Acd.CallEnded("c1").Ok, Is.True);
        Assert.That(f.StateOf("a1"), Is.EqualTo(AgentState.WrapUp));
        f.Advance(44);
        Assert.That(f.StateOf("a1"), Is.EqualTo(AgentState.WrapUp));
        Assert.That(f.Leg.Log, Has.Count.EqualTo(1), "no offer during wrap-up");
        f.Advance(1);
        Assert.That(f.Leg.Last.CallId, Is.EqualTo("c2"));
        Assert.That(f.StateOf("a1"), Is.EqualTo(AgentState.Ringing));
    }

    [Test]
    public void Position_and_estimated_wait_share_the_queue_among_logged_in_agents()
    {
        var queue = new QueueOptions { Name = "12345", DefaultHandleTime = TimeSpan.FromSeconds(120) };
        var f = new AcdFixture([AcdFixture.Agent("a1"), AcdFixture.Agent("a2")], queue);
        f.Available("a1", "a2");
        Assert.That(f.Acd.SetAgentState("a1", AgentState.Paused, "training").Ok, Is.True);
        Assert.That(f.Acd.SetAgentState("a2", AgentState.Paused, "training").Ok, Is.True);
        for (var i = 1; i <= 5; i++) f.Enqueue($"c{i}");
        Assert.That(f.Acd.Position("c5"), Is.EqualTo(new QueuePosition("12345", 5, TimeSpan.FromSeconds(600))), "nobody logged in: counted as one agent");
        f.Available("a1", "a2");
        f.Leg.Complete(f.Leg.Log[0], OfferOutcome.Answered);
        f.Leg.Complete(f.Leg.Log[1], OfferOutcome.Answered);
        Assert.That(f.Acd.Position("c5"), Is.EqualTo(new QueuePosition("12345", 3, TimeSpan.FromSeconds(240))));
        Assert.That(f.Acd.Position("c1"), Is.Null, "answered calls have no position");
    }

    [Test]
    public void Bad_commands_change_nothing()
    {
        var f = new AcdFixture([AcdFixture.Agent("a1")]);
        Assert.That(f.Acd.Enqueue(new CallRequest { CallId = "c1", Queue = "nope" }).Error, Does.Contain("nope"));
        f.Enqueue("c1");
        Assert.That(f.Acd.Enqueue(new CallRequest { CallId = "c1", Queue = "12345" }).Ok, Is.False);
        Assert.That(f.Acd.CallEnded("c1").Ok, Is.False);
        Assert.That(f.Acd.RequestCallback("c1", " ").Ok, Is.False);
        Assert.That(f.Acd.Queues()[0].Waiting, Is.EqualTo(1));
    }

    [Test]
    public void Configuration_errors_name_what_is_wrong()
    {
        Assert.That(() => new AcdFixture([AcdFixture.Agent("a1", "missing")]), Throws.ArgumentException.With.Message.Contains("missing"));
        Assert.That(() => new AcdFixture([], new QueueOptions { Name = "q", OverflowAfter = TimeSpan.FromSeconds(5), OverflowTo = "elsewhere" }),
            Throws.ArgumentException.With.Message.Contains("elsewhere"));
    }
}
