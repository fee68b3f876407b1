using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Telephony.Agents.Acd;
using Telephony.Agents.Queueing;
using Telephony.Host.Commands;
using Telephony.Testing;

namespace Telephony.Host.Tests;

public class AgentsApiTests
{
    private WebApplication app = null!;
    private HttpClient http = null!;

    [SetUp]
    public async Task Start()
    {
        var port = FreePorts.Next();
        var settings = new Dictionary<string, string?>
        {
            ["Http:Url"] = $"http://127.0.0.1:{port}",
            ["Sip:Listen:0"] = $"udp:127.0.0.1:{FreePorts.Next()}",
            ["Sip:Listen:1"] = "", ["Sip:Listen:2"] = "", ["Sip:Listen:3"] = "",
            ["Database:ConnectionString"] = "Data Source=:memory:",
            ["Database:MigrateOnStart"] = "false",
            ["Accounts:0:User"] = "agent1", ["Accounts:0:Password"] = "secret-1",
            ["Agents:WrapUpSeconds"] = "0",
            ["Agents:Seats:0:Id"] = "1001", ["Agents:Seats:0:Name"] = "Agent 1", ["Agents:Seats:0:SipUser"] = "agent1",
            ["Agents:Seats:0:Skills:0:Kind"] = "Dialect", ["Agents:Seats:0:Skills:0:Name"] = "mandarin", ["Agents:Seats:0:Skills:0:Level"] = "9",
            ["Agents:Seats:1:Id"] = "1002", ["Agents:Seats:1:SipUser"] = "agent2",
        };
        app = ServeCommand.BuildApp(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        await app.StartAsync();
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    [TearDown]
    public async Task Stop()
    {
        http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    [Test]
    public async Task Agents_from_configuration_start_offline_in_the_default_queue()
    {
        var agents = await http.GetFromJsonAsync<JsonElement>("/api/agents");
        Assert.That(agents.GetArrayLength(), Is.EqualTo(2));
        Assert.That(agents[0].GetProperty("id").GetString(), Is.EqualTo("1001"));
        Assert.That(agents[0].GetProperty("sipUser").GetString(), Is.EqualTo("agent1"));
        Assert.That(agents[0].GetProperty("state").GetString(), Is.EqualTo("Offline"));
        Assert.That(agents[0].GetProperty("queues")[0].GetString(), Is.EqualTo("12345"));
    }

    [Test]
    public async Task Agent_goes_available_then_paused_with_a_reason()
    {
        var ok = await http.PostAsJsonAsync("/api/agents/1001/state", new { state = "Available" });
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var paused = await http.PostAsJsonAsync("/api/agents/1001/state", new { state = "paused", reason = "lunch" });
        var body = await paused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(body.GetProperty("state").GetString(), Is.EqualTo("Paused"));
        Assert.That(body.GetProperty("pauseReason").GetString(), Is.EqualTo("lunch"));
        var queues = await http.GetFromJsonAsync<JsonElement>("/api/queues");
        Assert.That(queues[0].GetProperty("agentsByState").GetProperty("Paused").GetInt32(), Is.EqualTo(1));
    }

    [TestCase("{\"state\":\"OnCall\"}", "ACD")]
    [TestCase("{\"state\":\"Dancing\"}", "state must be one of")]
    [TestCase("{\"state\":\"3\"}", "state must be one of")]
    [TestCase("{\"state\":", "not valid JSON")]
    public async Task Illegal_or_malformed_state_change_is_400_with_a_message_and_changes_nothing(string json, string message)
    {
        var response = await http.PostAsync("/api/agents/1001/state", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), Does.Contain(message));
        var agent = await http.GetFromJsonAsync<JsonElement>("/api/agents/1001");
        Assert.That(agent.GetProperty("state").GetString(), Is.EqualTo("Offline"));
    }

    [Test]
    public async Task Unknown_agent_is_404()
    {
        var response = await http.PostAsJsonAsync("/api/agents/9999/state", new { state = "Available" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Queue_shows_waiting_longest_wait_counts_and_service_level()
    {
        var acd = app.Services.GetRequiredService<AcdEngine>();
        Assert.That(acd.Enqueue(new CallRequest { CallId = "c1", Queue = "12345", Caller = "13812345678" }).Ok, Is.True);
        Assert.That(acd.Enqueue(new CallRequest { CallId = "c2", Queue = "12345" }).Ok, Is.True);
        Assert.That(acd.Abandon("c2", AbandonReason.CallerHungUp).Ok, Is.True);
        var queue = (await http.GetFromJsonAsync<JsonElement>("/api/queues"))[0];
        Assert.That(queue.GetProperty("name").GetString(), Is.EqualTo("12345"));
        Assert.That(queue.GetProperty("waiting").GetInt32(), Is.EqualTo(1));
        Assert.That(queue.GetProperty("offered").GetInt32(), Is.EqualTo(2));
        Assert.That(queue.GetProperty("abandoned").GetInt32(), Is.EqualTo(1));
        Assert.That(queue.GetProperty("serviceLevelSeconds").GetDouble(), Is.EqualTo(15));
        Assert.That(queue.GetProperty("serviceLevel").GetDouble(), Is.EqualTo(0));
        Assert.That(queue.GetProperty("longestWaitSeconds").GetDouble(), Is.GreaterThanOrEqualTo(0));
        Assert.That(queue.GetProperty("abandonedByReason").GetProperty("CallerHungUp").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task State_changes_stream_as_server_sent_events()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var response = await http.GetAsync("/api/acd/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        Assert.That(await reader.ReadLineAsync(cancel.Token), Is.EqualTo("event: Snapshot"));
        Assert.That(await reader.ReadLineAsync(cancel.Token), Does.StartWith("data: ").And.Contain("\"queues\""));
        Assert.That(await reader.ReadLineAsync(cancel.Token), Is.Empty);
        // Subscribed before the snapshot was taken: a change made now is the next event.
        await http.PostAsJsonAsync("/api/agents/1002/state", new { state = "Available" }, cancel.Token);
        Assert.That(await reader.ReadLineAsync(cancel.Token), Is.EqualTo("event: AgentState"));
        var data = await reader.ReadLineAsync(cancel.Token);
        Assert.That(data, Does.StartWith("data: ").And.Contain("\"agentId\":\"1002\"").And.Contain("Available"));
    }
}
