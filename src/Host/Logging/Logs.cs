using Microsoft.Extensions.Configuration;
using Serilog;

namespace Telephony.Host.Logging;

public static class Logs
{
    /// <summary>The process-wide Serilog logger: console, structured, phone numbers masked.</summary>
    public static Serilog.ILogger Create(IConfiguration configuration) =>
        new LoggerConfiguration()
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .Enrich.With<PhoneMaskingEnricher>()
            .WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss.fff} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
}
