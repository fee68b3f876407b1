using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Telephony.EndToEnd.Engine;
using Telephony.Testing;

namespace Telephony.EndToEnd.Tickets;

/// <summary>The real host (<c>serve</c>) on a fresh SQLite file in a scratch folder, with an HTTP client for its API.</summary>
public sealed class TicketsHost : IAsyncDisposable
{
    private readonly string _directory;
    public EngineProcess Engine { get; }
    public HttpClient Http { get; }
    public string BaseUrl => $"http://127.0.0.1:{Engine.HttpPort}";

    private TicketsHost(string directory, EngineProcess engine)
    {
        _directory = directory;
        Engine = engine;
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
    }

    public static async Task<TicketsHost> StartAsync(int progressPermitsPerMinute = 30)
    {
        var directory = RepositoryPaths.NewScratchDirectory("tickets");
        var engine = await EngineProcess.StartAsync(extra: new Dictionary<string, string>
        {
            ["TELEPHONY_Database__Provider"] = "sqlite",
            ["TELEPHONY_Database__ConnectionString"] = $"Data Source={Path.Combine(directory, "tickets.db")}",
            ["TELEPHONY_Tickets__Progress__PermitsPerMinute"] = progressPermitsPerMinute.ToString(),
        });
        return new TicketsHost(directory, engine);
    }

    public async Task<JsonObject> CreateAsync(string phone = "13812345678", bool accept = true)
    {
        var response = await Http.PostAsJsonAsync("/api/tickets", new
        {
            channel = "Phone", callerPhone = phone, callerName = "王小明", type = "Complaint", title = "小区路灯不亮",
            description = "幸福路8号小区门口路灯坏了一周", location = "A市A3区幸福路8号", department = "区城管局", accept, actor = "agent1",
        });
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public async Task<(int Status, JsonNode? Body)> PostAsync(string path, object body)
    {
        var response = await Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    public async Task<JsonObject> MoveAsync(JsonObject ticket, string to, string? note = null)
    {
        var (status, body) = await PostAsync($"/api/tickets/{ticket["id"]}/transitions",
            new { to, expectedVersion = (int)ticket["version"]!, actor = "agent1", note, department = "区城管局" });
        Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
        return body!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Engine.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
