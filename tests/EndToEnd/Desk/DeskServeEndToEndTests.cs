using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telephony.EndToEnd.Engine;
using Telephony.Testing;

namespace Telephony.EndToEnd.Desk;

/// <summary>
/// The desktop as `serve` runs it (its own process, configured through environment variables like an operator
/// does): the page is served, the seat's desk password logs in, the state reaches the ACD. Offers need the SIP
/// agent leg, which `serve` does not have yet: <see cref="DeskPageEndToEndTests"/> drives those in-process.
/// </summary>
[TestFixture]
public class DeskServeEndToEndTests
{
    private const string Password = "desk-serve-pass";
    private string directory = null!;
    private EngineProcess engine = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        directory = RepositoryPaths.NewScratchDirectory("desk-serve");
        engine = await EngineProcess.StartAsync(extra: new Dictionary<string, string>
        {
            ["TELEPHONY_Database__Provider"] = "sqlite",
            ["TELEPHONY_Database__ConnectionString"] = $"Data Source={Path.Combine(directory, "tickets.db")}",
            ["TELEPHONY_Agents__Seats__0__Id"] = "1001",
            ["TELEPHONY_Agents__Seats__0__Name"] = "张坐席",
            ["TELEPHONY_Agents__Seats__0__SipUser"] = EngineProcess.AgentUser,
            ["TELEPHONY_Agents__Seats__0__DeskPassword"] = Password,
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (engine is not null) await engine.DisposeAsync();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }

    [Test]
    public async Task Serve_refuses_a_wrong_desk_password_with_401()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{engine.HttpPort}") };
        var response = await http.PostAsJsonAsync("/api/desk/login", new { agentId = "1001", password = EngineProcess.AgentPassword });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the SIP password does not open the desk");
    }

    [Test]
    public async Task The_page_served_by_serve_logs_in_and_goes_available_in_the_acd()
    {
        await using var chromium = await HeadlessChromium.StartAsync();
        var page = await chromium.NewPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{engine.HttpPort}/desk");
        await page.FillAsync("#agent-id", "1001");
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#login-btn");
        await page.WaitForSelectorAsync("#desk:not([hidden])", new() { Timeout = 10000 });
        await page.ClickAsync("#btn-available");
        await page.WaitForSelectorAsync("#state[data-state='Available']", new() { Timeout = 10000 });

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{engine.HttpPort}") };
        var agent = await http.GetFromJsonAsync<JsonElement>("/api/agents/1001");
        Assert.That(agent.GetProperty("state").GetString(), Is.EqualTo("Available"));

        await page.ClickAsync("#btn-logout");
        await page.WaitForSelectorAsync("#login:not([hidden])", new() { Timeout = 10000 });
        agent = await http.GetFromJsonAsync<JsonElement>("/api/agents/1001");
        Assert.That(agent.GetProperty("state").GetString(), Is.EqualTo("Offline"));
    }
}
