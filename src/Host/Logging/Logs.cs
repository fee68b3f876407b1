using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Formatting.Display;

namespace Telephony.Host.Logging;

public static class Logs
{
    /// <summary>One line per event; <c>:l</c> writes strings and enums as they are, without quotes.</summary>
    public const string OutputTemplate = "{Timestamp:HH:mm:ss.fff} [{Level:u3}] {SourceContext}: {Message:l}{NewLine}{Exception}";

    /// <summary>
    /// The process-wide Serilog logger: console, structured, phone numbers masked. The console is written
    /// in batches from a background queue (<see cref="BatchedConsoleSink"/>) so a burst of calls never waits
    /// on terminal I/O; the queue holds 100,000 events and drops beyond that rather than stall the SIP engine.
    /// </summary>
    public static Serilog.ILogger Create(IConfiguration configuration) =>
        new LoggerConfiguration()
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .Enrich.With<PhoneMaskingEnricher>()
            .WriteTo.Sink(new BatchedConsoleSink(new MessageTemplateTextFormatter(OutputTemplate)))
            .CreateLogger();
}
