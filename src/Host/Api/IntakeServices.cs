using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telephony.Host.Configuration;
using Telephony.Intake;
using Telephony.Intake.Classification;
using Telephony.Intake.Similar;

namespace Telephony.Host.Api;

/// <summary>
/// Intake in <c>serve</c>: the analyzer (rule files from config/intake and config/dispatch, the model from
/// <c>Intake:Model</c>, trained by scripts/setup.d/50-intake-model.sh) and the similar-case index, filled at
/// start from <see cref="ISimilarCaseSource"/> (none by default; the lead registers one over Tickets).
/// </summary>
public static class IntakeServices
{
    public static IServiceCollection AddIntake(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => new SimilarCaseIndex());
        services.TryAddSingleton<ISimilarCaseSource, NoSimilarCases>();
        services.AddSingleton(sp => IntakeStartup.Load(
            RepositoryLayout.Root,
            RepositoryLayout.Resolve(configuration["Intake:Model"] ?? ModelFiles.DefaultPath),
            sp.GetRequiredService<SimilarCaseIndex>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Telephony.Intake")));
        services.AddHostedService<SimilarCaseLoader>();
        return services;
    }

    /// <summary>Loads the analyzer at start (a bad rule file stops the start with its line) and the open orders into the index.</summary>
    private sealed class SimilarCaseLoader(IntakeAnalyzer analyzer, SimilarCaseIndex index, ISimilarCaseSource source, ILogger<SimilarCaseLoader> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancel)
        {
            var orders = await source.LoadOpenOrdersAsync(cancel);
            foreach (var o in orders) index.Add(o);
            logger.LogInformation("Intake ready: model {HasModel}, {Orders} open orders in the similar-case index",
                analyzer.Classifier is not null, index.Count);
        }

        public Task StopAsync(CancellationToken cancel) => Task.CompletedTask;
    }
}
