using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telephony.Host.Agents;
using Telephony.Tickets.Domain;

namespace Telephony.Host.Tests.Desk;

public class DeskFinalizeTests
{
    private const string Caller = "13812345678";
    private DeskHost host = null!;
    private HttpClient agent = null!;
    private readonly ConcurrentQueue<DeskFinalized> finalized = new();

    [SetUp]
    public async Task Start()
    {
        host = await DeskHost.StartAsync();
        host.Desk.Finalized += finalized.Enqueue;
        agent = await host.LoginAsync();
        await agent.PostAsJsonAsync("/api/desk/state", new { state = "Available" });
    }

    [TearDown]
    public async Task Stop()
    {
        agent.Dispose();
        finalized.Clear();
        await host.DisposeAsync();
    }

    private async Task<DeskCall> AnsweredCallAsync(string callId, bool withDraft = true)
    {
        var call = await host.QueueCallAsync(callId, Caller, DeskScreenPopTests.Transcript, withDraft);
        await DeskHost.WaitUntilAsync(() => host.Leg.Offers.Any(o => o.CallId == callId), "the offer");
        host.Leg.Answer(callId);
        await DeskHost.WaitUntilAsync(() => host.Acd.Agent(DeskHost.AgentId)!.State == Telephony.Agents.Model.AgentState.OnCall, "the answer");
        return call;
    }

    private static object Edited(string status = "Accepted", int? expectedVersion = 1, string? department = "区城管局", string type = "Help",
        object? category = null) => new
    {
        title = "幸福路小区门口路灯损坏", description = "来电人反映小区门口路灯坏了一周，夜间老人出行不安全，请尽快维修。",
        category = category ?? new { level1 = "城乡建设" }, department, urgency = "Urgent", type, status, expectedVersion,
    };

    [Test]
    public async Task Finalize_updates_the_draft_accepts_it_with_the_agent_in_history_and_tells_the_call_side()
    {
        var call = await AnsweredCallAsync("call-fin-1");
        var response = await agent.PostAsJsonAsync($"/api/desk/calls/{call.CallId}/finalize", Edited());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        Assert.That(body.GetProperty("code").GetString(), Is.EqualTo(call.DraftCode));
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("Accepted"));

        var order = (await host.Store.GetByCodeAsync(call.DraftCode!))!;
        Assert.That(order.Status, Is.EqualTo(TicketStatus.Accepted));
        Assert.That(order.Title, Is.EqualTo("幸福路小区门口路灯损坏"));
        Assert.That(order.Category!.Level1, Is.EqualTo("城乡建设"));
        Assert.That(order.Department, Is.EqualTo("区城管局"));
        Assert.That(order.Urgency, Is.EqualTo(Urgency.Urgent));
        Assert.That(order.Type, Is.EqualTo(TicketType.Help));
        Assert.That(order.Transcript, Is.EqualTo(DeskScreenPopTests.Transcript), "what the citizen said is kept");
        Assert.That(order.RecordingRef, Is.EqualTo(call.RecordingPath));
        Assert.That(order.AcceptedAt, Is.Not.Null);

        var history = await host.Store.HistoryAsync(order.Id);
        Assert.That(history.Single(h => h.Kind == HistoryKind.Transition && h.To == TicketStatus.Accepted).Actor, Is.EqualTo(DeskHost.AgentId));
        Assert.That(history.Single(h => h.Kind == HistoryKind.Note).Actor, Is.EqualTo(DeskHost.AgentId));
        Assert.That(history.Single(h => h.Kind == HistoryKind.Note).Note, Does.Contain("标题"));

        Assert.That(finalized.Single(), Is.EqualTo(new DeskFinalized(call.CallId, DeskHost.AgentId, call.DraftCode!, "Accepted")));
    }

    [Test]
    public async Task Finalize_to_dispatched_moves_the_order_on_to_the_department()
    {
        var call = await AnsweredCallAsync("call-fin-2");
        var response = await agent.PostAsJsonAsync($"/api/desk/calls/{call.CallId}/finalize", Edited(status: "Dispatched"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var order = (await host.Store.GetByCodeAsync(call.DraftCode!))!;
        Assert.That(order.Status, Is.EqualTo(TicketStatus.Dispatched));
        var history = await host.Store.HistoryAsync(order.Id);
        Assert.That(history.Where(h => h.Kind == HistoryKind.Transition).Select(h => (h.To, h.Actor)),
            Is.EqualTo(new[] { (TicketStatus.Accepted, DeskHost.AgentId), (TicketStatus.Dispatched, DeskHost.AgentId) }));
        Assert.That(finalized.Single().Status, Is.EqualTo("Dispatched"));
    }

    [Test]
    public async Task Without_a_draft_finalize_creates_the_order_accepted()
    {
        var call = await AnsweredCallAsync("call-fin-3", withDraft: false);
        var response = await agent.PostAsJsonAsync($"/api/desk/calls/{call.CallId}/finalize", Edited(expectedVersion: null));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var order = (await host.Store.GetByCodeAsync(body.GetProperty("code").GetString()!))!;
        Assert.That(order.Status, Is.EqualTo(TicketStatus.Accepted));
        Assert.That(order.Caller.Phone, Is.EqualTo(Caller));
        Assert.That(order.Transcript, Is.EqualTo(DeskScreenPopTests.Transcript));
        Assert.That((await host.Store.HistoryAsync(order.Id)).Single().Actor, Is.EqualTo(DeskHost.AgentId));
        Assert.That(finalized.Single().QueryCode, Is.EqualTo(order.Code));
    }

    private static IEnumerable<TestCaseData> BadBodies()
    {
        yield return new TestCaseData(new { title = "t", description = "d", urgency = "Normal", status = "Accepted", expectedVersion = 1 }, "type is required").SetName("Finalize_without_type_is_400");
        yield return new TestCaseData(new { title = "t", description = "d", urgency = "Normal", type = "Help", status = "Closed", expectedVersion = 1 }, "status must be").SetName("Finalize_to_closed_is_400");
        yield return new TestCaseData(new { title = "", description = "d", urgency = "Normal", type = "Help", status = "Accepted", expectedVersion = 1 }, "title is required").SetName("Finalize_without_title_is_400");
        yield return new TestCaseData(new { title = "t", description = "d", urgency = "Normal", type = "Help", status = "Dispatched", expectedVersion = 1 }, "department").SetName("Dispatch_without_department_is_400");
        yield return new TestCaseData(new { title = "t", description = "d", urgency = "Normal", type = "Help", status = "Accepted" }, "expectedVersion").SetName("Finalize_of_a_draft_without_version_is_400");
    }

    [TestCaseSource(nameof(BadBodies))]
    public async Task Bad_finalize_is_400_with_a_message_and_changes_nothing(object body, string message)
    {
        var call = await AnsweredCallAsync("call-bad");
        var response = await agent.PostAsJsonAsync($"/api/desk/calls/{call.CallId}/finalize", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), Does.Contain(message));
        await AssertUnchangedAsync(call);
    }

    [Test]
    public async Task Malformed_json_is_400()
    {
        var call = await AnsweredCallAsync("call-json");
        var response = await agent.PostAsync($"/api/desk/calls/{call.CallId}/finalize", new StringContent("{\"title\":", System.Text.Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        await AssertUnchangedAsync(call);
    }

    [Test]
    public async Task A_category_outside_the_taxonomy_is_400()
    {
        if (!File.Exists(Path.Combine(Telephony.Testing.RepositoryPaths.Shared, "data", "hotline-messages", "taxonomy.csv")))
            Assert.Fail("The shared data set's taxonomy.csv is missing: run ./hotline setup.");
        var call = await AnsweredCallAsync("call-cat");
        var response = await agent.PostAsJsonAsync($"/api/desk/calls/{call.CallId}/finalize", Edited(category: new { level1 = "不存在的分类" }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), Does.Contain("taxonomy"));
        await AssertUnchangedAsync(call);
    }

    [Test]
    public async Task Unknown_call_is_404()
    {
        var response = await agent.PostAsJsonAsync("/api/desk/calls/no-such-call/finalize", Edited());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Another_agents_call_is_409_and_changes_nothing()
    {
        var call = await AnsweredCallAsync("call-other");
        using var other = await host.LoginAsync(DeskHost.OtherAgentId, DeskHost.OtherPassword);
        var response = await other.PostAsJsonAsync($"/api/desk/calls/{call.CallId}/finalize", Edited());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), Does.Contain("not yours"));
        await AssertUnchangedAsync(call);
    }

    [Test]
    public async Task A_ringing_call_cannot_be_finalized_before_it_is_answered()
    {
        var call = await host.QueueCallAsync("call-ringing", Caller, DeskScreenPopTests.Transcript);
        await DeskHost.WaitUntilAsync(() => host.Leg.Offers.Any(o => o.CallId == call.CallId), "the offer");
        var response = await agent.PostAsJsonAsync($"/api/desk/calls/{call.CallId}/finalize", Edited());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        await AssertUnchangedAsync(call);
    }

    [Test]
    public async Task A_draft_changed_meanwhile_is_409_and_keeps_the_other_change()
    {
        var call = await AnsweredCallAsync("call-stale");
        var draft = (await host.Store.GetByCodeAsync(call.DraftCode!))!;
        using var staff = host.NewClient();
        var assign = await staff.PostAsJsonAsync($"/api/tickets/{draft.Id}/assign", new { department = "区住建局", expectedVersion = 1, actor = "supervisor" });
        Assert.That(assign.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var response = await agent.PostAsJsonAsync($"/api/desk/calls/{call.CallId}/finalize", Edited(expectedVersion: 1));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), Does.Contain("changed meanwhile"));
        var now = (await host.Store.GetByCodeAsync(call.DraftCode!))!;
        Assert.That((now.Status, now.Version, now.Department), Is.EqualTo((TicketStatus.Draft, 2, "区住建局")));
        Assert.That(finalized, Is.Empty);

        var retry = await agent.PostAsJsonAsync($"/api/desk/calls/{call.CallId}/finalize", Edited(expectedVersion: 2));
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK), "after a reload the agent finalizes");
    }

    [Test]
    public async Task A_second_finalize_is_409()
    {
        var call = await AnsweredCallAsync("call-twice");
        Assert.That((await agent.PostAsJsonAsync($"/api/desk/calls/{call.CallId}/finalize", Edited())).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var again = await agent.PostAsJsonAsync($"/api/desk/calls/{call.CallId}/finalize", Edited(expectedVersion: 3));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(finalized, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Finalize_in_wrap_up_after_the_caller_hung_up_still_works()
    {
        var call = await AnsweredCallAsync("call-wrap");
        Assert.That(host.Acd.CallEnded(call.CallId).Ok, Is.True);
        host.Desk.Remove(call.CallId);   // the call side forgets the call when it ends
        var pop = await agent.GetAsync($"/api/desk/calls/{call.CallId}");
        Assert.That(pop.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the agent still sees the call in wrap-up");
        var response = await agent.PostAsJsonAsync($"/api/desk/calls/{call.CallId}/finalize", Edited());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await host.Store.GetByCodeAsync(call.DraftCode!))!.Status, Is.EqualTo(TicketStatus.Accepted));
        Assert.That(finalized.Single().CallId, Is.EqualTo(call.CallId));
    }

    private async Task AssertUnchangedAsync(DeskCall call)
    {
        var draft = (await host.Store.GetByCodeAsync(call.DraftCode!))!;
        Assert.That((draft.Status, draft.Version), Is.EqualTo((TicketStatus.Draft, 1)));
        Assert.That(finalized, Is.Empty);
    }
}
