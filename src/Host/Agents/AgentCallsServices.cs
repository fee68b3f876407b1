using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Telephony.Agents.Acd;
using Telephony.Agents.Offers;
using Telephony.Host.Engine;
using Telephony.Host.Trunk;
using Telephony.Tickets.Callbacks;
using Telephony.Tickets.Store;

namespace Telephony.Host.Agents;

/// <summary>The call side of agents: the SIP agent leg the ACD rings through, and the IVR's transfer into the ACD.</summary>
public static class AgentCallsServices
{
    /// <summary>Call before <c>AddAgents</c>: it only adds its stand-in leg when none is registered.</summary>
    public static IServiceCollection AddAgentCalls(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AnsweredAgentCalls>();
        // The trunk is optional (TrunkOptions registered only when configured): without it every callback is unreachable.
        services.TryAddSingleton<ICallbackDialer>(sp => new TrunkCallbackDialer(sp.GetService<TrunkOptions>(), sp.GetRequiredService<SipEngineService>(),
            sp.GetRequiredService<MediaEngine>(), MediaConfiguration.ReadCallFlow(sp.GetRequiredService<IConfiguration>()), sp.GetRequiredService<ILogger<TrunkCallbackDialer>>()));
        // The callback requests' store comes with AddTickets (the work orders' database).
        services.TryAddSingleton(Requests);
        services.TryAddSingleton(Retries);
        // The ACD needs the leg and the callback needs the ACD: resolved when a callback is placed, not at construction.
        services.TryAddSingleton(sp => new CallbackCalls(() => sp.GetRequiredService<AcdEngine>(), sp.GetRequiredService<CallDesk>(),
            sp.GetRequiredService<ICallbackDialer>(), sp.GetRequiredService<CallbackRequests>(), sp.GetRequiredService<CallbackRetries>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CallbackCalls>>())
        {
            Options = CallbackOptions.From(sp.GetRequiredService<IConfiguration>()),
        });
        services.TryAddSingleton<IAgentLeg, SipAgentLeg>();
        services.TryAddSingleton(sp => new AcdQueueTransfer(sp.GetRequiredService<AcdEngine>(), sp.GetRequiredService<CallDesk>(),
            sp.GetRequiredService<AnsweredAgentCalls>(), sp.GetRequiredService<CallbackRequests>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AcdQueueTransfer>>())
        {
            Announcements = QueueAnnouncementOptions.From(sp.GetRequiredService<IConfiguration>()),
            Callback = Callbacks(sp),
        });
        return services;
    }

    /// <summary>
    /// Puts the pending callback requests back into the ACD when the host starts. Call after <c>AddTickets</c> (whose start
    /// migrates the database: hosted services start in registration order) and <c>AddAgents</c>.
    /// </summary>
    public static IServiceCollection AddCallbackRestore(this IServiceCollection services)
    {
        services.TryAddSingleton(Requests);
        services.TryAddSingleton(Retries);
        services.AddHostedService(sp => new CallbackRestore(sp.GetRequiredService<CallbackRequests>(), sp.GetRequiredService<ITicketStore>(),
            sp.GetRequiredService<AcdEngine>(), sp.GetRequiredService<CallDesk>(), sp.GetRequiredService<CallbackRetries>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CallbackRestore>>()));
        return services;
    }

    /// <summary>The persisted callback requests, over the store AddTickets registers.</summary>
    private static CallbackRequests Requests(IServiceProvider sp) =>
        new(sp.GetRequiredService<ICallbackStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CallbackRequests>>());

    /// <summary>The callbacks waiting for their next attempt; the ACD is resolved when one is due, as for <see cref="CallbackCalls"/>.</summary>
    private static CallbackRetries Retries(IServiceProvider sp) =>
        new(() => sp.GetRequiredService<AcdEngine>(), sp.GetRequiredService<CallDesk>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CallbackRetries>>());

    /// <summary>The callback offer as configured; switched off (with a warning) when there is no trunk to call back over.</summary>
    private static CallbackOptions Callbacks(IServiceProvider sp)
    {
        var options = CallbackOptions.From(sp.GetRequiredService<IConfiguration>());
        if (!options.Enabled || sp.GetService<TrunkOptions>() is not null) return options;
        sp.GetRequiredService<ILogger<AcdQueueTransfer>>().LogWarning(
            "Agents:Callback:Enabled is true but no trunk is configured (Trunk:Uri): waiting callers are not offered a callback");
        return options with { Enabled = false };
    }
}
