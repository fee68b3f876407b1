using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telephony.Intake;

namespace Telephony.Host.Tests.Desk;

public class DeskScreenPopTests
{
    public const string Caller = "13812345678";
    public const string Transcript = "我家小区门口的路灯坏了一个星期了，晚上很黑，老人出门不安全，希望尽快修好。";
    private DeskHost host = null!;

    [SetUp]
    public async Task Start() => host = await DeskHost.StartAsync();

    [TearDown]
    public async Task Stop() => await host.DisposeAsync();

    private async Task<HttpClient> AvailableAgentAsync(string id = DeskHost.AgentId, string password = DeskHost.AgentPassword)
    {
        var client = await host.LoginAsync(id, password);
        var response = await client.PostAsJsonAsync("/api/desk/state", new { state = "Available" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return client;
    }

    [Test]
    public async Task Offered_call_pops_with_masked_number_transcript_proposal_and_draft()
    {
        using var agent = await AvailableAgentAsync();
        var call = await host.QueueCallAsync("call-pop-1", Caller, Transcript);
        await DeskHost.WaitUntilAsync(() => host.Leg.Offers.Any(o => o.CallId == call.CallId), "the offer to ring the agent");

        var response = await agent.GetAsync($"/api/desk/calls/{call.CallId}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(text, Does.Not.Contain(Caller), "the whole number never leaves the process");
        var pop = JsonDocument.Parse(text).RootElement;
        Assert.That(pop.GetProperty("caller").GetString(), Is.EqualTo("138****5678"));
        Assert.That(pop.GetProperty("transcript").GetString(), Is.EqualTo(Transcript));
        Assert.That(pop.GetProperty("answered").GetBoolean(), Is.False);
        Assert.That(pop.GetProperty("recordingUrl").GetString(), Is.EqualTo($"/api/desk/calls/{call.CallId}/recording"));

        var proposal = pop.GetProperty("proposal");
        var expected = host.App.Services.GetRequiredService<IntakeAnalyzer>().Analyze(Transcript);
        var categories = proposal.GetProperty("categories");
        Assert.That(categories.GetArrayLength(), Is.EqualTo(Math.Min(3, expected.Categories.Count)));
        if (expected.Categories.Count > 0)
            Assert.That(categories[0].GetProperty("category").GetString(), Is.EqualTo(expected.Categories[0].Category));
        Assert.That(proposal.GetProperty("department").GetString(), Is.EqualTo(expected.Department.Department).And.Not.Empty);
        Assert.That(proposal.GetProperty("departmentRule").GetString(), Is.EqualTo(expected.Department.RuleId));
        Assert.That(proposal.GetProperty("emergency").GetBoolean(), Is.EqualTo(expected.Emergency.IsEmergency));
        Assert.That(proposal.GetProperty("urgent").GetBoolean(), Is.EqualTo(expected.Urgency.IsUrgent));
        Assert.That(proposal.TryGetProperty("similarOrders", out var similar) && similar.ValueKind == JsonValueKind.Array, Is.True);

        var draft = pop.GetProperty("draft");
        Assert.That(draft.GetProperty("code").GetString(), Is.EqualTo(call.DraftCode));
        Assert.That(draft.GetProperty("status").GetString(), Is.EqualTo("Draft"));
        Assert.That(draft.GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(draft.GetProperty("description").GetString(), Is.EqualTo(Transcript));
    }

    [Test]
    public async Task Recording_is_served_only_to_the_agent_the_call_was_offered_to()
    {
        using var agent = await AvailableAgentAsync();
        using var other = await host.LoginAsync(DeskHost.OtherAgentId, DeskHost.OtherPassword);
        var call = await host.QueueCallAsync("call-rec-1", Caller, Transcript);
        await DeskHost.WaitUntilAsync(() => host.Leg.Offers.Any(o => o.CallId == call.CallId), "the offer");

        var wav = await agent.GetAsync($"/api/desk/calls/{call.CallId}/recording");
        Assert.That(wav.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(wav.Content.Headers.ContentType!.MediaType, Is.EqualTo("audio/wav"));
        var bytes = await wav.Content.ReadAsByteArrayAsync();
        Assert.That(bytes, Is.EqualTo(await File.ReadAllBytesAsync(call.RecordingPath!)));

        Assert.That((await other.GetAsync($"/api/desk/calls/{call.CallId}/recording")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await other.GetAsync($"/api/desk/calls/{call.CallId}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using var anonymous = host.NewClient();
        Assert.That((await anonymous.GetAsync($"/api/desk/calls/{call.CallId}/recording")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await agent.GetAsync("/api/desk/calls/no-such-call/recording")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_call_without_transcript_pops_without_proposal_and_without_draft()
    {
        using var agent = await AvailableAgentAsync();
        var call = await host.QueueCallAsync("call-bare-1", Caller, transcript: null, withDraft: false, withRecording: false);
        await DeskHost.WaitUntilAsync(() => host.Leg.Offers.Any(o => o.CallId == call.CallId), "the offer");
        var pop = await agent.GetFromJsonAsync<JsonElement>($"/api/desk/calls/{call.CallId}");
        Assert.That(pop.GetProperty("proposal").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(pop.GetProperty("draft").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(pop.GetProperty("recordingUrl").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task An_offer_the_agent_did_not_answer_is_no_longer_theirs()
    {
        using var first = await AvailableAgentAsync();
        var call = await host.QueueCallAsync("call-miss-1", Caller, Transcript);
        await DeskHost.WaitUntilAsync(() => host.Leg.Offers.Count == 1, "the first offer");
        var firstAgent = host.Leg.Offers.Single().AgentId;
        Assert.That(firstAgent, Is.EqualTo(DeskHost.AgentId));
        host.Leg.Answer(call.CallId, Telephony.Agents.Offers.OfferOutcome.NoAnswer);
        await DeskHost.WaitUntilAsync(() => host.Acd.Agent(DeskHost.AgentId)!.State == Telephony.Agents.Model.AgentState.Available, "the agent back to available");
        Assert.That((await first.GetAsync($"/api/desk/calls/{call.CallId}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
