using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Telephony.Host.Commands;
using Telephony.Host.Configuration;
using Telephony.Testing;

namespace Telephony.EndToEnd.Agents;

/// <summary>
/// The hotline as <c>serve</c> builds it (<see cref="ServeCommand.BuildApp"/>, the repository's appsettings.json plus
/// overrides), started inside the test process so the test can reach its services: the agent desktop's finalize
/// (<c>CallDesk.Finalize</c>) is driven from here, as the desk endpoint of the desktop branch does it. Its log is
/// kept in memory (masked as in production) for failure messages.
/// </summary>
public sealed class InProcessHotline : IAsyncDisposable
{
    private readonly StringBuilder _log;

    public WebApplication App { get; }
    public int SipPort { get; }
    public int HttpPort { get; }
    public string SipTarget => $"127.0.0.1:{SipPort}";
    public string Log { get { lock (_log) return _log.ToString(); } }

    private InProcessHotline(WebApplication app, int sipPort, int httpPort, StringBuilder log)
    {
        App = app;
        SipPort = sipPort;
        HttpPort = httpPort;
        _log = log;
    }

    /// <param name="configureServices">Passed to <see cref="ServeCommand.BuildApp"/>: runs after serve's registrations.</param>
    public static async Task<InProcessHotline> StartAsync(IDictionary<string, string?> overrides,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices = null)
    {
        var sipPort = FreePorts.Next();
        var httpPort = FreePorts.Next();
        var settings = new Dictionary<string, string?>
        {
            ["Sip:Listen:0"] = $"udp:127.0.0.1:{sipPort}",
            ["Sip:Listen:1"] = $"tcp:127.0.0.1:{sipPort}",
            ["Sip:Listen:2"] = "", ["Sip:Listen:3"] = "",
            ["Http:Url"] = $"http://127.0.0.1:{httpPort}",
        };
        foreach (var (k, v) in overrides) settings[k] = v;
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryLayout.Root, "appsettings.json"))
            .AddInMemoryCollection(settings)
            .Build();
        var log = new StringBuilder();
        Serilog.Log.Logger = new LoggerConfiguration().MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.With<Telephony.Host.Logging.PhoneMaskingEnricher>()
            .WriteTo.Sink(new Collect(log)).CreateLogger();
        var app = ServeCommand.BuildApp(configuration, configureServices);
        await app.StartAsync();
        return new InProcessHotline(app, sipPort, httpPort, log);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Serilog.Log.CloseAndFlushAsync();
    }

    private sealed class Collect(StringBuilder log) : ILogEventSink
    {
        public void Emit(LogEvent e)
        {
            lock (log) log.Append(e.Timestamp.ToString("HH:mm:ss.fff")).Append(' ').Append(e.Level.ToString()[..3]).Append(' ')
                .Append(e.RenderMessage()).AppendLine(e.Exception?.Message);
        }
    }
}
