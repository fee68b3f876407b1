using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telephony.Host.Agents;
using Telephony.Host.Calls;
using Telephony.Host.Engine;
using Telephony.Host.Logging;
using Telephony.Host.Speech;
using Telephony.Host.Trunk;
using Telephony.Intake;
using Telephony.Ivr.Runtime;
using Telephony.Ivr.Services;
using Telephony.Ivr.Store;
using Telephony.Tickets;
using Telephony.Tickets.Sla;

namespace Telephony.Host.Ivr;

/// <summary>
/// Runs the active version of the IVR flow <c>Ivr:Flow</c> (default <c>12345</c>, docs/ivr.md) on every
/// answered call, over the call's <see cref="RtpCallChannel"/>, with the hotline's services: whisper for
/// speech, Intake for classification, espeak-ng for text, Tickets for drafts and progress.
/// <c>Ivr:Enabled=false</c> keeps the plain greet-and-record call. When the flow cannot be loaded the call still
/// falls back to greet-and-record, so what the caller says is kept either way.
/// </summary>
public static class IvrCalls
{
    /// <summary>China Standard Time for time-of-day conditions (no daylight saving), whatever the server's zone.</summary>
    public static readonly TimeZoneInfo ChinaTime = TimeZoneInfo.CreateCustomTimeZone("China Standard Time", TimeSpan.FromHours(8), "China Standard Time", "CST");

    public static IServiceCollection AddIvrCalls(this IServiceCollection services, IConfiguration configuration)
    {
        // The SIP agent leg and the ACD transfer; before AddAgents, whose stand-in leg is only a TryAdd.
        services.AddAgentCalls();
        services.AddSingleton<SpeechService>();
        services.AddSingleton<TextToSpeech>();
        // The outbound trunk for 110/119/120 (Trunk section); none configured: the flow is told Unavailable, as before.
        var trunk = TrunkOptions.Read(configuration);
        if (trunk is not null) services.AddSingleton(trunk).AddSingleton<SipTrunkTransfer>();
        services.AddSingleton(sp => new IvrServices(
            new WhisperSpeechToText(sp.GetRequiredService<SpeechService>()),
            new IntakeClassifier(sp.GetRequiredService<IntakeAnalyzer>()),
            new EspeakTextToSpeech(sp.GetRequiredService<TextToSpeech>()),
            new TicketWorkOrders(sp.GetRequiredService<TicketService>(), sp.GetRequiredService<IntakeAnalyzer>(), sp.GetRequiredService<ILogger<TicketWorkOrders>>()),
            sp.GetRequiredService<AcdQueueTransfer>(),
            trunk is null ? new NoExternalTrunk(sp.GetRequiredService<ILogger<NoExternalTrunk>>()) : sp.GetRequiredService<SipTrunkTransfer>(),
            new WorkingCalendarAdapter(sp.GetRequiredService<WorkingCalendar>()),
            sp.GetRequiredService<TimeProvider>())
        {
            TimeZone = ChinaTime,
            RecordingFolder = MediaConfiguration.ReadCallFlow(configuration).RecordingsFolder,
        });
        // Ivr:Enabled=false keeps the plain greet-and-record call (an emptied Ivr:Flow reads as absent, so it cannot say so).
        var enabled = !string.Equals(configuration["Ivr:Enabled"], "false", StringComparison.OrdinalIgnoreCase);
        services.AddHostedService(sp => new IvrStartup(sp, enabled ? configuration["Ivr:Flow"] ?? "12345" : ""));
        return services;
    }

    /// <summary>The call flow that runs <paramref name="name"/>'s active version, or <paramref name="fallback"/> when it has none.</summary>
    public static CallFlow Flow(string name, FlowStore store, IvrServices services, CallFlow fallback, ILoggerFactory logs)
    {
        var log = logs.CreateLogger("Telephony.Host.Ivr.IvrCalls");
        var runnerLog = logs.CreateLogger<FlowRunner>();
        return async call =>
        {
            var snapshot = store.Snapshot(name);
            if (snapshot is null)
            {
                log.LogError("Call {CallId}: IVR flow {Flow} has no valid active version; greeting and recording instead", call.Channel.CallId, name);
                await fallback(call);
                return;
            }
            var result = await new FlowRunner(services, runnerLog).RunAsync(call.Channel, snapshot);
            // The runner logs each node; this line is the call's audio as the caller heard it, in order.
            log.LogInformation("Call {CallId}: flow {Flow} v{Version} {Outcome}, played {Played}",
                call.Channel.CallId, name, result.FlowVersion, result.Outcome, string.Join(" ", result.Played));
        };
    }

    /// <summary>Points the SIP engine at the IVR before it takes calls, and loads the whisper model in the background.</summary>
    private sealed class IvrStartup(IServiceProvider sp, string flowName) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger<IvrStartup>();
            if (flowName.Length == 0)
            {
                log.LogInformation("Ivr:Enabled is false: calls are greeted and recorded without the IVR");
                return Task.CompletedTask;
            }
            var engine = sp.GetRequiredService<SipEngineService>();
            var store = sp.GetRequiredService<FlowStore>();
            if (store.Snapshot(flowName) is { } snapshot)
                log.LogInformation("IVR flow {Flow} v{Version} answers calls", flowName, snapshot.Version);
            else
                log.LogError("IVR flow {Flow} has no valid active version (see /api/flows); calls are greeted and recorded until one is activated", flowName);
            engine.Flow = Flow(flowName, store, sp.GetRequiredService<IvrServices>(), engine.Flow, sp.GetRequiredService<ILoggerFactory>());
            var speech = sp.GetRequiredService<SpeechService>();
            engine.RecordingListener = speech.Listen; // speculative transcription at the caller's pauses (docs/speech.md)
            _ = Task.Run(speech.Warm, cancellationToken);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
