using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telephony.Host.Configuration;
using Telephony.Tickets;
using Telephony.Tickets.Domain;
using Telephony.Tickets.Sla;
using Telephony.Tickets.Store;

namespace Telephony.Host.Api;

/// <summary>The work-order services from configuration: <c>Database</c> (provider, connection string) and <c>Tickets</c> (calendar, SLA, taxonomy).</summary>
public static class TicketsServices
{
    public sealed record DatabaseSettings(ISqlDialect Dialect, string ConnectionString);

    /// <summary>The database from <c>Database:Provider</c> and <c>Database:ConnectionString</c>; a relative SQLite file is under the repository root.</summary>
    public static DatabaseSettings Database(IConfiguration configuration)
    {
        var dialect = SqlDialects.For(configuration["Database:Provider"] ?? "sqlite");
        var connectionString = configuration["Database:ConnectionString"] ?? "Data Source=data/telephony.db";
        if (dialect is SqliteDialect)
        {
            var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
            if (builder.DataSource is { Length: > 0 } file && file != ":memory:")
            {
                builder.DataSource = RepositoryLayout.Resolve(file);
                Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
            }
            connectionString = builder.ToString();
        }
        return new DatabaseSettings(dialect, connectionString);
    }

    public static SlaPolicy Policy(IConfiguration configuration)
    {
        var section = configuration.GetSection("Tickets:Sla");
        var byType = new Dictionary<TicketType, SlaTargets>(SlaPolicy.Default.ByType);
        foreach (var type in Enum.GetValues<TicketType>())
            if (section.GetSection(type.ToString()).Exists()) byType[type] = Targets(section.GetSection(type.ToString()), byType[type]);
        var warn = section["WarnAtPercent"] is { } w ? double.Parse(w, CultureInfo.InvariantCulture) / 100 : SlaPolicy.Default.WarnAt;
        if (warn is <= 0 or >= 1) throw new InvalidOperationException("Tickets:Sla:WarnAtPercent must be between 0 and 100.");
        return new SlaPolicy { ByType = byType, Urgent = Targets(section.GetSection("Urgent"), SlaPolicy.Default.Urgent), WarnAt = warn };
    }

    private static SlaTargets Targets(IConfigurationSection s, SlaTargets fallback) => new(
        s["Reply"] is { } r ? (r.Length == 0 ? null : SlaSpan.Parse(r)) : fallback.Reply,
        s["Close"] is { } c ? (c.Length == 0 ? null : SlaSpan.Parse(c)) : fallback.Close);

    public static IServiceCollection AddTickets(this IServiceCollection services, IConfiguration configuration)
    {
        var database = Database(configuration);
        services.AddSingleton(database);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => WorkingCalendar.Load(RepositoryLayout.Resolve(configuration["Tickets:Calendar"] ?? "config/calendar")));
        services.AddSingleton(_ => Policy(configuration));
        services.AddSingleton(sp => new SlaClock(sp.GetRequiredService<SlaPolicy>(), sp.GetRequiredService<WorkingCalendar>()));
        services.AddSingleton<ITicketStore>(_ => new TicketStore(database.Dialect, database.ConnectionString));
        // Callback requests live in the same database, so a request and its draft are kept (or lost) together.
        services.AddSingleton<Telephony.Tickets.Callbacks.ICallbackStore>(_ => new Telephony.Tickets.Callbacks.CallbackStore(database.Dialect, database.ConnectionString));
        services.AddSingleton(sp => new TicketService(sp.GetRequiredService<ITicketStore>(), sp.GetRequiredService<SlaClock>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TicketService>>(), LoadTaxonomy(configuration, sp)));
        services.AddSingleton(sp => new SlaMonitor(sp.GetRequiredService<ITicketStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SlaMonitor>>()));
        services.AddHostedService(sp => new TicketsStartup(sp, configuration));
        return services;
    }

    /// <summary><c>Tickets:Taxonomy</c>, else the shared data set's taxonomy.csv; without it categories are not checked (logged).</summary>
    private static Taxonomy? LoadTaxonomy(IConfiguration configuration, IServiceProvider sp)
    {
        var path = configuration["Tickets:Taxonomy"] is { Length: > 0 } p
            ? RepositoryLayout.Resolve(p)
            : Path.Combine(RepositoryLayout.Shared, "data", "hotline-messages", "taxonomy.csv");
        if (File.Exists(path)) return Taxonomy.Load(path);
        sp.GetRequiredService<ILogger<TicketService>>().LogWarning("No category taxonomy at {Path}: categories are stored unchecked", path);
        return null;
    }

    /// <summary>At start: migrate (unless <c>Database:MigrateOnStart</c> is false), check the calendar, then run the SLA monitor.</summary>
    private sealed class TicketsStartup(IServiceProvider services, IConfiguration configuration) : BackgroundService
    {
        public override async Task StartAsync(CancellationToken cancel)
        {
            var log = services.GetRequiredService<ILogger<TicketsStartup>>();
            var database = services.GetRequiredService<DatabaseSettings>();
            if (!string.Equals(configuration["Database:MigrateOnStart"], "false", StringComparison.OrdinalIgnoreCase))
            {
                var applied = await new Migrator(database.Dialect, database.ConnectionString, services.GetRequiredService<TimeProvider>()).MigrateAsync(cancel);
                foreach (var m in applied) log.LogInformation("Database migration {Version} {Name} applied ({Provider})", m.Version, m.Name, database.Dialect.Name);
            }
            var calendar = services.GetRequiredService<WorkingCalendar>();
            var year = services.GetRequiredService<TimeProvider>().GetUtcNow().ToOffset(WorkingCalendar.ChinaOffset).Year;
            foreach (var y in new[] { year, year + 1 })
                if (!calendar.IsCovered(y))
                    log.LogWarning("The working-day calendar has no State Council notice for {Year}: deadlines in {Year} count Monday-Friday only (add config/calendar/{Year}.txt)", y, y, y);
            await base.StartAsync(cancel);
        }

        protected override Task ExecuteAsync(CancellationToken stop)
        {
            var period = TimeSpan.FromSeconds(double.Parse(configuration["Tickets:SlaCheckSeconds"] ?? "60", CultureInfo.InvariantCulture));
            return services.GetRequiredService<SlaMonitor>().RunAsync(period, stop);
        }
    }
}
