using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Agents.Acd;
using Telephony.Agents.Model;
using Telephony.Agents.Offers;
using Telephony.Agents.Queueing;
using Telephony.Host.Agents;
using Telephony.Host.Api;
using Telephony.Ivr.Services;
using Telephony.Testing;
using Telephony.Tickets;
using Telephony.Tickets.Callbacks;
using Telephony.Tickets.Domain;

using static Telephony.Host.Tests.Agents.Eventually;

namespace Telephony.Host.Tests.Agents;

/// <summary>
/// A restart of the hotline keeps the callbacks waiting: a host composed with the same AddTickets / AddAgents /
/// AddCallbackRestore as <c>serve</c> (the SIP side replaced by a scripted agent leg), stopped after a caller pressed 1,
/// and a new host started over the same SQLite file.
/// </summary>
public class CallbackRestartTests
{
    private const string Queue = AgentsConfiguration.DefaultQueue;
    private string _directory = "";

    [SetUp]
    public void Scratch() => _directory = RepositoryPaths.NewScratchDirectory("callback-restart");

    [TearDown]
    public void Clean()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class Hotline(IHost host, FakeAgentLeg leg, AnsweredAgentCalls answered) : IAsyncDisposable
    {
        public IServiceProvider Services => host.Services;
        public FakeAgentLeg Leg => leg;
        public AcdEngine Acd => Services.GetRequiredService<AcdEngine>();
        public CallDesk Desk => Services.GetRequiredService<CallDesk>();
        public ICallbackStore Store => Services.GetRequiredService<ICallbackStore>();

        /// <summary>The IVR's transfer as <c>serve</c> builds it, with callbacks offered at once.</summary>
        public AcdQueueTransfer Transfer() => new(Acd, Desk, answered, Services.GetRequiredService<CallbackRequests>(), TimeProvider.System,
            NullLogger<AcdQueueTransfer>.Instance)
        {
            Announcements = new QueueAnnouncementOptions(TimeSpan.Zero, TimeSpan.Zero),
            Callback = new CallbackOptions(true, TimeSpan.Zero),
        };

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    private async Task<Hotline> StartAsync(TimeProvider? clock = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(_directory, "tickets.db")}",
            ["Agents:Seats:0:Id"] = "1001", ["Agents:Seats:0:Name"] = "张坐席", ["Agents:Seats:0:SipUser"] = "agent1",
        }).Build();
        var answered = new AnsweredAgentCalls();
        var leg = new FakeAgentLeg(answered);
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging(l => l.ClearProviders());
        builder.Services.AddSingleton<IAgentLeg>(leg);
        builder.Services.AddTickets(configuration);
        builder.Services.AddAgents(configuration);
        builder.Services.AddCallbackRestore();
        // Last, so it is the clock every part resolves (AddTickets registers the system clock).
        if (clock is not null) builder.Services.AddSingleton(clock);
        var host = builder.Build();
        await host.StartAsync();
        return new Hotline(host, leg, answered);
    }

    [Test]
    public async Task A_pending_callback_is_back_in_its_queue_at_its_place_after_a_restart_with_its_desk_call_and_gets_offered()
    {
        const string callId = "call-before-restart";
        string draftCode;
        DateTimeOffset queuedAt;
        await using (var before = await StartAsync())
        {
            var draft = await before.Services.GetRequiredService<TicketService>().CreateAsync(new NewTicket
            {
                Channel = Channel.Phone, CallerPhone = "13812345678", Title = "路灯坏了", Description = "幸福路8号门口路灯坏了",
                Type = TicketType.Complaint, Urgency = Urgency.Normal, Transcript = "您好，幸福路8号门口的路灯坏了", Actor = "ivr",
                RecordingRef = Path.Combine(_directory, "call.wav"),
            });
            Assert.That(draft.Outcome, Is.EqualTo(Outcome.Ok), draft.Error);
            draftCode = draft.Ticket!.Code;
            before.Acd.SetAgentState("1001", AgentState.Available);   // rings, never answers: the call waits
            var call = new FakeCallChannel(callId);
            var running = before.Transfer().TransferToQueueAsync(call, Queue,
                new Dictionary<string, string> { ["queryCode"] = draftCode, ["transcript"] = draft.Ticket.Transcript! }, CancellationToken.None);
            await Until(() => call.Played.Contains(CallbackOptions.OfferPrompt), "the callback offer");
            queuedAt = before.Acd.Waiting(callId)!.ArrivedAt;
            call.Press('1');
            Assert.That((await running.WaitAsync(Wait)).Outcome, Is.EqualTo(TransferOutcome.Transferred));
            Assert.That(call.Played.Last(), Is.EqualTo(CallbackOptions.ConfirmPrompt));
            // Stopped with the callback offered to the agent: the request may be placing or pending; both come back.
        }

        await Task.Delay(20);   // the new process's clock is past the old one's
        await using var after = await StartAsync();
        Assert.That(after.Acd.Enqueue(new CallRequest { CallId = "call-after-restart", Queue = Queue, Caller = "13900001111" }).Ok, Is.True);
        var restored = after.Acd.Waiting(callId);
        var desk = after.Desk.Find(callId);
        Assert.Multiple(() =>
        {
            Assert.That(restored, Is.Not.Null, "the callback waits again");
            Assert.That(restored!.Callback, Is.True, "as a callback: the citizen is not on the line");
            Assert.That(restored.ArrivedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(queuedAt.ToUnixTimeMilliseconds())), "its first queue time");
            Assert.That(after.Acd.Position(callId)!.Position, Is.EqualTo(1), "ahead of the call that came after the restart");
            Assert.That(after.Acd.Position("call-after-restart")!.Position, Is.EqualTo(2));
            Assert.That(desk, Is.Not.Null, "the desk call is rebuilt");
            Assert.That(desk!.DraftCode, Is.EqualTo(draftCode));
            Assert.That(desk.Transcript, Is.EqualTo("您好，幸福路8号门口的路灯坏了"), "from the draft in the store");
            Assert.That(desk.RecordingPath, Is.EqualTo(Path.Combine(_directory, "call.wav")));
            Assert.That(desk.Caller, Is.EqualTo("13812345678"));
        });

        after.Acd.SetAgentState("1001", AgentState.Available);
        await Until(() => after.Leg.Offers.Count == 1, "the restored callback offered");
        var offer = after.Leg.Offers.Single();
        Assert.Multiple(() =>
        {
            Assert.That(offer.CallId, Is.EqualTo(callId), "first in line");
            Assert.That(offer.Callback, Is.True);
            Assert.That(offer.CallbackNumber, Is.EqualTo("13812345678"));
            Assert.That(offer.Call.DraftRef, Is.EqualTo(draftCode));
        });
    }

    [Test]
    public async Task A_request_left_placing_by_a_stopped_process_is_pending_again_and_restored()
    {
        await using (var before = await StartAsync())
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-3).ToUnixTimeMilliseconds());
            Assert.That(await before.Store.AddAsync(new CallbackRequest
            {
                CallId = "placing", Queue = Queue, Number = "13812345678", Priority = nameof(CallPriority.Urgent), QueuedAt = at, RequestedAt = at,
            }), Is.True);
            Assert.That(await before.Store.MoveAsync("placing", CallbackState.Pending, CallbackState.Placing, at), Is.True);
        }
        await using var after = await StartAsync();
        var stored = await after.Store.GetAsync("placing");
        Assert.Multiple(() =>
        {
            Assert.That(stored!.State, Is.EqualTo(CallbackState.Pending));
            Assert.That(stored.Attempts, Is.EqualTo(1));
            Assert.That(after.Acd.Waiting("placing")?.Priority, Is.EqualTo(CallPriority.Urgent), "restored at its priority");
            Assert.That(after.Desk.Find("placing")?.DraftCode, Is.Null, "no draft: the desk call holds what the request holds");
        });
    }

    [Test]
    public async Task Requests_that_are_over_are_not_restored()
    {
        await using (var before = await StartAsync())
        {
            var at = DateTimeOffset.UtcNow.AddMinutes(-1);
            foreach (var (id, to) in new[] { ("done", CallbackState.Done), ("unreachable", CallbackState.Unreachable) })
            {
                await before.Store.AddAsync(new CallbackRequest { CallId = id, Queue = Queue, Number = "13812345678", Priority = "Normal", QueuedAt = at, RequestedAt = at });
                await before.Store.MoveAsync(id, CallbackState.Pending, CallbackState.Placing, at);
                await before.Store.MoveAsync(id, CallbackState.Placing, to, at);
            }
        }
        await using var after = await StartAsync();
        Assert.That(after.Acd.Queues().Single().Waiting, Is.Zero);
        Assert.That(after.Desk.Calls, Is.Empty);
    }

    [Test]
    public async Task A_request_waiting_for_its_next_attempt_is_scheduled_at_start_and_enters_at_its_place_only_when_due()
    {
        var queuedAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());
        var due = queuedAt + TimeSpan.FromMinutes(15);
        await using (var before = await StartAsync())
        {
            Assert.That(await before.Store.AddAsync(new CallbackRequest
            {
                CallId = "retry", Queue = Queue, Number = "13812345678", Priority = nameof(CallPriority.Normal), QueuedAt = queuedAt, RequestedAt = queuedAt,
            }), Is.True);
            Assert.That(await before.Store.MoveAsync("retry", CallbackState.Pending, CallbackState.Placing, queuedAt), Is.True);
            Assert.That(await before.Store.RetryLaterAsync("retry", due, queuedAt + TimeSpan.FromMinutes(5)), Is.True);
        }
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(queuedAt + TimeSpan.FromMinutes(6));
        await using var after = await StartAsync(clock);
        Assert.Multiple(() =>
        {
            Assert.That(after.Acd.Waiting("retry"), Is.Null, "not yet due: not in the queue");
            Assert.That(after.Services.GetRequiredService<CallbackRetries>().DueAt("retry"), Is.EqualTo(due), "scheduled for its next attempt");
            Assert.That(after.Desk.Find("retry"), Is.Not.Null, "its desk call is rebuilt for the agent who calls back");
        });
        Assert.That(after.Acd.Enqueue(new CallRequest { CallId = "live", Queue = Queue, Caller = "13900001111" }).Ok, Is.True);
        clock.Advance(due - clock.GetUtcNow() - TimeSpan.FromSeconds(1));
        Assert.That(after.Acd.Waiting("retry"), Is.Null, "a second early");
        clock.Advance(TimeSpan.FromSeconds(1));
        var restored = after.Acd.Waiting("retry");
        Assert.Multiple(() =>
        {
            Assert.That(restored, Is.Not.Null, "enqueued once due");
            Assert.That(restored!.Callback, Is.True);
            Assert.That(restored.ArrivedAt, Is.EqualTo(queuedAt), "at its first queue time");
            Assert.That(after.Acd.Position("retry")!.Position, Is.EqualTo(1), "ahead of the call that came after it");
        });
        after.Acd.SetAgentState("1001", AgentState.Available);
        await Until(() => after.Leg.Offers.Count == 1, "the due callback offered");
        Assert.That(after.Leg.Offers.Single().CallId, Is.EqualTo("retry"));
    }
}
