using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Telephony.Host.Commands;
using Telephony.Testing;

namespace Telephony.Host.Tests;

/// <summary>POST /api/intake/proposals through the real serve app, without a trained model (rules, catalogue, index only).</summary>
public class IntakeEndpointsTests
{
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var port = FreePorts.Next();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Http:Url"] = $"http://127.0.0.1:{port}",
                ["Sip:Listen:0"] = $"udp:127.0.0.1:{FreePorts.Next()}",
                ["Sip:Listen:1"] = "", ["Sip:Listen:2"] = "", ["Sip:Listen:3"] = "",
                ["Intake:Model"] = Path.Combine(Path.GetTempPath(), $"no-intake-model-{Guid.NewGuid():N}.zip"),
            })
            .Build();
        _app = ServeCommand.BuildApp(configuration);
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Test]
    public async Task A_fire_report_gets_119_with_its_rule_a_department_and_a_type()
    {
        using var response = await _http.PostAsJsonAsync("/api/intake/proposals", new { text = "快来人啊，我们楼下着火了，浓烟很大" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.That(root.GetProperty("emergency").GetProperty("isEmergency").GetBoolean(), Is.True);
        Assert.That(root.GetProperty("emergency").GetProperty("service").GetString(), Is.EqualTo("119"));
        Assert.That(root.GetProperty("emergency").GetProperty("hits").GetArrayLength(), Is.GreaterThan(0));
        Assert.That(root.GetProperty("department").GetProperty("department").GetString(), Is.Not.Empty);
        Assert.That(root.GetProperty("department").GetProperty("ruleId").GetString(), Is.Not.Empty);
        Assert.That(root.GetProperty("type").GetProperty("confidence").GetDouble(), Is.InRange(0.0, 1.0));
        Assert.That(root.GetProperty("categories").GetArrayLength(), Is.Zero, "no model configured in this test");
        Assert.That(root.GetProperty("similarOrders").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task A_past_fire_that_was_handled_is_not_an_emergency()
    {
        using var response = await _http.PostAsJsonAsync("/api/intake/proposals", new { text = "上次着火的事已经处理了，谢谢" });
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(json.RootElement.GetProperty("emergency").GetProperty("isEmergency").GetBoolean(), Is.False);
    }

    [TestCase("{}", "text is required")]
    [TestCase("{\"text\": \"   \"}", "text is required")]
    [TestCase("{\"text\": \"漏水\", \"similar\": 500}", "similar must be")]
    [TestCase("{\"text\": ", "not valid JSON")]
    public async Task Bad_input_gets_400_with_the_reason(string body, string reason)
    {
        using var response = await _http.PostAsync("/api/intake/proposals", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(reason));
    }

    [Test]
    public async Task A_body_that_is_not_json_is_refused_as_an_unsupported_media_type()
    {
        // The endpoint declares application/json, so routing answers 415 before the handler runs.
        using var response = await _http.PostAsync("/api/intake/proposals", new StringContent("楼下着火了", Encoding.UTF8, "text/plain"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    [Test]
    public async Task The_endpoint_is_in_the_openapi_document()
    {
        var doc = await _http.GetStringAsync("/openapi/v1.json");
        Assert.That(doc, Does.Contain("/api/intake/proposals"));
    }
}
