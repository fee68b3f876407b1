using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telephony.Agents.Acd;
using Telephony.Host.Agents;
using Telephony.Host.Configuration;
using Telephony.Intake;
using Telephony.Tickets;
using Telephony.Tickets.Domain;
using Telephony.Tickets.Store;

namespace Telephony.Host.Api;

/// <summary>The agent desktop in <c>serve</c> (after AddTickets, AddAgents and AddIntake, whose services it uses).</summary>
public static class DeskServices
{
    public const string LoginPolicy = "desk-login";

    public static IServiceCollection AddDesk(this IServiceCollection services, IConfiguration configuration)
    {
        // Guessing desk passwords: a few tries a minute per client address, the rest 429 (UseRateLimiter in serve).
        var permits = LoginPermits(configuration);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(LoginPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        services.AddSingleton(_ => new DeskPasswords(configuration));
        services.AddSingleton(sp => new DeskSessions(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new DeskAssignments(sp.GetRequiredService<AcdEngine>(), sp.GetRequiredService<CallDesk>()));
        services.AddSingleton(sp => new DeskScreenPop(sp.GetRequiredService<IntakeAnalyzer>(), sp.GetRequiredService<ITicketStore>()));
        services.AddSingleton(sp => new DeskFinalize(sp.GetRequiredService<TicketService>(), sp.GetRequiredService<ITicketStore>(),
            sp.GetRequiredService<CallDesk>(), sp.GetRequiredService<DeskAssignments>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DeskFinalize>>(), Taxonomy(configuration)));
        services.AddHostedService(sp => new DeskStartup(sp.GetRequiredService<DeskAssignments>(), sp.GetRequiredService<DeskPasswords>(),
            sp.GetRequiredService<AcdEngine>(), sp.GetRequiredService<ILogger<DeskStartup>>()));
        return services;
    }

    private static int LoginPermits(IConfiguration configuration)
    {
        if (configuration["Desk:LoginPermitsPerMinute"] is not { Length: > 0 } text) return 10;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var permits) || permits < 1)
            throw new InvalidOperationException($"Desk:LoginPermitsPerMinute: '{text}' is not a whole number ≥ 1");
        return permits;
    }

    /// <summary>The same taxonomy file the work-order service checks categories against (<c>Tickets:Taxonomy</c>).</summary>
    private static Taxonomy? Taxonomy(IConfiguration configuration)
    {
        var path = configuration["Tickets:Taxonomy"] is { Length: > 0 } p
            ? RepositoryLayout.Resolve(p)
            : Path.Combine(RepositoryLayout.Shared, "data", "hotline-messages", "taxonomy.csv");
        return File.Exists(path) ? Telephony.Tickets.Domain.Taxonomy.Load(path) : null;
    }

    /// <summary>
    /// Resolving <see cref="DeskAssignments"/> at start subscribes it to the ACD before the first call can be offered
    /// (a lazily made one would miss the offers made before the first desktop request). Says which seats cannot log in.
    /// </summary>
    private sealed class DeskStartup(DeskAssignments assignments, DeskPasswords passwords, AcdEngine acd, ILogger<DeskStartup> log) : IHostedService
    {
        public Task StartAsync(CancellationToken cancel)
        {
            _ = assignments;
            foreach (var agent in acd.Agents().Where(a => !passwords.AgentsWithPassword.Contains(a.Id)))
                log.LogWarning("Agent {AgentId} has no Agents:Seats DeskPassword: they cannot log in to the desk", agent.Id);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancel) => Task.CompletedTask;
    }
}
