using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Telephony.Host.Api;
using Telephony.Testing;

namespace Telephony.Host.Tests;

/// <summary>The flows admin API on a small app of its own (no SIP engine), over a scratch store seeded from flows/.</summary>
public class FlowsApiTests
{
    private string _dir = "";
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task SetUp()
    {
        _dir = RepositoryPaths.NewScratchDirectory("flows-api");
        var port = FreePorts.Next();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ivr:FlowsFolder"] = Path.Combine(_dir, "flows"),
        }).Build();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddFlows(configuration);
        _app = builder.Build();
        _app.MapFlows();
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    [TearDown]
    public async Task TearDown()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static string Flow(string prompt) => $$"""
        { "name": "test", "start": "a", "nodes": { "a": { "type": "play", "prompts": ["{{prompt}}"], "next": "z" }, "z": { "type": "hangup" } } }
        """;

    [Test]
    public async Task The_default_flow_is_seeded_and_listed()
    {
        var list = await _http.GetStringAsync("/api/flows");
        Assert.That(list, Does.Contain("\"name\":\"12345\"").And.Contain("\"active\":1"));
        var flow = await _http.GetStringAsync("/api/flows/12345");
        Assert.That(flow, Does.Contain("\"globalKeys\""));
    }

    [Test]
    public async Task Save_activate_and_roll_back_a_flow()
    {
        var first = await _http.PostAsync("/api/flows?activate=true", Json(Flow("greeting")));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created), await first.Content.ReadAsStringAsync());
        var second = await _http.PostAsync("/api/flows", Json(Flow("goodbye")));
        Assert.That(await second.Content.ReadAsStringAsync(), Does.Contain("\"version\":2"));
        var activate = await _http.PostAsync("/api/flows/test/activate/2", null);
        Assert.That(activate.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await _http.GetStringAsync("/api/flows/test"), Does.Contain("goodbye"));
        var back = await _http.PostAsync("/api/flows/test/rollback", null);
        Assert.That(await back.Content.ReadAsStringAsync(), Does.Contain("\"version\":1"));
        Assert.That(await _http.GetStringAsync("/api/flows/test"), Does.Contain("greeting"));
    }

    [Test]
    public async Task A_bad_flow_gets_400_naming_the_node_and_the_reason_and_is_not_saved()
    {
        var response = await _http.PostAsync("/api/flows", Json(Flow("no_such_prompt")));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("errors")[0];
        Assert.That(error.GetProperty("node").GetString(), Is.EqualTo("a"));
        Assert.That(error.GetProperty("kind").GetString(), Is.EqualTo("MissingPrompt"));
        Assert.That(error.GetProperty("reason").GetString(), Does.Contain("no_such_prompt"));
        Assert.That((await _http.GetAsync("/api/flows/test")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Validate_answers_without_saving()
    {
        var ok = await _http.PostAsync("/api/flows/validate", Json(Flow("greeting")));
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var bad = await _http.PostAsync("/api/flows/validate", Json("""{ "name": "x", "start": "a", "nodes": { "a": { "type": "teleport", "next": "a" } } }"""));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("teleport"));
        Assert.That(Directory.Exists(Path.Combine(_dir, "flows", "test")), Is.False);
    }
}
