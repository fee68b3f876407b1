using System.Collections.Concurrent;
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

namespace Telephony.EndToEnd.Desk;

/// <summary>
/// The agent's phone until the SIP agent leg exists: rings, and picks up after <see cref="AnswerAfter"/> as the
/// agent's softphone would (a 200 OK). Everything around it (ACD, desk, store, intake, the page) is the real one.
/// </summary>
public sealed class AnsweringAgentLeg(TimeSpan answerAfter) : IAgentLeg
{
    public TimeSpan AnswerAfter { get; } = answerAfter;
    public ConcurrentQueue<Offer> Offers { get; } = new();

    public async Task<OfferOutcome> OfferAsync(Offer offer, CancellationToken cancel)
    {
        Offers.Enqueue(offer);
        await Task.Delay(AnswerAfter, cancel);
        return OfferOutcome.Answered;
    }
}

/// <summary>
/// The hotline's HTTP side in this process, composed by the same AddX/MapX calls as <c>serve</c> (ServeCommand.BuildApp)
/// without the SIP engine and the IVR, the agent leg being <see cref="AnsweringAgentLeg"/> (registered before AddAgents,
/// whose TryAdd keeps it). The `serve` process cannot take a test's leg, and until the SIP agent leg is merged no
/// configuration of it can make an offer ring anyone: this is the honest way to drive the page through a real offer.
/// The call side is played as the queue transfer does it: the IVR's draft adapter, a recording on disk, the CallDesk, the ACD.
/// </summary>
public sealed class DeskPageHost : IAsyncDisposable
{
    public const string AgentId = "1001";
    public const string AgentName = "张坐席";
    public const string AgentPassword = "desk-e2e-pass";

    private readonly string directory;
    public WebApplication App { get; }
    public string BaseUrl { get; }
    public AnsweringAgentLeg Leg { get; }
    public AcdEngine Acd => App.Services.GetRequiredService<AcdEngine>();
    public CallDesk Desk => App.Services.GetRequiredService<CallDesk>();
    public ITicketStore Store => App.Services.GetRequiredService<ITicketStore>();

    private DeskPageHost(WebApplication app, string baseUrl, AnsweringAgentLeg leg, string directory)
    {
        App = app;
        BaseUrl = baseUrl;
        Leg = leg;
        this.directory = directory;
    }

    public static async Task<DeskPageHost> StartAsync(int wrapUpSeconds, TimeSpan answerAfter)
    {
        var directory = RepositoryPaths.NewScratchDirectory("desk-e2e");
        var port = FreePorts.Next();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(directory, "tickets.db")}",
            ["Agents:WrapUpSeconds"] = wrapUpSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Agents:Seats:0:Id"] = AgentId, ["Agents:Seats:0:Name"] = AgentName, ["Agents:Seats:0:SipUser"] = "agent1",
            ["Agents:Seats:0:DeskPassword"] = AgentPassword,
            ["Accounts:0:User"] = "agent1", ["Accounts:0:Password"] = "sip-secret-1",
        }).Build();
        var leg = new AnsweringAgentLeg(answerAfter);
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
        return new DeskPageHost(app, $"http://127.0.0.1:{port}", leg, directory);
    }

    /// <summary>A citizen's call that asked for an agent, as the queue transfer hands it over.</summary>
    public async Task<DeskCall> QueueCallAsync(string callId, string caller, string transcript)
    {
        var recording = Path.Combine(directory, $"{callId}.wav");
        WavFile.WriteSilence(recording, TimeSpan.FromSeconds(2));
        var analyzer = App.Services.GetRequiredService<IntakeAnalyzer>();
        var classification = await new IntakeClassifier(analyzer).ClassifyAsync(transcript, default);
        var drafts = new TicketWorkOrders(App.Services.GetRequiredService<TicketService>(), analyzer,
            App.Services.GetRequiredService<ILoggerFactory>().CreateLogger<TicketWorkOrders>());
        var code = (await drafts.CreateDraftAsync(new DraftRequest(callId, caller, "12345", recording, transcript, classification, DateTimeOffset.UtcNow), default)).QueryCode;
        var call = new DeskCall(callId, AgentsConfiguration.DefaultQueue, caller, code, transcript, recording, new Dictionary<string, string>(), DateTimeOffset.UtcNow);
        Desk.Register(call);
        var queued = Acd.Enqueue(new CallRequest { CallId = callId, Queue = call.Queue, Caller = caller, DraftRef = code });
        Assert.That(queued.Ok, Is.True, queued.Error);
        return call;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }
}
