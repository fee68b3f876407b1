using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Telephony.Host.Commands;
using Telephony.Testing;

namespace Telephony.Host.Tests.Intake;

/// <summary>The real serve app on loopback ports with a scratch SQLite file, flows folder and prompt replacements; the repository's trained intake model.</summary>
public sealed class WebIntakeApp : IAsyncDisposable
{
    private readonly string _directory;
    public WebApplication App { get; }
    public string Directory => _directory;
    public HttpClient Http { get; }

    private WebIntakeApp(string directory, WebApplication app, int port)
    {
        _directory = directory;
        App = app;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
    }

    public static string ModelPath => Path.Combine(RepositoryPaths.Root, "models", "intake-classifier.zip");

    public static async Task<WebIntakeApp> StartAsync(int permitsPerMinute = 1000, IDictionary<string, string?>? extra = null, bool model = true)
    {
        if (model && !File.Exists(ModelPath))
            Assert.Fail($"No trained intake model at {ModelPath}: run ./hotline setup (scripts/setup.d/50-intake-model.sh trains it from the shared data set).");
        var directory = RepositoryPaths.NewScratchDirectory("webintake");
        var port = FreePorts.Next();
        var settings = new Dictionary<string, string?>
        {
            ["Http:Url"] = $"http://127.0.0.1:{port}",
            ["Sip:Listen:0"] = $"udp:127.0.0.1:{FreePorts.Next()}",
            ["Sip:Listen:1"] = "", ["Sip:Listen:2"] = "", ["Sip:Listen:3"] = "",
            ["Database:Provider"] = "sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(directory, "t.db")}",
            ["Ivr:FlowsFolder"] = Path.Combine(directory, "flows"),
            ["Paths:CustomPrompts"] = Path.Combine(directory, "custom-prompts"),
            ["Paths:Recordings"] = Path.Combine(directory, "recordings"),
            ["Intake:Model"] = model ? ModelPath : Path.Combine(directory, "no-model.zip"),
            ["Intake:Web:PermitsPerMinute"] = permitsPerMinute.ToString(),
        };
        if (extra is not null) foreach (var (k, v) in extra) settings[k] = v;
        var app = ServeCommand.BuildApp(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        await app.StartAsync();
        return new WebIntakeApp(directory, app, port);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
