using Telephony.Agents.Acd;
using Telephony.Agents.Offers;
using Telephony.Agents.Queueing;

namespace Telephony.Agents.Tests;

/// <summary>
/// 100 callers and 10 agents on the fake clock, with random talk times, patience, no-answers, silent phones (offer
/// timeout) and callbacks. The promises checked: every call ends answered or abandoned with a reason, exactly once;
/// no call is rung at two agents at once; no agent is rung for two calls at once or while on a call.
/// </summary>
public class SimulationTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Hundred_callers_ten_agents_every_call_answered_or_abandoned_with_a_reason_and_never_double_offered(int seed)
    {
        var random = new Random(seed);
        var agents = Enumerable.Range(1, 10).Select(i => AcdFixture.Agent($"a{i:00}")).ToArray();
        var f = new AcdFixture(agents, new QueueOptions { Name = "12345", OfferTimeout = TimeSpan.FromSeconds(15), ReofferSameAgentAfter = TimeSpan.FromSeconds(30) });
        var start = f.Clock.GetUtcNow();
        var pending = new List<(DateTimeOffset At, Action Act)>();
        void At(double seconds, Action act) => pending.Add((f.Clock.GetUtcNow().AddSeconds(seconds), act));

        var answered = new Dictionary<string, int>();
        var abandoned = new Dictionary<string, AbandonReason>();
        var onCall = new Dictionary<string, string>();
        var violations = new List<string>();
        f.Acd.Changed += c =>
        {
            switch (c.Kind)
            {
                case AcdChangeKind.CallOffered when onCall.ContainsKey(c.AgentId!):
                    violations.Add($"{c.AgentId} offered {c.CallId} while on {onCall[c.AgentId!]}"); break;
                case AcdChangeKind.CallAnswered:
                    answered[c.CallId!] = answered.GetValueOrDefault(c.CallId!) + 1;
                    onCall[c.AgentId!] = c.CallId!;
                    var callId = c.CallId!;
                    At(random.Next(30, 240), () => Assert.That(f.Acd.CallEnded(callId).Ok, Is.True));
                    break;
                case AcdChangeKind.CallEnded:
                    onCall.Remove(c.AgentId!); break;
                case AcdChangeKind.CallAbandoned:
                    if (!abandoned.TryAdd(c.CallId!, Enum.Parse<AbandonReason>(c.Detail!))) violations.Add($"{c.CallId} abandoned twice"); break;
            }
        };
        // The agents' phones: most answer after a few seconds of ringing, some decline, some never answer (offer timeout).
        f.Leg.AutoAnswer = offer =>
        {
            var roll = random.NextDouble();
            if (roll < 0.05) return null;
            var outcome = roll < 0.12 ? OfferOutcome.NoAnswer : roll < 0.15 ? OfferOutcome.Busy : OfferOutcome.Answered;
            At(random.Next(1, 8), () => { if (f.Leg.IsRinging(offer.Id)) f.Leg.Complete(offer, outcome); });
            return null;
        };
        foreach (var a in agents) f.Available(a.Id);

        for (var i = 0; i < 100; i++)
        {
            var id = $"call{i:000}";
            var arrival = random.Next(0, 60);
            var patience = random.Next(20, 400);
            var wantsCallback = random.NextDouble() < 0.1;
            At(arrival, () =>
            {
                f.Enqueue(id, random.NextDouble() < 0.1 ? CallPriority.Urgent : CallPriority.Normal);
                if (wantsCallback) At(10, () => f.Acd.RequestCallback(id, "13900001111"));
                // A caller out of patience hangs up; one waiting for a callback has already hung up and waits for us.
                At(patience, () =>
                {
                    if (!wantsCallback && f.Acd.Position(id) is not null) Assert.That(f.Acd.Abandon(id, AbandonReason.CallerHungUp).Ok, Is.True);
                });
            });
        }

        while (f.Clock.GetUtcNow() - start < TimeSpan.FromHours(2))
        {
            var now = f.Clock.GetUtcNow();
            var due = pending.Where(p => p.At <= now).ToList();
            pending.RemoveAll(p => p.At <= now);
            foreach (var (_, act) in due) act();
            if (pending.Count == 0 && onCall.Count == 0 && f.Acd.Queues()[0].Waiting == 0) break;
            f.Advance(1);
        }

        var calls = Enumerable.Range(0, 100).Select(i => $"call{i:000}").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(violations, Is.Empty);
            Assert.That(f.Leg.Violations, Is.Empty);
            Assert.That(calls.Where(c => answered.ContainsKey(c) == abandoned.ContainsKey(c)), Is.Empty, "each call exactly one of answered / abandoned");
            Assert.That(answered.Values, Has.All.EqualTo(1), "answered once");
            Assert.That(f.Acd.Queues()[0].Waiting, Is.Zero);
            Assert.That(f.Acd.Queues()[0].Answered + f.Acd.Queues()[0].Abandoned, Is.EqualTo(100));
            Assert.That(f.Acd.AbandonedCalls().Select(a => a.CallId), Is.EquivalentTo(abandoned.Keys));
            Assert.That(answered.Count, Is.GreaterThan(0));
            Assert.That(abandoned.Count, Is.GreaterThan(0), "the load is meant to make some callers give up");
            Assert.That(f.Leg.Log.Count(o => o.Callback), Is.GreaterThan(0), "some callers waited for a callback");
            Assert.That(f.Leg.Log.Count, Is.GreaterThan(answered.Count), "some offers were not answered and went to another agent");
        });
    }

    [Test]
    public void Concurrent_callers_and_agents_on_many_threads_never_share_a_call()
    {
        var agents = Enumerable.Range(1, 10).Select(i => AcdFixture.Agent($"a{i:00}")).ToArray();
        var f = new AcdFixture(agents);
        var random = new ThreadLocal<Random>(() => new Random(Environment.CurrentManagedThreadId));
        // Answer on another thread, a moment later, like a real leg.
        f.Leg.AutoAnswer = offer =>
        {
            _ = Task.Run(async () =>
            {
                await Task.Yield();
                if (f.Leg.IsRinging(offer.Id)) try { f.Leg.Complete(offer, random.Value!.NextDouble() < 0.2 ? OfferOutcome.NoAnswer : OfferOutcome.Answered); } catch (InvalidOperationException) { }
            });
            return null;
        };
        var answeredBy = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var doubles = new System.Collections.Concurrent.ConcurrentQueue<string>();
        f.Acd.Changed += c =>
        {
            if (c.Kind != AcdChangeKind.CallAnswered) return;
            if (!answeredBy.TryAdd(c.CallId!, c.AgentId!)) doubles.Enqueue(c.CallId!);
            Task.Run(() => f.Acd.CallEnded(c.CallId!));
        };
        foreach (var a in agents) f.Available(a.Id);
        Parallel.For(0, 100, i =>
        {
            f.Acd.Enqueue(new CallRequest { CallId = $"c{i}", Queue = "12345" });
            if (i % 7 == 0) f.Acd.Abandon($"c{i}", AbandonReason.CallerHungUp);
        });
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && f.Acd.Queues()[0] is { } q && q.Answered + q.Abandoned < 100)
        {
            f.Advance(11); // wrap-up (10 s) ends, timed-out offers move on, a missed agent may be re-offered
            Thread.Sleep(5);
        }
        var view = f.Acd.Queues()[0];
        Assert.Multiple(() =>
        {
            Assert.That(view.Answered + view.Abandoned, Is.EqualTo(100));
            Assert.That(doubles, Is.Empty);
            Assert.That(f.Leg.Violations, Is.Empty);
            Assert.That(answeredBy.Count, Is.EqualTo(view.Answered));
        });
    }
}
