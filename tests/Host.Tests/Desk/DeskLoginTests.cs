using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telephony.Agents.Model;

namespace Telephony.Host.Tests.Desk;

public class DeskLoginTests
{
    private DeskHost host = null!;

    [SetUp]
    public async Task Start() => host = await DeskHost.StartAsync();

    [TearDown]
    public async Task Stop() => await host.DisposeAsync();

    [TestCase(DeskHost.AgentId, "wrong-password")]
    [TestCase("9999", DeskHost.AgentPassword)]
    [TestCase(DeskHost.AgentId, DeskHost.OtherPassword)]
    public async Task Wrong_login_is_401_opens_no_session_and_changes_nothing(string agentId, string password)
    {
        using var client = host.NewClient();
        var response = await client.PostAsJsonAsync("/api/desk/login", new { agentId, password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), Does.Contain("Wrong agent id or password"));
        Assert.That(response.Headers.Contains("Set-Cookie"), Is.False);
        Assert.That((await client.GetAsync("/api/desk/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var state = await client.PostAsJsonAsync("/api/desk/state", new { state = "Available" });
        Assert.That(state.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(host.Acd.Agent(DeskHost.AgentId)!.State, Is.EqualTo(AgentState.Offline));
    }

    [Test]
    public async Task Login_attempts_past_the_limit_get_429_even_with_the_right_password()
    {
        await host.DisposeAsync();
        host = await DeskHost.StartAsync(loginPermitsPerMinute: 3);
        using var client = host.NewClient();
        for (var i = 0; i < 3; i++)
            Assert.That((await client.PostAsJsonAsync("/api/desk/login", new { agentId = DeskHost.AgentId, password = "guess" + i })).StatusCode,
                Is.EqualTo(HttpStatusCode.Unauthorized));
        var blocked = await client.PostAsJsonAsync("/api/desk/login", new { agentId = DeskHost.AgentId, password = DeskHost.AgentPassword });
        Assert.That(blocked.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That((await client.GetAsync("/api/desk/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Login_without_a_password_is_400()
    {
        using var client = host.NewClient();
        var response = await client.PostAsJsonAsync("/api/desk/login", new { agentId = DeskHost.AgentId });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Desk_endpoints_need_a_login()
    {
        using var client = host.NewClient();
        foreach (var path in new[] { "/api/desk/me", "/api/desk/events", "/api/desk/calls/c1", "/api/desk/calls/c1/recording" })
            Assert.That((await client.GetAsync(path)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), path);
        var finalize = await client.PostAsJsonAsync("/api/desk/calls/c1/finalize", new { title = "t" });
        Assert.That(finalize.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Logged_in_agent_goes_available_paused_with_a_reason_then_offline()
    {
        using var client = await host.LoginAsync();
        var me = await client.GetFromJsonAsync<JsonElement>("/api/desk/me");
        Assert.That(me.GetProperty("name").GetString(), Is.EqualTo("张坐席"));

        var available = await client.PostAsJsonAsync("/api/desk/state", new { state = "Available" });
        Assert.That(available.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(host.Acd.Agent(DeskHost.AgentId)!.State, Is.EqualTo(AgentState.Available));

        var noReason = await client.PostAsJsonAsync("/api/desk/state", new { state = "Paused" });
        Assert.That(noReason.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(host.Acd.Agent(DeskHost.AgentId)!.State, Is.EqualTo(AgentState.Available));

        var paused = await (await client.PostAsJsonAsync("/api/desk/state", new { state = "paused", reason = "午餐" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(paused.GetProperty("state").GetString(), Is.EqualTo("Paused"));
        Assert.That(paused.GetProperty("pauseReason").GetString(), Is.EqualTo("午餐"));

        var offline = await client.PostAsJsonAsync("/api/desk/state", new { state = "Offline" });
        Assert.That(offline.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(host.Acd.Agent(DeskHost.AgentId)!.State, Is.EqualTo(AgentState.Offline));
        Assert.That(host.Acd.Agent(DeskHost.OtherAgentId)!.State, Is.EqualTo(AgentState.Offline), "only the logged-in agent changes");
    }

    [TestCase("OnCall")]
    [TestCase("WrapUp")]
    [TestCase("Ringing")]
    [TestCase("2")]
    public async Task States_of_the_acd_cannot_be_asked_for_at_the_desk(string state)
    {
        using var client = await host.LoginAsync();
        var response = await client.PostAsJsonAsync("/api/desk/state", new { state });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), Does.Contain("Available, Paused, Offline"));
        Assert.That(host.Acd.Agent(DeskHost.AgentId)!.State, Is.EqualTo(AgentState.Offline));
    }

    [Test]
    public async Task Logout_ends_the_session_and_takes_an_available_agent_offline()
    {
        using var client = await host.LoginAsync();
        await client.PostAsJsonAsync("/api/desk/state", new { state = "Available" });
        Assert.That((await client.PostAsync("/api/desk/logout", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(host.Acd.Agent(DeskHost.AgentId)!.State, Is.EqualTo(AgentState.Offline));
        Assert.That((await client.GetAsync("/api/desk/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
