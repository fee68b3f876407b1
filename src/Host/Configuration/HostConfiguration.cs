using Microsoft.Extensions.Configuration;

namespace Telephony.Host.Configuration;

/// <summary>
/// Builds the configuration every command uses: <c>appsettings.json</c> at the repository root (or the
/// file named by <c>--config</c>), then environment variables prefixed <c>TELEPHONY_</c> with <c>__</c> as
/// the section separator (<c>TELEPHONY_Http__Url=http://0.0.0.0:8080</c>).
/// </summary>
public static class HostConfiguration
{
    public const string EnvironmentPrefix = "TELEPHONY_";

    public static IConfigurationRoot Build(string? configFile = null)
    {
        var file = configFile ?? Path.Combine(RepositoryLayout.Root, "appsettings.json");
        return new ConfigurationBuilder()
            .AddJsonFile(Path.GetFullPath(file), optional: configFile is null, reloadOnChange: false)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .Build();
    }
}
