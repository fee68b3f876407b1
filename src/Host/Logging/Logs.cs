using Microsoft.Extensions.Configuration;
using Serilog;

namespace Telephony.Host.Logging;

public static class Logs
{
    /// <summary>
    /// The process-wide Serilog logger: console, structured, phone numbers masked. The console is written
    /// from a background queue so a burst of calls never waits on terminal I/O; the queue holds 100,000
    /// events and drops beyond that rather than stall the SIP engine.
    /// </summary>
    public static Serilog.ILogger Create(IConfiguration configuration) =>
        new LoggerConfiguration()
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .Enrich.With<PhoneMaskingEnricher>()
            .WriteTo.Async(sink => sink.Console(outputTemplate: "{Timestamp:HH:mm:ss.fff} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}"),
                bufferSize: 100_000, blockWhenFull: false)
            .CreateLogger();
}
