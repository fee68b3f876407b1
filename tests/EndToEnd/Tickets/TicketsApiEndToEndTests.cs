using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Telephony.EndToEnd.Tickets;

/// <summary>The work-order API of a real host process, over HTTP on 127.0.0.1.</summary>
[TestFixture]
public class TicketsApiEndToEndTests
{
    private TicketsHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await TicketsHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public void Serve_migrated_the_fresh_database_at_start()
    {
        // The host started on an empty SQLite file: serve applied the schema itself (Database:MigrateOnStart defaults on).
        Assert.That(_host.Engine.Output, Does.Contain("Database migration 1 work_orders applied (sqlite)"), _host.Engine.Output);
    }

    [Test]
    public async Task Order_is_created_dispatched_and_found_by_its_code()
    {
        var created = await _host.CreateAsync();
        Assert.That(created["status"]!.GetValue<string>(), Is.EqualTo("Accepted"));
        Assert.That(created["code"]!.GetValue<string>(), Has.Length.EqualTo(10));
        var dispatched = await _host.MoveAsync(created, "Dispatched");
        Assert.That(dispatched["version"]!.GetValue<int>(), Is.EqualTo(2));
        var found = await _host.Http.GetFromJsonAsync<JsonObject>($"/api/tickets?code={created["code"]}");
        Assert.That(found!["total"]!.GetValue<long>(), Is.EqualTo(1));
        var history = await _host.Http.GetFromJsonAsync<JsonArray>($"/api/tickets/{created["id"]}/history");
        Assert.That(history!.Select(h => h!["to"]!.GetValue<string>()), Is.EqualTo(new[] { "Accepted", "Dispatched" }));
    }

    [Test]
    public async Task Illegal_transition_gets_409_with_the_reason_and_changes_nothing()
    {
        var created = await _host.CreateAsync();
        var (status, body) = await _host.PostAsync($"/api/tickets/{created["id"]}/transitions", new { to = "Closed", expectedVersion = 1, actor = "agent1" });
        Assert.That(status, Is.EqualTo(409));
        Assert.That(body!["error"]!.GetValue<string>(), Does.Contain("Accepted → Closed"));
        var read = await _host.Http.GetFromJsonAsync<JsonObject>($"/api/tickets/{created["id"]}");
        Assert.That(read!["version"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Stale_version_gets_409()
    {
        var created = await _host.CreateAsync();
        await _host.MoveAsync(created, "Dispatched");
        var (status, body) = await _host.PostAsync($"/api/tickets/{created["id"]}/assign", new { department = "区环保局", expectedVersion = 1, actor = "agent2" });
        Assert.That(status, Is.EqualTo(409));
        Assert.That(body!["error"]!.GetValue<string>(), Does.Contain("version 2"));
    }

    [TestCase("{\"type\":\"Complaint\"", "not valid JSON")]
    [TestCase("{\"type\":\"Bogus\",\"title\":\"t\",\"description\":\"d\",\"actor\":\"a\"}", "not valid JSON")]
    [TestCase("{\"type\":\"Complaint\",\"description\":\"d\",\"actor\":\"a\",\"callerPhone\":\"13800000000\"}", "title is required")]
    [TestCase("{\"type\":\"Complaint\",\"title\":\"t\",\"description\":\"d\",\"actor\":\"a\",\"callerPhone\":\"138abc\"}", "callerPhone")]
    [TestCase("{\"title\":\"t\",\"description\":\"d\",\"actor\":\"a\"}", "type is required")]
    public async Task Bad_create_gets_400_with_a_message_and_creates_nothing(string json, string expected)
    {
        var before = (await _host.Http.GetFromJsonAsync<JsonObject>("/api/tickets?pageSize=1"))!["total"]!.GetValue<long>();
        var response = await _host.Http.PostAsync("/api/tickets", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(expected));
        var after = (await _host.Http.GetFromJsonAsync<JsonObject>("/api/tickets?pageSize=1"))!["total"]!.GetValue<long>();
        Assert.That(after, Is.EqualTo(before));
    }

    [TestCase("status=Nope", "status")]
    [TestCase("pageSize=500", "pageSize")]
    [TestCase("from=yesterday", "from")]
    public async Task Bad_search_gets_400(string query, string expected)
    {
        var response = await _host.Http.GetAsync($"/api/tickets?{query}");
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(expected));
    }

    [Test]
    public async Task Unknown_order_gets_404()
    {
        var response = await _host.Http.GetAsync("/api/tickets/999999");
        Assert.That((int)response.StatusCode, Is.EqualTo(404));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>(), Does.Contain("No work order 999999"));
        var (status, body) = await _host.PostAsync("/api/tickets/999999/notes", new { actor = "a", note = "n" });
        Assert.That(status, Is.EqualTo(404));
        Assert.That(body!["error"]!.GetValue<string>(), Does.Contain("999999"));
    }

    [Test]
    public async Task OpenApi_document_describes_every_ticket_endpoint()
    {
        var doc = await _host.Http.GetFromJsonAsync<JsonObject>("/openapi/v1.json");
        Assert.That(doc!["openapi"]!.GetValue<string>(), Does.StartWith("3."));
        var paths = doc["paths"]!.AsObject();
        var expected = new Dictionary<string, string[]>
        {
            ["/api/tickets"] = ["get", "post"],
            ["/api/tickets/{id}"] = ["get"],
            ["/api/tickets/{id}/history"] = ["get"],
            ["/api/tickets/{id}/transitions"] = ["post"],
            ["/api/tickets/{id}/assign"] = ["post"],
            ["/api/tickets/{id}/notes"] = ["post"],
            ["/api/progress"] = ["get"],
        };
        foreach (var (path, methods) in expected)
        {
            var key = paths.Select(p => p.Key).FirstOrDefault(k => k.TrimEnd('/') == path);
            Assert.That(key, Is.Not.Null, $"{path} missing; document has {string.Join(", ", paths.Select(p => p.Key))}");
            foreach (var m in methods) Assert.That(paths[key!]![m], Is.Not.Null, $"{m} {path}");
        }
        Assert.That(paths.First(p => p.Key.EndsWith("/transitions")).Value!["post"]!["responses"]!["409"], Is.Not.Null);
    }

    [Test]
    public async Task Progress_needs_the_right_phone_suffix_and_shows_no_personal_data()
    {
        var created = await _host.CreateAsync(phone: "13912348765");
        var code = created["code"]!.GetValue<string>();
        var ok = await _host.Http.GetAsync($"/api/progress?code={code}&phone4=8765");
        var text = await ok.Content.ReadAsStringAsync();
        Assert.That((int)ok.StatusCode, Is.EqualTo(200), text);
        Assert.That(text, Does.Contain("已受理"));
        Assert.That(text, Does.Not.Contain("1391234").And.Not.Contain("王小明").And.Not.Contain("幸福路"));
        Assert.That((int)(await _host.Http.GetAsync($"/api/progress?code={code}&phone4=0000")).StatusCode, Is.EqualTo(404));
        Assert.That((int)(await _host.Http.GetAsync($"/api/progress?code=12345&phone4=8765")).StatusCode, Is.EqualTo(400));
    }
}

/// <summary>The progress query is rate-limited per client: its own host, with a small limit.</summary>
[TestFixture]
public class TicketsProgressRateLimitTests
{
    [Test]
    public async Task Progress_queries_past_the_limit_get_429()
    {
        await using var host = await TicketsHost.StartAsync(progressPermitsPerMinute: 3);
        var codes = new List<int>();
        for (var i = 0; i < 5; i++) codes.Add((int)(await host.Http.GetAsync("/api/progress?code=1234567890&phone4=1234")).StatusCode);
        Assert.That(codes.Take(3), Has.None.EqualTo(429));
        Assert.That(codes.Skip(3), Is.All.EqualTo(429));
        // Per client address: another address (127.0.0.2, still loopback) has its own allowance.
        using var other = new HttpClient(new SocketsHttpHandler { ConnectCallback = FromAddress("127.0.0.2") }) { BaseAddress = new Uri(host.BaseUrl) };
        Assert.That((int)(await other.GetAsync("/api/progress?code=1234567890&phone4=1234")).StatusCode, Is.Not.EqualTo(429));
        Assert.That((int)(await host.Http.GetAsync("/api/progress?code=1234567890&phone4=1234")).StatusCode, Is.EqualTo(429), "the first client stays limited");
    }

    private static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> FromAddress(string address) => async (context, cancel) =>
    {
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(address), 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancel);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    };
}
