using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Testing;
using Telephony.Tickets;
using Telephony.Tickets.Domain;
using Telephony.Tickets.Sla;
using Telephony.Tickets.Store;

// dotnet run -c Release --project bench/store -- [orders=20000] [writers=16] [sqlite|postgres|both] [creates]
// Creates orders through TicketService (validation, SLA clock, insert + history row in one transaction), then looks
// every code up once with the same number of readers. SQLite on a file in /tmp (WAL, synchronous=NORMAL);
// PostgreSQL 15 started by the bench like the tests do (fsync=off, synchronous_commit=off).
var orders = args.Length > 0 ? int.Parse(args[0]) : 20000;
var writers = args.Length > 1 ? int.Parse(args[1]) : 16;
var only = args.Length > 2 && args[2] != "both" ? args[2] : null; // "sqlite" or "postgres": run one store
var createsOnly = args.Length > 3 && args[3] == "creates"; // skip the look-ups (to profile the creates alone)
var calendar = WorkingCalendar.Load(Path.Combine(RepositoryPaths.Root, "config", "calendar"));

var dir = RepositoryPaths.NewScratchDirectory("bench");
try
{
    if (only is null or "sqlite") await RunAsync("sqlite", new SqliteDialect(), $"Data Source={Path.Combine(dir, "bench.db")}");
    if (only is null or "postgres")
    {
        await using var pg = await PostgresServer.StartAsync();
        await RunAsync("postgres", new PostgresDialect(), pg.ConnectionString);
    }
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(dir, true);
}

async Task RunAsync(string name, ISqlDialect dialect, string cs)
{
    await new Migrator(dialect, cs, TimeProvider.System).MigrateAsync();
    await using var store = new TicketStore(dialect, cs);
    var service = new TicketService(store, new SlaClock(SlaPolicy.Default, calendar), TimeProvider.System, NullLogger<TicketService>.Instance);
    var codes = new System.Collections.Concurrent.ConcurrentBag<string>();
    var per = orders / writers;
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
    {
        for (var i = 0; i < per; i++)
        {
            var r = await service.CreateAsync(new NewTicket
            {
                Channel = Channel.Phone, CallerPhone = "13812345678", Title = $"bench {w}/{i}", Description = "路灯不亮",
                Type = TicketType.Complaint, Department = "区城管局", Accept = true, Actor = "bench",
            });
            codes.Add(r.Ticket!.Code);
        }
    })));
    var createSeconds = sw.Elapsed.TotalSeconds;
    // This process's CPU only (for PostgreSQL the server's own CPU is not in it): robust to other load on the machine.
    var cpuMsPerCreate = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / orders;
    var all = codes.ToArray();

    if (createsOnly)
    {
        Console.WriteLine($"{name}: {all.Length} orders created by {writers} writers in {createSeconds:0.00} s = {all.Length / createSeconds:0} orders/s " +
            $"({cpuMsPerCreate:0.000} CPU ms/create in this process); load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        return;
    }
    sw.Restart();
    await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
    {
        for (var i = w; i < all.Length; i += writers)
            if (await store.GetByCodeAsync(all[i]) is null) throw new InvalidOperationException("lost " + all[i]);
    })));
    var lookupSeconds = sw.Elapsed.TotalSeconds;
    Console.WriteLine($"{name}: {all.Length} orders created by {writers} writers in {createSeconds:0.00} s = {all.Length / createSeconds:0} orders/s ({cpuMsPerCreate:0.000} CPU ms/create in this process); " +
        $"{all.Length} code look-ups in {lookupSeconds:0.00} s = {all.Length / lookupSeconds:0} look-ups/s; " +
        $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
}
