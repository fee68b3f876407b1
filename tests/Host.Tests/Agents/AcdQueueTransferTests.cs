using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Agents.Acd;
using Telephony.Agents.Model;
using Telephony.Agents.Offers;
using Telephony.Agents.Queueing;
using Telephony.Host.Agents;
using Telephony.Ivr.Services;

using static Telephony.Host.Tests.Agents.Eventually;

namespace Telephony.Host.Tests.Agents;

/// <summary>
/// The IVR's transfer into the real ACD with a scripted agent leg and fake call ends: unavailable at once when nobody
/// is logged in, queued with urgency and the draft, ringback while waiting, connected to the agent who answers,
/// re-offered past a busy agent, abandoned on hang-up, and the query code read with the bridge paused after finalize.
/// </summary>
public class AcdQueueTransferTests
{
    private const string Queue = "citizen";
    private static readonly TimeSpan Wait = Eventually.Wait;

    private AnsweredAgentCalls _answered = null!;
    private FakeAgentLeg _leg = null!;
    private AcdEngine _acd = null!;
    private CallDesk _desk = null!;
    private AcdQueueTransfer _transfer = null!;

    private SqliteCallbacks _callbacks = null!;

    [TearDown]
    public void Stop() => _callbacks.Dispose();

    [SetUp]
    public async Task Start()
    {
        _callbacks = await SqliteCallbacks.StartAsync();
        _answered = new AnsweredAgentCalls();
        _leg = new FakeAgentLeg(_answered);
        var seats = new[] { "1001", "1002" }.Select(id => new AgentAccount { Id = id, Name = id, SipUser = "agent" + id, Queues = [Queue], WrapUp = TimeSpan.FromSeconds(30) });
        _acd = new AcdEngine(seats, [new QueueOptions { Name = Queue }], _leg, TimeProvider.System, NullLogger<AcdEngine>.Instance);
        _desk = new CallDesk();
        _transfer = new AcdQueueTransfer(_acd, _desk, _answered, _callbacks.Requests(), TimeProvider.System, NullLogger<AcdQueueTransfer>.Instance);
    }

    private static Dictionary<string, string> Context(string urgency = "normal") => new()
    {
        ["queryCode"] = "2026120207", ["transcript"] = "路灯坏了", ["recording"] = "/data/recordings/call-1.wav", ["urgency"] = urgency,
    };

    private QueueView View => _acd.Queues().Single(q => q.Name == Queue);

    [Test]
    public async Task With_nobody_logged_in_the_transfer_is_unavailable_at_once_and_nothing_is_queued()
    {
        _acd.SetAgentState("1002", AgentState.Paused, "lunch");
        var call = new FakeCallChannel();
        var result = await _transfer.TransferToQueueAsync(call, Queue, Context(), CancellationToken.None).WaitAsync(Wait);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(TransferOutcome.Unavailable));
            Assert.That(result.Reason, Does.Contain("no agent is logged in"));
            Assert.That(View.Offered, Is.Zero, "not queued");
            Assert.That(_desk.Calls, Is.Empty, "no screen pop for a call nobody can take");
            Assert.That(call.Played, Is.Empty, "no ringback");
        });
    }

    [Test]
    public async Task An_unknown_queue_is_unavailable()
    {
        _acd.SetAgentState("1001", AgentState.Available);
        var result = await _transfer.TransferToQueueAsync(new FakeCallChannel(), "nosuch", Context(), CancellationToken.None).WaitAsync(Wait);
        Assert.That(result.Outcome, Is.EqualTo(TransferOutcome.Unavailable));
        Assert.That(result.Reason, Does.Contain("no queue nosuch"));
    }

    [Test]
    public async Task An_urgent_call_is_queued_with_its_draft_and_desk_call_hears_ringback_and_a_hang_up_while_ringing_abandons_it()
    {
        _acd.SetAgentState("1001", AgentState.Available);
        var call = new FakeCallChannel();
        var running = _transfer.TransferToQueueAsync(call, Queue, Context("urgent"), CancellationToken.None);
        await Until(() => _leg.Offers.Count == 1, "the offer");
        var offer = _leg.Offers.Single();
        var desk = _desk.Find(call.CallId);
        await Until(() => call.Played.Contains("ringback"), "ringback");
        Assert.Multiple(() =>
        {
            Assert.That(offer.Call.Priority, Is.EqualTo(CallPriority.Urgent));
            Assert.That(offer.Call.DraftRef, Is.EqualTo("2026120207"));
            Assert.That(offer.Call.Caller, Is.EqualTo("13812345678"));
            Assert.That(desk, Is.Not.Null, "registered on the desk before it was queued");
            Assert.That(desk!.DraftCode, Is.EqualTo("2026120207"));
            Assert.That(desk.Transcript, Is.EqualTo("路灯坏了"));
            Assert.That(desk.RecordingPath, Is.EqualTo("/data/recordings/call-1.wav"));
            Assert.That(desk.Queue, Is.EqualTo(Queue));
        });
        // The agent's phone rings on (scripted): the caller gives up.
        call.CallerHangsUp();
        var result = await running.WaitAsync(Wait);
        Assert.That(result.Outcome, Is.EqualTo(TransferOutcome.HungUp));
        await Until(() => _leg.Withdrawn.Count == 1, "the ringing offer withdrawn (the SIP leg then sends CANCEL)");
        var abandoned = _acd.AbandonedCalls().Single();
        Assert.Multiple(() =>
        {
            Assert.That(abandoned.Reason, Is.EqualTo(AbandonReason.CallerHungUp));
            Assert.That(abandoned.DraftRef, Is.EqualTo("2026120207"), "the abandoned call keeps its draft");
            Assert.That(_desk.Find(call.CallId), Is.Null, "the desk call is removed with the call");
            Assert.That(_acd.Agent("1001")!.State, Is.EqualTo(AgentState.Available), "the agent is not blamed");
        });
    }

    [Test]
    public async Task A_busy_agent_passes_the_call_to_the_next_who_answers_and_the_agents_hang_up_ends_both_sides()
    {
        _leg.Script["1001"] = OfferOutcome.Busy;
        _leg.Script["1002"] = OfferOutcome.Answered;
        _acd.SetAgentState("1001", AgentState.Available);
        _acd.SetAgentState("1002", AgentState.Available);
        var call = new FakeCallChannel();
        var running = _transfer.TransferToQueueAsync(call, Queue, Context(), CancellationToken.None);
        await Until(() => _leg.Phones.ContainsKey("1002"), "agent 1002 answering");
        var phone = _leg.Phones["1002"];
        await Until(() => phone.IsBridged, "the bridge");
        Assert.That(_acd.Agent("1002")!.State, Is.EqualTo(AgentState.OnCall));
        Assert.That(_answered.Count, Is.Zero, "the transfer took the answered phone");

        phone.AgentHangsUp();
        var result = await running.WaitAsync(Wait);
        Assert.Multiple(() =>
        {
            Assert.That(_leg.Offers.Select(o => o.AgentId), Is.EqualTo(new[] { "1001", "1002" }), "offered past the busy agent");
            Assert.That(result.Outcome, Is.EqualTo(TransferOutcome.Transferred));
            Assert.That(call.HungUpByUs, Is.True, "the agent's BYE ends the caller's leg");
            Assert.That(phone.IsBridged, Is.False, "the bridge is undone");
            Assert.That(_acd.Agent("1002")!.State, Is.EqualTo(AgentState.WrapUp), "CallEnded told the ACD");
            Assert.That(_acd.Agent("1001")!.State, Is.EqualTo(AgentState.Available), "busy keeps the first agent logged in");
            Assert.That(View.Answered, Is.EqualTo(1));
            Assert.That(_desk.Find(call.CallId), Is.Null);
        });
    }

    [Test]
    public async Task When_the_agent_finalizes_the_caller_hears_the_query_code_with_the_bridge_paused_then_the_callers_hang_up_ends_the_agent()
    {
        _leg.Script["1001"] = OfferOutcome.Answered;
        _acd.SetAgentState("1001", AgentState.Available);
        var call = new FakeCallChannel();
        var running = _transfer.TransferToQueueAsync(call, Queue, Context(), CancellationToken.None);
        await Until(() => _leg.Phones.TryGetValue("1001", out var p) && p.IsBridged, "the bridge");
        var phone = _leg.Phones["1001"];

        _desk.Finalize(new DeskFinalized("another-call", "1002", "2026120299", "Accepted"));
        _desk.Finalize(new DeskFinalized(call.CallId, "1001", "2026120207", "Accepted"));
        await Until(() => phone.Connects == 2, "the bridge resumed after the read-back");
        call.CallerHangsUp();
        var result = await running.WaitAsync(Wait);

        List<(string Item, bool Bridged)> played;
        lock (call.PlayedWhile) played = call.PlayedWhile.Where(p => p.Item != "ringback").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(played.Select(p => p.Item), Is.EqualTo(new[] { "query_code_is" }.Concat("2026120207".Select(d => $"digit_{d}"))),
                "only this call's code, digit by digit");
            Assert.That(played.Select(p => p.Bridged), Is.All.False, "the bridge is paused while the code is read");
            Assert.That(result.Outcome, Is.EqualTo(TransferOutcome.Transferred));
            Assert.That(phone.HungUpByUs, Is.True, "the caller's BYE ends the agent's leg");
            Assert.That(_acd.Agent("1001")!.State, Is.EqualTo(AgentState.WrapUp));
        });
    }

    [Test]
    public async Task An_answer_after_the_acd_withdrew_the_offer_is_taken_back_and_hung_up_by_the_leg()
    {
        var phone = new FakeAgentCall("call-9", "1001");
        _answered.Park(phone);
        Assert.That(_answered.TryTake("call-9", "1002"), Is.Null, "another agent's answer does not match");
        Assert.That(_answered.TryTakeBack(phone), Is.True);
        Assert.That(_answered.TryTake("call-9"), Is.Null, "exactly one side owns the phone");
    }

    [Test]
    public async Task Waiting_callers_hear_their_place_and_the_estimated_wait_between_ringback_cycles()
    {
        var transfer = new AcdQueueTransfer(_acd, _desk, _answered, _callbacks.Requests(), TimeProvider.System, NullLogger<AcdQueueTransfer>.Instance)
        {
            Announcements = new QueueAnnouncementOptions(TimeSpan.Zero, TimeSpan.FromSeconds(30)),
        };
        _acd.SetAgentState("1001", AgentState.Available);   // rings without answering: the first call holds the only agent
        var first = new FakeCallChannel("call-1");
        var second = new FakeCallChannel("call-2", "13900000002");
        var third = new FakeCallChannel("call-3", "13900000003");
        var running = new List<Task<TransferResult>> { transfer.TransferToQueueAsync(first, Queue, Context(), CancellationToken.None) };
        await Until(() => _leg.Offers.Count == 1 && first.Played.Contains("ringback"), "the first call offered");
        running.Add(transfer.TransferToQueueAsync(second, Queue, Context(), CancellationToken.None));
        await Until(() => second.Played.Contains("ringback"), "the second caller's announcement, then ringback");
        running.Add(transfer.TransferToQueueAsync(third, Queue, Context(), CancellationToken.None));
        await Until(() => third.Played.Contains("ringback"), "the third caller's announcement, then ringback");

        static List<string> Announcement(FakeCallChannel call) => call.Played.TakeWhile(p => p != "ringback").ToList();
        var position = _acd.Position("call-3")!;
        Assert.Multiple(() =>
        {
            // A call stays in the queue, first in line, while its offer rings.
            Assert.That(Announcement(first), Is.EqualTo(new[] { "queue_next" }), "next in line hears no count");
            Assert.That(Announcement(second).Take(3), Is.EqualTo(new[] { "queue_ahead", "number_one", "queue_ahead_callers" }), "one caller ahead");
            Assert.That(position.Position, Is.EqualTo(3));
            Assert.That(Announcement(third).Take(3), Is.EqualTo(new[] { "queue_ahead", "number_two", "queue_ahead_callers" }), "two callers ahead");
            Assert.That(Announcement(third).Skip(3), Is.EqualTo(QueueAnnouncement.Prompts(position).Skip(3)), "then the estimated wait");
            Assert.That(Announcement(third).Skip(3).First(), Is.AnyOf("queue_wait_about", "queue_wait_under_minute", "queue_wait_long"));
            Assert.That(third.Played.Count(p => p == "queue_ahead"), Is.EqualTo(1), "not repeated before 30 s");
        });
        first.CallerHangsUp();
        second.CallerHangsUp();
        third.CallerHangsUp();
        await Task.WhenAll(running).WaitAsync(Wait);
    }

    [Test]
    public async Task With_announcements_off_a_waiting_caller_hears_only_ringback()
    {
        var transfer = new AcdQueueTransfer(_acd, _desk, _answered, _callbacks.Requests(), TimeProvider.System, NullLogger<AcdQueueTransfer>.Instance)
        {
            Announcements = new QueueAnnouncementOptions(TimeSpan.Zero, TimeSpan.Zero),
        };
        _acd.SetAgentState("1001", AgentState.Available);
        var first = new FakeCallChannel("call-1");
        var second = new FakeCallChannel("call-2", "13900000002");
        var a = transfer.TransferToQueueAsync(first, Queue, Context(), CancellationToken.None);
        await Until(() => _leg.Offers.Count == 1, "the first call offered");
        var b = transfer.TransferToQueueAsync(second, Queue, Context(), CancellationToken.None);
        await Until(() => second.Played.Contains("ringback"), "ringback");
        Assert.That(second.Played, Is.All.EqualTo("ringback"));
        first.CallerHangsUp();
        second.CallerHangsUp();
        await Task.WhenAll(a, b).WaitAsync(Wait);
    }
}
