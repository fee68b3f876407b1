using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Telephony.Agents.Acd;
using Telephony.Agents.Model;
using Telephony.Agents.Queueing;
using Telephony.Host.Agents;
using Telephony.Tickets.Callbacks;

using static Telephony.Host.Tests.Agents.Eventually;

namespace Telephony.Host.Tests.Agents;

/// <summary>
/// A citizen who cannot be reached is called again (Agents:Callback:MaxAttempts, RetryAfterSeconds) on a fake clock: the
/// call leaves the queue without being abandoned, its row pending with the next attempt's time, and enters again at its
/// first queue time once that time has passed; after the last attempt it is abandoned as unreachable as before.
/// </summary>
public partial class CallbackTests
{
    private static readonly CallbackOptions Retrying = CallbackOptions.Off with { MaxAttempts = 3, RetryAfter = TimeSpan.FromMinutes(10) };

    private static DateTimeOffset Millis(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());

    /// <summary>The dial failed and the call side has put the call aside for its next attempt (row written, timer set).</summary>
    private async Task<CallbackRequest> UntilRetryScheduled(Callback f, int attempts)
    {
        await Until(() => f.Retries.DueAt("call-1") is not null, $"attempt {attempts} put aside for the next one");
        var stored = (await _db.Store.GetAsync("call-1"))!;
        Assert.That(stored.Attempts, Is.EqualTo(attempts));
        return stored;
    }

    [Test]
    public async Task An_unreachable_citizen_with_attempts_left_is_not_abandoned_and_waits_pending_with_its_next_attempt()
    {
        var f = new Callback(_db, Retrying);
        f.Dialer.Outcome = () => CallbackDial.Failed("busy (486)");
        f.Acd.SetAgentState("1001", AgentState.Available);
        await Until(() => f.Dialer.Dials.Count == 1, "the citizen dialled");
        var stored = await UntilRetryScheduled(f, attempts: 1);
        var phone = f.Leg.Phones["1001"];
        var due = f.Clock.GetUtcNow() + Retrying.RetryAfter;
        Assert.Multiple(() =>
        {
            Assert.That(stored.State, Is.EqualTo(CallbackState.Pending));
            Assert.That(stored.NextAttemptAt, Is.EqualTo(Millis(due)));
            Assert.That(f.Retries.DueAt("call-1"), Is.EqualTo(due));
            Assert.That(f.Acd.AbandonedCalls(), Is.Empty, "not abandoned: the city still owes the call");
            Assert.That(f.Acd.Queues().Single().Abandoned, Is.Zero);
            Assert.That(f.Acd.Position("call-1"), Is.Null, "out of the queue until its next attempt");
            Assert.That(phone.HungUpByUs, Is.True, "the agent is hung up");
            Assert.That(f.Acd.Agent("1001")!.State, Is.EqualTo(AgentState.Available), "not blamed");
            Assert.That(f.Acd.Agent("1001")!.Missed, Is.Zero);
            Assert.That(f.Desk.Find("call-1")?.DraftCode, Is.EqualTo(Draft), "the desk call stays for the next attempt");
            Assert.That(f.Log.Messages, Has.Some.Contains("138****5678").And.Contains($"attempt 1 of {Retrying.MaxAttempts}"));
            Assert.That(f.Log.Messages, Has.None.Contains("13812345678"), "the number is masked");
        });
    }

    [Test]
    public async Task After_the_retry_time_the_callback_is_offered_again_ahead_of_a_call_that_came_later()
    {
        var f = new Callback(_db, Retrying);
        f.Dialer.Outcome = () => CallbackDial.Failed("no answer within 30 s");
        f.Acd.SetAgentState("1001", AgentState.Available);
        await UntilRetryScheduled(f, attempts: 1);
        await Until(() => f.Acd.Agent("1001")!.State == AgentState.Available, "the agent freed");
        Assert.That(f.Acd.SetAgentState("1001", AgentState.Paused, "lunch").Ok, Is.True);
        f.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(f.Acd.Enqueue(new CallRequest { CallId = "call-2", Queue = Queue, Caller = "13900001111" }).Ok, Is.True);

        f.Clock.Advance(Retrying.RetryAfter - TimeSpan.FromMinutes(1) - TimeSpan.FromSeconds(1));
        Assert.That(f.Acd.Position("call-1"), Is.Null, "not before its next attempt");
        f.Clock.Advance(TimeSpan.FromSeconds(1));
        var back = f.Acd.Waiting("call-1");
        Assert.Multiple(() =>
        {
            Assert.That(back, Is.Not.Null, "back in the queue once due");
            Assert.That(back!.Callback, Is.True, "as a callback");
            Assert.That(back.ArrivedAt, Is.EqualTo(f.QueuedAt), "at its original queue time");
            Assert.That(f.Acd.Position("call-1")!.Position, Is.EqualTo(1), "ahead of the call that came while it waited");
            Assert.That(f.Acd.Position("call-2")!.Position, Is.EqualTo(2));
            Assert.That(f.Retries.DueAt("call-1"), Is.Null);
            Assert.That(f.Acd.Queues().Single().Offered, Is.EqualTo(2), "the callback counted once, not per attempt");
        });

        f.Acd.SetAgentState("1001", AgentState.Available);
        await Until(() => f.Dialer.Dials.Count == 2, "the citizen dialled a second time");
        var second = f.Leg.Offers.ElementAt(1);
        Assert.That(second.CallId, Is.EqualTo("call-1"), "the free agent gets the callback before the later call");
        Assert.That(second.CallbackNumber, Is.EqualTo("13812345678"));
        await UntilRetryScheduled(f, attempts: 2);
    }

    [Test]
    public async Task After_the_last_attempt_the_call_is_abandoned_as_unreachable_and_the_row_is_unreachable()
    {
        var f = new Callback(_db, Retrying);
        f.Dialer.Outcome = () => CallbackDial.Failed("declined (603)");
        f.Acd.SetAgentState("1001", AgentState.Available);
        for (var attempt = 1; attempt < Retrying.MaxAttempts; attempt++)
        {
            await UntilRetryScheduled(f, attempt);
            Assert.That(f.Desk.Find("call-1"), Is.Not.Null, $"desk call kept after attempt {attempt}");
            f.Clock.Advance(Retrying.RetryAfter);
        }
        await UntilStored("call-1", CallbackState.Unreachable);
        var stored = (await _db.Store.GetAsync("call-1"))!;
        await Until(() => f.Acd.AbandonedCalls().Count == 1, "the call abandoned");
        Assert.Multiple(() =>
        {
            Assert.That(stored.Attempts, Is.EqualTo(Retrying.MaxAttempts));
            Assert.That(f.Dialer.Dials, Has.Count.EqualTo(Retrying.MaxAttempts));
            Assert.That(f.Acd.AbandonedCalls().Single().Reason, Is.EqualTo(AbandonReason.CallbackUnreachable));
            Assert.That(f.Acd.AbandonedCalls().Single().DraftRef, Is.EqualTo(Draft), "the draft stays");
            Assert.That(f.Desk.Find("call-1"), Is.Null, "the desk call goes with the call");
            Assert.That(f.Retries.DueAt("call-1"), Is.Null, "not tried again");
            Assert.That(f.Acd.Agent("1001")!.State, Is.EqualTo(AgentState.Available));
            Assert.That(f.Log.Messages, Has.Some.Contains($"attempt {Retrying.MaxAttempts} of {Retrying.MaxAttempts}").And.Contains("abandoned as unreachable"));
        });
        f.Clock.Advance(Retrying.RetryAfter);
        Assert.That(f.Acd.Position("call-1"), Is.Null, "no later attempt");
    }
}

/// <summary>Keeps every formatted log message, to check what an operator reads (masking, attempt counts).</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> messages = new();

    public IReadOnlyList<string> Messages => messages.ToList();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        messages.Enqueue(formatter(state, exception));
}
