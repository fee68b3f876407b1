using System.CommandLine;

namespace Telephony.Host.Commands;

public static class CommonOptions
{
    /// <summary><c>--config FILE</c>: a settings file instead of the repository's appsettings.json.</summary>
    public static readonly Option<string?> Config = new("--config")
    {
        Description = "Settings file to use instead of appsettings.json at the repository root",
        Recursive = true,
    };
}
