using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telephony.Agents.Acd;
using Telephony.Agents.Offers;

namespace Telephony.Host.Api;

/// <summary>The ACD from configuration (<c>Agents</c>, <c>Queues</c>) and the timer that drives its timeouts.</summary>
public static class AgentsServices
{
    public static IServiceCollection AddAgents(this IServiceCollection services, IConfiguration configuration)
    {
        var agents = AgentsConfiguration.Agents(configuration);
        var queues = AgentsConfiguration.Queues(configuration);
        var options = AgentsConfiguration.Options(configuration);
        services.TryAddSingleton(TimeProvider.System);
        // The B2BUA agent leg (SIP) registers its own IAgentLeg before this; until then offers cannot ring anyone.
        services.TryAddSingleton<IAgentLeg, UnwiredAgentLeg>();
        services.AddSingleton(sp => new AcdEngine(agents, queues, sp.GetRequiredService<IAgentLeg>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AcdEngine>>(), options));
        services.AddSingleton<AcdEvents>();
        services.AddSingleton<Telephony.Host.Agents.CallDesk>();
        services.AddHostedService(sp => new AcdTicker(sp.GetRequiredService<AcdEngine>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AcdTicker>>()));
        var registrar = configuration.GetSection("Accounts").GetChildren().Select(a => a["User"]).ToHashSet(StringComparer.Ordinal);
        services.AddHostedService(sp => new AccountsCheck(agents.Where(a => !registrar.Contains(a.SipUser)).Select(a => (a.Id, a.SipUser)).ToList(),
            sp.GetRequiredService<ILogger<AccountsCheck>>()));
        return services;
    }

    /// <summary>Stands in for the SIP agent leg until it is wired: every offer is unreachable, logged as such.</summary>
    private sealed class UnwiredAgentLeg(ILogger<UnwiredAgentLeg> log) : IAgentLeg
    {
        public Task<OfferOutcome> OfferAsync(Offer offer, CancellationToken cancel)
        {
            log.LogWarning("No agent leg is wired: offer {OfferId} of call {CallId} to agent {AgentId} cannot ring", offer.Id, offer.CallId, offer.AgentId);
            return Task.FromResult(OfferOutcome.Unreachable);
        }
    }

    /// <summary>One periodic timer for the whole ACD (offer timeouts, wrap-up ends, overflow), not a timer per call.</summary>
    private sealed class AcdTicker(AcdEngine acd, TimeProvider time, ILogger<AcdTicker> log) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stop)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), time);
            try
            {
                while (await timer.WaitForNextTickAsync(stop))
                {
                    try { acd.Tick(); }
                    catch (Exception e) { log.LogError(e, "ACD tick failed"); }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        }
    }

    /// <summary>An agent whose SipUser is not a registrar account can never be rung: said once at start.</summary>
    private sealed class AccountsCheck(List<(string Id, string SipUser)> missing, ILogger<AccountsCheck> log) : IHostedService
    {
        public Task StartAsync(CancellationToken cancel)
        {
            foreach (var (id, user) in missing)
                log.LogWarning("Agent {AgentId} uses SIP user {SipUser}, which is not in Accounts: their phone cannot register", id, user);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancel) => Task.CompletedTask;
    }
}
