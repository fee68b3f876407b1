using System.CommandLine;
using Telephony.Host.Api;
using Telephony.Host.Configuration;
using Telephony.Tickets.Store;

namespace Telephony.Host.Commands;

/// <summary><c>migrate</c>: brings the work-order database (Database:Provider, Database:ConnectionString) to the newest schema version.</summary>
public static class MigrateCommand
{
    private static readonly Option<bool> Status = new("--status") { Description = "Only list applied and pending migrations; change nothing" };

    public static Command Create()
    {
        var command = new Command("migrate", "Apply the pending database migrations of the work-order store (SQLite, PostgreSQL or SQL Server)");
        command.Options.Add(Status);
        command.SetAction((parse, cancel) => RunAsync(parse.GetValue(CommonOptions.Config), parse.GetValue(Status), cancel));
        return command;
    }

    public static async Task<int> RunAsync(string? configFile, bool statusOnly, CancellationToken cancel)
    {
        try
        {
            var database = TicketsServices.Database(HostConfiguration.Build(configFile));
            var migrator = new Migrator(database.Dialect, database.ConnectionString, TimeProvider.System);
            var all = Migrator.For(database.Dialect);
            if (statusOnly)
            {
                var applied = (await migrator.AppliedAsync(cancel)).ToHashSet();
                foreach (var m in all) Console.WriteLine($"{m.Version:0000} {m.Name}: {(applied.Contains(m.Version) ? "applied" : "pending")}");
                return 0;
            }
            var done = await migrator.MigrateAsync(cancel);
            foreach (var m in done) Console.WriteLine($"applied {m.Version:0000} {m.Name}");
            Console.WriteLine($"{database.Dialect.Name}: schema at version {all.Max(m => m.Version):0000} ({done.Count} applied now)");
            return 0;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Console.Error.WriteLine($"migrate failed: {e.Message}");
            return 1;
        }
    }
}
