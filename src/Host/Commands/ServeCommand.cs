using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Telephony.Host.Configuration;
using Telephony.Host.Logging;
using Telephony.Host.Engine;
using Telephony.Host.Api;
using Telephony.Host.Ivr;
using Telephony.Host.Agents;

namespace Telephony.Host.Commands;

/// <summary><c>serve</c>: runs the hotline (SIP engine, media, HTTP APIs and pages) until Ctrl+C or SIGTERM.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Run the hotline: SIP/RTP engine, HTTP API and pages, background jobs");
        command.SetAction((parse, cancel) => RunAsync(parse.GetValue(CommonOptions.Config), cancel));
        return command;
    }

    public static async Task<int> RunAsync(string? configFile, CancellationToken cancel)
    {
        var configuration = HostConfiguration.Build(configFile);
        Log.Logger = Logs.Create(configuration);
        try
        {
            WebApplication app;
            try { app = BuildApp(configuration); }
            catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
            {
                // Building the app reads and checks the configuration: its errors name the key, a stack trace adds nothing.
                Log.Fatal("Configuration error, not started: {Reason}", e.Message);
                return 2;
            }
            await app.RunAsync(cancel);
            return 0;
        }
        catch (Exception e)
        {
            Log.Fatal(e, "Hotline stopped on an unexpected error");
            return 1;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }

    /// <param name="configureServices">Tests only: runs after every registration, before the build (e.g. to stand in for
    /// the speech recognizer, which has no trained model on a test machine).</param>
    public static WebApplication BuildApp(Microsoft.Extensions.Configuration.IConfiguration configuration,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = RepositoryLayout.Root });
        // Only our configuration: the builder's own sources (appsettings.json again, unprefixed environment
        // variables) would show through wherever ours holds an empty value, because a chained configuration
        // treats "" as absent; that made an emptied Sip:Listen:N entry bind appsettings.json's address anyway.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Host.UseSerilog();
        builder.WebHost.UseUrls(configuration["Http:Url"] ?? "http://127.0.0.1:8080");
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<MediaEngine>();
        builder.Services.AddSingleton<SipEngineService>();
        // The IVR points the engine at its flow before the engine takes calls (hosted services start in order).
        builder.Services.AddIvrCalls(configuration);
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SipEngineService>());
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddOpenApi();
        builder.Services.AddTickets(configuration);
        builder.Services.AddTicketsProgress(configuration);
        builder.Services.AddAgents(configuration);
        // After AddTickets (the migration at start) and AddAgents: pending callback requests go back into the ACD.
        builder.Services.AddCallbackRestore();
        builder.Services.AddIntake(configuration);
        builder.Services.AddFlows(configuration);
        builder.Services.AddDesk(configuration);
        builder.Services.AddWebIntake(configuration);
        builder.Services.AddPrompts(configuration);
        builder.Services.AddStaffApiAuth(configuration);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseRateLimiter();
        app.UseStaffApiAuth();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapOpenApi();
        app.MapTickets();
        app.MapTicketsProgress();
        app.MapAgents();
        app.MapIntake();
        app.MapFlows();
        app.MapDesk();
        app.MapWebIntake();
        app.MapPrompts();
        return app;
    }
}
