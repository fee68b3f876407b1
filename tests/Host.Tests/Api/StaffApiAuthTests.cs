using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Telephony.Host.Api;
using Telephony.Host.Commands;
using Telephony.Testing;

namespace Telephony.Host.Tests.Api;

/// <summary>The staff API guard on a small app with the real flows endpoints and one public endpoint.</summary>
public class StaffApiAuthTests
{
    private const string AdminKey = "k3y-for-the-admin-0123456789";
    private static readonly (string Key, string Sha256) Wallboard = StaffApiKeys.NewKey();

    private readonly List<string> dirs = [];

    [TearDown]
    public void TearDown()
    {
        foreach (var dir in dirs) Directory.Delete(dir, recursive: true);
        dirs.Clear();
    }

    private async Task<(WebApplication App, HttpClient Http)> StartAsync(Dictionary<string, string?> settings)
    {
        var dir = RepositoryPaths.NewScratchDirectory("staff-api");
        dirs.Add(dir);
        settings["Ivr:FlowsFolder"] = Path.Combine(dir, "flows");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddFlows(configuration);
        builder.Services.AddStaffApiAuth(configuration);
        var app = builder.Build();
        app.UseStaffApiAuth();
        app.MapFlows();
        app.MapGet("/api/progress", () => Results.Text("public"));
        app.MapGet("/api/whoami", (HttpContext http) => Results.Text((string?)http.Items[StaffApiAuth.ActorItem] ?? "none"));
        await app.StartAsync();
        return (app, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
    }

    private static Dictionary<string, string?> WithKeys() => new()
    {
        ["Api:Keys:0:Name"] = "admin",
        ["Api:Keys:0:Key"] = AdminKey,
        ["Api:Keys:1:Name"] = "wallboard",
        ["Api:Keys:1:Sha256"] = Wallboard.Sha256,
    };

    private static HttpRequestMessage Get(string path, string? bearer = null, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    private static StringContent Flow() => new("""
        { "name": "probe", "start": "a", "nodes": { "a": { "type": "play", "prompts": ["greeting"], "next": "z" }, "z": { "type": "hangup" } } }
        """, Encoding.UTF8, "application/json");

    [Test]
    public async Task Without_keys_a_direct_loopback_client_is_served()
    {
        var (app, http) = await StartAsync([]);
        await using var _ = app;
        using var response = await http.SendAsync(Get("/api/flows"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("12345"));
    }

    [Test]
    public async Task Without_keys_a_request_through_a_proxy_is_refused_with_403_and_changes_nothing()
    {
        var (app, http) = await StartAsync([]);
        await using var _ = app;
        var post = new HttpRequestMessage(HttpMethod.Post, "/api/flows?activate=true") { Content = Flow() };
        post.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var refused = await http.SendAsync(post);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("Api:Keys"));
        Assert.That(await http.GetStringAsync("/api/flows"), Does.Not.Contain("probe"), "the flow was not saved");
    }

    [Test]
    public async Task With_keys_a_request_without_a_bearer_key_gets_401_with_the_challenge_and_changes_nothing()
    {
        var (app, http) = await StartAsync(WithKeys());
        await using var _ = app;
        using var refused = await http.PostAsync("/api/flows?activate=true", Flow());
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(refused.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("Authorization: Bearer"));
        using var list = await http.SendAsync(Get("/api/flows", AdminKey));
        Assert.That(await list.Content.ReadAsStringAsync(), Does.Not.Contain("probe"), "the flow was not saved");
    }

    [Test]
    public async Task With_keys_loopback_alone_is_not_enough_and_a_wrong_key_gets_401()
    {
        var (app, http) = await StartAsync(WithKeys());
        await using var _ = app;
        using var none = await http.SendAsync(Get("/api/flows"));
        using var wrong = await http.SendAsync(Get("/api/flows", AdminKey + "x"));
        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await wrong.Content.ReadAsStringAsync(), Does.Contain("not one of Api:Keys"));
    }

    [Test]
    public async Task A_configured_key_or_the_key_behind_a_configured_hash_opens_the_api_and_names_the_actor()
    {
        var (app, http) = await StartAsync(WithKeys());
        await using var _ = app;
        using var saved = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/flows") { Content = Flow(), Headers = { Authorization = new("Bearer", AdminKey) } });
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.Created), await saved.Content.ReadAsStringAsync());
        using var listed = await http.SendAsync(Get("/api/flows", Wallboard.Key));
        Assert.That(await listed.Content.ReadAsStringAsync(), Does.Contain("probe"));
        // /api/whoami is not a staff path: the guard sets no actor there.
        Assert.That(await (await http.SendAsync(Get("/api/whoami", Wallboard.Key))).Content.ReadAsStringAsync(), Is.EqualTo("none"));
    }

    [Test]
    public async Task Public_paths_stay_open_with_keys_configured_and_through_a_proxy()
    {
        var (app, http) = await StartAsync(WithKeys());
        await using var _ = app;
        using var response = await http.SendAsync(Get("/api/progress", forwardedFor: "203.0.113.7"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("public"));
    }

    [TestCase("/api/tickets", true)]
    [TestCase("/api/tickets/12/history", true)]
    [TestCase("/API/Flows", true)]
    [TestCase("/api/agents/a1/state", true)]
    [TestCase("/api/queues", true)]
    [TestCase("/api/acd/events", true)]
    [TestCase("/api/prompts/greeting/wav", true)]
    [TestCase("/api/intake/proposals", true)]
    [TestCase("/api/intake/requests", false)]
    [TestCase("/api/progress", false)]
    [TestCase("/api/desk/login", false)]
    [TestCase("/api/ticketsx", false)]
    [TestCase("/report", false)]
    [TestCase("/healthz", false)]
    public void Staff_paths_are_guarded_and_the_citizen_and_desk_paths_are_not(string path, bool guarded) =>
        Assert.That(StaffApiAuth.IsGuarded(new PathString(path)), Is.EqualTo(guarded));

    [TestCase("Api:Keys:0:Key", "short", "Api:Keys:0:Key must be at least")]
    [TestCase("Api:Keys:0:Sha256", "xyz", "Api:Keys:0:Sha256 is not hexadecimal")]
    [TestCase("Api:Keys:0:Sha256", "abcd", "Api:Keys:0:Sha256 must be 64 hex digits")]
    public void A_bad_key_entry_is_an_error_naming_the_key(string key, string value, string message)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Api:Keys:0:Name"] = "admin",
            [key] = value,
        }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => _ = new StaffApiKeys(configuration));
        Assert.That(error!.Message, Does.Contain(message));
    }

    [Test]
    public void An_entry_needs_a_name_and_exactly_one_of_key_or_hash_and_names_are_unique()
    {
        static string Error(Dictionary<string, string?> settings) =>
            Assert.Throws<InvalidOperationException>(() => _ = new StaffApiKeys(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()))!.Message;
        Assert.That(Error(new() { ["Api:Keys:0:Key"] = AdminKey }), Does.Contain("Api:Keys:0:Name is required"));
        Assert.That(Error(new() { ["Api:Keys:0:Name"] = "a", ["Api:Keys:0:Key"] = AdminKey, ["Api:Keys:0:Sha256"] = Wallboard.Sha256 }),
            Does.Contain("Api:Keys:0: give exactly one"));
        Assert.That(Error(new() { ["Api:Keys:0:Name"] = "a" }), Does.Contain("Api:Keys:0: give exactly one"));
        Assert.That(Error(new() { ["Api:Keys:0:Name"] = "a", ["Api:Keys:0:Key"] = AdminKey, ["Api:Keys:1:Name"] = "a", ["Api:Keys:1:Key"] = AdminKey + "2" }),
            Does.Contain("Api:Keys:1:Name 'a' is used twice"));
    }

    [Test]
    public void A_new_key_is_long_url_safe_and_matches_its_printed_hash()
    {
        var (key, sha256) = StaffApiKeys.NewKey();
        Assert.That(key.Length, Is.GreaterThanOrEqualTo(StaffApiKeys.MinimumKeyLength));
        Assert.That(key, Does.Match("^[A-Za-z0-9_-]+$"));
        Assert.That(Convert.ToHexStringLower(StaffApiKeys.Hash(key)), Is.EqualTo(sha256));
        Assert.That(StaffApiKeys.NewKey().Key, Is.Not.EqualTo(key));
    }

    [Test]
    public async Task Serve_guards_the_work_order_api_and_leaves_the_progress_page_open()
    {
        var port = FreePorts.Next();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Http:Url"] = $"http://127.0.0.1:{port}",
            ["Sip:Listen:0"] = $"udp:127.0.0.1:{FreePorts.Next()}",
            ["Sip:Listen:1"] = "",
            ["Sip:Listen:2"] = "",
            ["Sip:Listen:3"] = "",
            ["Api:Keys:0:Name"] = "admin",
            ["Api:Keys:0:Key"] = AdminKey,
        }).Build();
        await using var app = ServeCommand.BuildApp(configuration);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var refused = await http.GetAsync("/api/tickets");
        using var allowed = await http.SendAsync(Get("/api/tickets", AdminKey));
        using var page = await http.GetAsync("/progress");
        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
        await app.StopAsync();
    }

    [Test]
    public async Task Serve_with_a_bad_key_entry_does_not_start_and_exits_with_2()
    {
        var dir = RepositoryPaths.NewScratchDirectory("staff-api-config");
        dirs.Add(dir);
        var file = Path.Combine(dir, "bad.json");
        await File.WriteAllTextAsync(file, $$"""
            { "Http": { "Url": "http://127.0.0.1:{{FreePorts.Next()}}" }, "Sip": { "Listen": [ "udp:127.0.0.1:{{FreePorts.Next()}}", "", "", "" ] },
              "Api": { "Keys": [ { "Name": "admin", "Key": "too-short" } ] } }
            """);
        var exit = await ServeCommand.RunAsync(file, CancellationToken.None);
        Assert.That(exit, Is.EqualTo(2));
    }
}
