using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Agents.Acd;
using Telephony.Agents.Model;
using Telephony.Agents.Offers;
using Telephony.Agents.Queueing;
using Telephony.Host.Agents;
using Telephony.Ivr.Services;
using Telephony.Tickets.Callbacks;

using static Telephony.Host.Tests.Agents.Eventually;

namespace Telephony.Host.Tests.Agents;

/// <summary>
/// Callbacks over the real ACD with scripted legs: the waiting caller offered a callback and pressing 1 (the request,
/// the confirmation, the hang-up, the place and the desk call kept); then the callback offer ringing the agent and,
/// once answered, the citizen (ringback to the agent meanwhile, the offer kept out past its timeout), bridged until either
/// hangs up with the query code read to the citizen; and a citizen who cannot be reached (abandoned as unreachable,
/// the draft kept, the agent freed without blame).
/// </summary>
public partial class CallbackTests
{
    private const string Queue = "citizen";
    private const string Draft = "2026120207";
    private static readonly TimeSpan Wait = Eventually.Wait;

    private static AgentAccount Seat(string id) => new() { Id = id, Name = id, SipUser = "agent" + id, Queues = [Queue], WrapUp = TimeSpan.FromSeconds(30) };

    private static Dictionary<string, string> Context() => new() { ["queryCode"] = Draft, ["transcript"] = "路灯坏了", ["urgency"] = "normal" };

    private SqliteCallbacks _db = null!;

    [SetUp]
    public async Task StartDatabase() => _db = await SqliteCallbacks.StartAsync();

    [TearDown]
    public void StopDatabase() => _db.Dispose();

    private static DeskCall DeskCallOf(string callId) =>
        new(callId, Queue, "13812345678", Draft, "路灯坏了", null, new Dictionary<string, string>(), DateTimeOffset.UtcNow);

    // ---- The waiting caller's side ----

    private sealed class Waiting
    {
        public readonly AnsweredAgentCalls Answered = new();
        public readonly FakeAgentLeg Leg;
        public readonly AcdEngine Acd;
        public readonly CallDesk Desk = new();
        public readonly AcdQueueTransfer Transfer;

        public Waiting(CallbackOptions callback, CallbackRequests requests)
        {
            Leg = new FakeAgentLeg(Answered);
            Acd = new AcdEngine([Seat("1001")], [new QueueOptions { Name = Queue }], Leg, TimeProvider.System, NullLogger<AcdEngine>.Instance);
            Transfer = new AcdQueueTransfer(Acd, Desk, Answered, requests, TimeProvider.System, NullLogger<AcdQueueTransfer>.Instance)
            {
                Announcements = new QueueAnnouncementOptions(TimeSpan.Zero, TimeSpan.Zero),
                Callback = callback,
            };
        }
    }

    [Test]
    public async Task Pressing_1_after_the_offer_requests_a_callback_confirms_hangs_up_and_keeps_the_place_and_the_desk_call()
    {
        var call = new FakeCallChannel();
        var watched = new WatchedCallbackStore(_db.Store, () => call.Played.Contains(CallbackOptions.ConfirmPrompt));
        var w = new Waiting(new CallbackOptions(true, TimeSpan.Zero), _db.Requests(watched));
        w.Acd.SetAgentState("1001", AgentState.Available);   // rings without answering (the fake leg's default)
        var running = w.Transfer.TransferToQueueAsync(call, Queue, Context(), CancellationToken.None);
        await Until(() => call.Played.Contains(CallbackOptions.OfferPrompt), "the callback offer");
        var queuedAt = w.Acd.Waiting(call.CallId)!.ArrivedAt;
        call.Press('1');
        var result = await running.WaitAsync(Wait);
        var stored = await _db.Store.GetAsync(call.CallId);

        await Until(() => w.Leg.Offers.Count == 2, "the callback offered to the agent");
        await Until(() => w.Leg.Withdrawn.Count == 1, "the agent ringing for the live call withdrawn");
        var callbackOffer = w.Leg.Offers.Last();
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(TransferOutcome.Transferred), "the flow ends: the call is the ACD's callback now");
            Assert.That(call.Played.Last(), Is.EqualTo(CallbackOptions.ConfirmPrompt), "the caller hears the confirmation last");
            Assert.That(call.HungUpByUs, Is.True, "then we hang up");
            Assert.That(w.Acd.Queues().Single().Callbacks, Is.EqualTo(1));
            Assert.That(w.Acd.Position(call.CallId), Is.Not.Null, "the call keeps its place");
            Assert.That(w.Acd.AbandonedCalls(), Is.Empty, "a callback is not an abandoned call");
            Assert.That(callbackOffer.Callback, Is.True);
            Assert.That(callbackOffer.CallbackNumber, Is.EqualTo(call.Caller), "called back on the number the caller called from");
            Assert.That(w.Desk.Find(call.CallId)?.DraftCode, Is.EqualTo(Draft), "the desk call stays for the agent's screen pop");
            Assert.That(watched.ConfirmationPlayedAtWrite, Is.False, "the request is stored before the caller hears the confirmation");
            Assert.That(stored, Is.Not.Null, "persisted in the store");
            Assert.That(stored!.State, Is.EqualTo(CallbackState.Pending));
            Assert.That(stored.Number, Is.EqualTo(call.Caller), "the whole number: it is dialled");
            Assert.That(stored.Queue, Is.EqualTo(Queue));
            Assert.That(stored.DraftCode, Is.EqualTo(Draft));
            Assert.That(stored.Priority, Is.EqualTo(nameof(CallPriority.Normal)));
            Assert.That(stored.QueuedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(queuedAt.ToUnixTimeMilliseconds())), "its place: when it was first queued");
            Assert.That(stored.Attempts, Is.Zero);
        });
    }

    [Test]
    public async Task A_request_the_store_cannot_keep_is_not_promised_and_the_caller_waits_on()
    {
        var failing = new FailingCallbackStore();
        var w = new Waiting(new CallbackOptions(true, TimeSpan.Zero), _db.Requests(failing));
        w.Acd.SetAgentState("1001", AgentState.Available);
        var call = new FakeCallChannel();
        var running = w.Transfer.TransferToQueueAsync(call, Queue, Context(), CancellationToken.None);
        await Until(() => call.Played.Contains(CallbackOptions.OfferPrompt), "the callback offer");
        call.Press('1');
        await Until(() => failing.Adds == 1, "the write tried");
        var ringbacks = call.Played.Count(p => p == "ringback");
        await Until(() => call.Played.Count(p => p == "ringback") > ringbacks, "ringback again: still waiting");
        call.Press('1');
        await Task.Delay(200);
        Assert.Multiple(() =>
        {
            Assert.That(running.IsCompleted, Is.False, "the caller is still in the queue");
            Assert.That(call.Played, Has.None.EqualTo(CallbackOptions.ConfirmPrompt), "no promise");
            Assert.That(call.HungUpByUs, Is.False);
            Assert.That(w.Acd.Queues().Single().Callbacks, Is.Zero, "the ACD was not asked for a callback");
            Assert.That(w.Acd.Position(call.CallId), Is.Not.Null, "the call keeps waiting at its place");
            Assert.That(failing.Adds, Is.EqualTo(1), "not offered again, so a second 1 is nothing");
            Assert.That(w.Leg.Withdrawn, Is.Empty, "the agent ringing for the live call still rings");
        });
        call.CallerHangsUp();
        var result = await running.WaitAsync(Wait);
        Assert.That(result.Outcome, Is.EqualTo(TransferOutcome.HungUp));
        Assert.That(w.Acd.AbandonedCalls().Single().Reason, Is.EqualTo(AbandonReason.CallerHungUp));
    }

    [Test]
    public async Task A_1_before_the_offer_is_nothing_and_a_hang_up_after_it_abandons_as_before()
    {
        var w = new Waiting(new CallbackOptions(true, TimeSpan.FromHours(1)), _db.Requests());
        w.Acd.SetAgentState("1001", AgentState.Available);
        var call = new FakeCallChannel();
        var running = w.Transfer.TransferToQueueAsync(call, Queue, Context(), CancellationToken.None);
        await Until(() => call.Played.Contains("ringback"), "ringback");
        call.Press('1');
        await Task.Delay(200);
        Assert.That(w.Acd.Queues().Single().Callbacks, Is.Zero, "no callback before it was offered");
        Assert.That(call.Played, Has.None.EqualTo(CallbackOptions.OfferPrompt));
        call.CallerHangsUp();
        var result = await running.WaitAsync(Wait);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(TransferOutcome.HungUp));
            Assert.That(w.Acd.AbandonedCalls().Single().Reason, Is.EqualTo(AbandonReason.CallerHungUp));
            Assert.That(w.Desk.Find(call.CallId), Is.Null, "a caller who left takes the desk call along");
        });
    }

    [Test]
    public async Task Callbacks_off_or_a_caller_without_a_number_hear_no_offer()
    {
        foreach (var (options, caller) in new[] { (CallbackOptions.Off with { OfferAfter = TimeSpan.Zero }, "13812345678"), (new CallbackOptions(true, TimeSpan.Zero), "anonymous") })
        {
            var w = new Waiting(options, _db.Requests());
            w.Acd.SetAgentState("1001", AgentState.Available);
            var call = new FakeCallChannel(caller: caller);
            var running = w.Transfer.TransferToQueueAsync(call, Queue, Context(), CancellationToken.None);
            await Until(() => call.Played.Contains("ringback"), "ringback");
            call.Press('1');
            await Task.Delay(200);
            Assert.That(call.Played, Has.None.EqualTo(CallbackOptions.OfferPrompt), $"{caller}, enabled {options.Enabled}");
            Assert.That(w.Acd.Queues().Single().Callbacks, Is.Zero);
            call.CallerHangsUp();
            await running.WaitAsync(Wait);
        }
    }

    // ---- The callback offer's side ----

    /// <summary>The citizen's phone: answers (a fake channel) or fails as scripted, when the test releases it.</summary>
    private sealed class ScriptedDialer : ICallbackDialer
    {
        public TimeSpan RingTimeout => TimeSpan.FromSeconds(30);
        public readonly ConcurrentQueue<(string CallId, string Number, bool AgentHeardRingback)> Dials = new();
        public Func<FakeAgentCall?>? Agent { get; set; }
        public readonly TaskCompletionSource<CallbackDial> Result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        /// <summary>When set, every dial ends at once with what it returns (several attempts); else with <see cref="Result"/>.</summary>
        public Func<CallbackDial>? Outcome { get; set; }
        public bool Withdrawn { get; private set; }

        public async Task<CallbackDial> DialAsync(string callId, string number, CancellationToken withdraw)
        {
            Dials.Enqueue((callId, number, Agent?.Invoke()?.HearsRingback ?? false));
            if (Outcome is { } outcome) { await Task.Yield(); return outcome(); }
            try { return await Result.Task.WaitAsync(withdraw); }
            catch (OperationCanceledException) { Withdrawn = true; return CallbackDial.Failed("withdrawn"); }
        }
    }

    /// <summary>Every agent answers at once; a callback's answered phone goes to <see cref="CallbackCalls"/>, as the SIP leg does.</summary>
    private sealed class AnsweringLeg : IAgentLeg
    {
        public CallbackCalls? Callbacks;
        public readonly ConcurrentQueue<Offer> Offers = new();
        public readonly ConcurrentDictionary<string, FakeAgentCall> Phones = new();
        public readonly ConcurrentQueue<OfferOutcome> Reported = new();

        public async Task<OfferOutcome> OfferAsync(Offer offer, CancellationToken cancel)
        {
            Offers.Enqueue(offer);
            await Task.Yield();
            var phone = Phones[offer.AgentId] = new FakeAgentCall(offer.CallId, offer.AgentId);
            var outcome = await Callbacks!.ConnectAsync(offer, phone, cancel);
            Reported.Enqueue(outcome);
            return outcome;
        }
    }

    private sealed class Callback
    {
        public readonly FakeTimeProvider Clock = new(DateTimeOffset.UtcNow);
        public readonly AnsweringLeg Leg = new();
        public readonly ScriptedDialer Dialer = new();
        public readonly CallDesk Desk = new();
        public readonly AcdEngine Acd;
        public readonly CallbackRetries Retries;
        public readonly ListLogger<CallbackCalls> Log = new();
        public readonly DateTimeOffset QueuedAt;

        public Callback(SqliteCallbacks db, CallbackOptions? options = null)
        {
            Acd = new AcdEngine([Seat("1001"), Seat("1002")], [new QueueOptions { Name = Queue, OfferTimeout = TimeSpan.FromSeconds(20) }], Leg, Clock,
                NullLogger<AcdEngine>.Instance);
            // The request as the waiting caller's press stored it.
            Assert.That(db.Store.AddAsync(new CallbackRequest
            {
                CallId = "call-1", Queue = Queue, Number = "13812345678", DraftCode = Draft, Priority = nameof(CallPriority.Normal),
                QueuedAt = Clock.GetUtcNow(), RequestedAt = Clock.GetUtcNow(),
            }).GetAwaiter().GetResult(), Is.True);
            Retries = new CallbackRetries(() => Acd, Desk, Clock, NullLogger<CallbackRetries>.Instance);
            Leg.Callbacks = new CallbackCalls(() => Acd, Desk, Dialer, db.Requests(), Retries, Clock, Log) { Options = options ?? CallbackOptions.Off };
            Dialer.Agent = () => Leg.Phones.GetValueOrDefault("1001");
            Desk.Register(DeskCallOf("call-1"));
            Assert.That(Acd.Enqueue(new CallRequest { CallId = "call-1", Queue = Queue, Caller = "13812345678", DraftRef = Draft }).Ok, Is.True);
            QueuedAt = Acd.Waiting("call-1")!.ArrivedAt;
            Assert.That(Acd.RequestCallback("call-1", "13812345678").Ok, Is.True);
        }
    }

    [Test]
    public async Task A_callback_rings_the_agent_then_the_citizen_with_ringback_and_bridges_them_until_either_hangs_up()
    {
        var f = new Callback(_db);
        f.Acd.SetAgentState("1001", AgentState.Available);
        await Until(() => f.Dialer.Dials.Count == 1, "the citizen dialled");
        var phone = f.Leg.Phones["1001"];
        var dial = f.Dialer.Dials.Single();
        Assert.Multiple(() =>
        {
            Assert.That(dial.CallId, Is.EqualTo("call-1"));
            Assert.That(dial.Number, Is.EqualTo("13812345678"));
            Assert.That(dial.AgentHeardRingback, Is.True, "the agent hears ringback while the citizen's phone rings");
        });

        // The citizen's phone rings past the agent's offer timeout: the offer stays out, nobody else gets the call.
        f.Acd.SetAgentState("1002", AgentState.Available);
        f.Clock.Advance(TimeSpan.FromSeconds(25));
        f.Acd.Tick();
        Assert.Multiple(() =>
        {
            Assert.That(f.Acd.Agent("1001")!.State, Is.EqualTo(AgentState.Ringing));
            Assert.That(f.Leg.Offers, Has.Count.EqualTo(1), "the call was offered to no second agent");
            Assert.That(f.Dialer.Withdrawn, Is.False);
        });

        var citizen = new FakeCallChannel("call-1", "13812345678");
        f.Dialer.Result.SetResult(new CallbackDial(citizen, null));
        await Until(() => phone.IsBridged, "agent and citizen bridged");
        Assert.Multiple(() =>
        {
            Assert.That(f.Leg.Reported, Is.EqualTo(new[] { OfferOutcome.Answered }));
            Assert.That(f.Acd.Agent("1001")!.State, Is.EqualTo(AgentState.OnCall));
            Assert.That(phone.HearsRingback, Is.False, "the ringback stops once the citizen answers");
        });

        // The agent finalizes on the desk: the citizen hears the code with the bridge paused.
        f.Desk.Finalize(new DeskFinalized("call-1", "1001", "2026120207", "Accepted"));
        await Until(() => citizen.Played.Contains("digit_7"), "the code read to the citizen");
        Assert.That(citizen.PlayedWhile.Where(p => p.Item.StartsWith("digit_") || p.Item == "query_code_is").Select(p => p.Bridged), Is.All.False);

        citizen.CallerHangsUp();
        await Until(() => f.Acd.Agent("1001")!.State == AgentState.WrapUp, "CallEnded after the citizen's BYE");
        Assert.Multiple(() =>
        {
            Assert.That(phone.HungUpByUs, Is.True, "the citizen's BYE ends the agent's leg");
            Assert.That(f.Desk.Find("call-1"), Is.Null, "the desk call goes when the callback is over");
            Assert.That(f.Acd.Queues().Single().Answered, Is.EqualTo(1));
        });
        await UntilStored("call-1", CallbackState.Done);
        Assert.That((await _db.Store.GetAsync("call-1"))!.Attempts, Is.EqualTo(1));
    }

    [Test]
    public async Task An_unreachable_citizen_on_the_last_attempt_abandons_the_call_as_callback_unreachable_keeping_its_draft_and_frees_the_agent()
    {
        var f = new Callback(_db, CallbackOptions.Off with { MaxAttempts = 1 });
        f.Acd.SetAgentState("1001", AgentState.Available);
        await Until(() => f.Dialer.Dials.Count == 1, "the citizen dialled");
        f.Dialer.Result.SetResult(CallbackDial.Failed("busy (486)"));
        await Until(() => f.Acd.AbandonedCalls().Count == 1, "the call abandoned");
        var abandoned = f.Acd.AbandonedCalls().Single();
        var phone = f.Leg.Phones["1001"];
        await UntilStored("call-1", CallbackState.Unreachable);
        var stored = await _db.Store.GetAsync("call-1");
        Assert.Multiple(() =>
        {
            Assert.That(stored!.Attempts, Is.EqualTo(1), "one attempt configured, not tried again");
            Assert.That(abandoned.Reason, Is.EqualTo(AbandonReason.CallbackUnreachable));
            Assert.That(abandoned.DraftRef, Is.EqualTo(Draft), "the draft stays");
            Assert.That(phone.HungUpByUs, Is.True, "the agent is hung up");
            Assert.That(phone.IsBridged, Is.False);
            Assert.That(f.Acd.Agent("1001")!.State, Is.EqualTo(AgentState.Available), "not blamed: no wrap-up, no log-out");
            Assert.That(f.Acd.Agent("1001")!.Missed, Is.Zero);
            Assert.That(f.Acd.Position("call-1"), Is.Null, "no longer waiting");
            Assert.That(f.Desk.Find("call-1"), Is.Null, "the desk call goes with the call");
            Assert.That(f.Leg.Offers, Has.Count.EqualTo(1), "not offered again");
        });
    }

    [Test]
    public async Task An_agent_who_hangs_up_while_the_citizen_rings_withdraws_the_dial_and_the_call_waits_for_the_next_agent()
    {
        var f = new Callback(_db);
        f.Acd.SetAgentState("1001", AgentState.Available);
        await Until(() => f.Dialer.Dials.Count == 1, "the citizen dialled");
        f.Leg.Phones["1001"].AgentHangsUp();
        await Until(() => f.Dialer.Withdrawn, "the dial withdrawn");
        await Until(() => f.Leg.Reported.Count == 1, "the offer reported");
        await UntilStored("call-1", CallbackState.Pending);
        Assert.That((await _db.Store.GetAsync("call-1"))!.Attempts, Is.EqualTo(1), "placed once, pending again for the next agent");
        Assert.Multiple(() =>
        {
            Assert.That(f.Leg.Reported.Single(), Is.EqualTo(OfferOutcome.NoAnswer));
            Assert.That(f.Acd.Position("call-1"), Is.Not.Null, "still waiting for its callback");
            Assert.That(f.Acd.AbandonedCalls(), Is.Empty);
            Assert.That(f.Desk.Find("call-1"), Is.Not.Null, "the desk call stays for the next agent");
        });
    }

    /// <summary>The row's move is written after the call side's step it follows: polled.</summary>
    private async Task UntilStored(string callId, CallbackState state)
    {
        var deadline = DateTime.UtcNow + Wait;
        while ((await _db.Store.GetAsync(callId))?.State != state)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for the stored request of {callId} to be {state}, it is {(await _db.Store.GetAsync(callId))?.State}");
            await Task.Delay(10);
        }
    }
}
