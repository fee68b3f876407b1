using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Telephony.Agents.Acd;
using Telephony.Agents.Offers;
using Telephony.Agents.Queueing;
using Telephony.Host.Agents;
using Telephony.Host.Api;
using Telephony.Host.Configuration;
using Telephony.Host.Ivr;
using Telephony.Intake;
using Telephony.Ivr.Services;
using Telephony.Testing;
using Telephony.Tickets;
using Telephony.Tickets.Store;

namespace Telephony.Host.Tests.Desk;

/// <summary>
/// The hotline's HTTP side in-process, composed by the same AddX/MapX calls as <c>serve</c> (ServeCommand.BuildApp)
/// minus the SIP engine and IVR, with a <see cref="ScriptedAgentLeg"/> registered before AddAgents (whose TryAdd then
/// keeps it) instead of the SIP agent leg. Work orders on a fresh SQLite file, migrated at start.
/// The call side is played the way the queue transfer does it: the IVR's draft adapter makes the draft, the call
/// is registered at the CallDesk, then enqueued. EndToEnd compiles this file and <see cref="ScriptedAgentLeg"/> too
/// (linked in EndToEnd.csproj) for the desktop page in Chromium: one host for the API tests and the page tests.
/// </summary>
public sealed class DeskHost : IAsyncDisposable
{
    public const string AgentId = "1001";
    public const string AgentName = "张坐席";
    public const string AgentPassword = "desk-pass-1001";
    public const string OtherAgentId = "1002";
    public const string OtherPassword = "desk-pass-1002";

    private readonly string directory;
    public WebApplication App { get; }
    public string BaseUrl { get; }
    public ScriptedAgentLeg Leg { get; }
    public AcdEngine Acd => App.Services.GetRequiredService<AcdEngine>();
    public CallDesk Desk => App.Services.GetRequiredService<CallDesk>();
    public ITicketStore Store => App.Services.GetRequiredService<ITicketStore>();
    public string Directory => directory;

    private DeskHost(WebApplication app, string baseUrl, ScriptedAgentLeg leg, string directory)
    {
        App = app;
        BaseUrl = baseUrl;
        Leg = leg;
        this.directory = directory;
    }

    public static async Task<DeskHost> StartAsync(int wrapUpSeconds = 30, bool twoAgents = true, int loginPermitsPerMinute = 100)
    {
        var directory = RepositoryPaths.NewScratchDirectory("desk");
        var port = FreePorts.Next();
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(directory, "tickets.db")}",
            ["Agents:WrapUpSeconds"] = wrapUpSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Agents:Seats:0:Id"] = AgentId, ["Agents:Seats:0:Name"] = AgentName, ["Agents:Seats:0:SipUser"] = "agent1",
            ["Agents:Seats:0:DeskPassword"] = AgentPassword,
            ["Accounts:0:User"] = "agent1", ["Accounts:0:Password"] = "sip-secret-1",
            ["Desk:LoginPermitsPerMinute"] = loginPermitsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (twoAgents)
        {
            settings["Agents:Seats:1:Id"] = OtherAgentId;
            settings["Agents:Seats:1:Name"] = "李坐席";
            settings["Agents:Seats:1:SipUser"] = "agent2";
            settings["Agents:Seats:1:DeskPassword"] = OtherPassword;
            settings["Accounts:1:User"] = "agent2";
            settings["Accounts:1:Password"] = "sip-secret-2";
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var leg = new ScriptedAgentLeg();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = RepositoryLayout.Root });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IAgentLeg>(leg);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddTickets(configuration);
        builder.Services.AddAgents(configuration);
        builder.Services.AddIntake(configuration);
        builder.Services.AddDesk(configuration);
        var app = builder.Build();
        app.UseRateLimiter();
        app.MapTickets();
        app.MapAgents();
        app.MapIntake();
        app.MapDesk();
        await app.StartAsync();
        return new DeskHost(app, $"http://127.0.0.1:{port}", leg, directory);
    }

    /// <summary>A client with its own cookie jar: one per desktop (browser).</summary>
    public HttpClient NewClient() => new(new HttpClientHandler { CookieContainer = new CookieContainer() })
    {
        BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(10),
    };

    public async Task<HttpClient> LoginAsync(string agentId = AgentId, string password = AgentPassword)
    {
        var client = NewClient();
        var response = await client.PostAsJsonAsync("/api/desk/login", new { agentId, password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return client;
    }

    /// <summary>
    /// What the queue transfer does for a call that asked for an agent: the draft (through the IVR's own adapter, with
    /// intake's classification), a recording on disk, the DeskCall, then the ACD.
    /// </summary>
    public async Task<DeskCall> QueueCallAsync(string callId, string caller, string? transcript, bool withDraft = true, bool withRecording = true)
    {
        var recording = withRecording ? Path.Combine(directory, $"{callId}.wav") : null;
        if (recording is not null) WavFile.WriteSilence(recording, TimeSpan.FromSeconds(1));
        string? code = null;
        if (withDraft)
        {
            var analyzer = App.Services.GetRequiredService<IntakeAnalyzer>();
            var classification = transcript is { Length: > 0 } ? await new IntakeClassifier(analyzer).ClassifyAsync(transcript, default) : null;
            var drafts = new TicketWorkOrders(App.Services.GetRequiredService<TicketService>(), analyzer,
                App.Services.GetRequiredService<ILoggerFactory>().CreateLogger<TicketWorkOrders>());
            code = (await drafts.CreateDraftAsync(new DraftRequest(callId, caller, "12345", recording, transcript, classification, DateTimeOffset.UtcNow), default)).QueryCode;
        }
        var call = new DeskCall(callId, AgentsConfiguration.DefaultQueue, caller, code, transcript, recording,
            new Dictionary<string, string> { ["menu"] = "1" }, DateTimeOffset.UtcNow);
        Desk.Register(call);
        var queued = Acd.Enqueue(new CallRequest { CallId = callId, Queue = call.Queue, Caller = caller, DraftRef = code });
        Assert.That(queued.Ok, Is.True, queued.Error);
        return call;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, int timeoutMs = 5000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        try { System.IO.Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }
}
