using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Telephony.Agents.Offers;

namespace Telephony.Host.Agents;

/// <summary>The call side of agents: the SIP agent leg the ACD rings through, and the IVR's transfer into the ACD.</summary>
public static class AgentCallsServices
{
    /// <summary>Call before <c>AddAgents</c>: it only adds its stand-in leg when none is registered.</summary>
    public static IServiceCollection AddAgentCalls(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AnsweredAgentCalls>();
        services.TryAddSingleton<IAgentLeg, SipAgentLeg>();
        services.TryAddSingleton(sp => new AcdQueueTransfer(sp.GetRequiredService<Telephony.Agents.Acd.AcdEngine>(), sp.GetRequiredService<CallDesk>(),
            sp.GetRequiredService<AnsweredAgentCalls>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<AcdQueueTransfer>>())
        {
            Announcements = QueueAnnouncementOptions.From(sp.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()),
        });
        return services;
    }
}
