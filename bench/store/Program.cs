using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Testing;
using Telephony.Tickets;
using Telephony.Tickets.Domain;
using Telephony.Tickets.Sla;
using Telephony.Tickets.Store;

// dotnet run -c Release --project bench/store -- [orders=20000] [writers=16] [sqlite|postgres|both] [creates]
// Creates orders through TicketService (validation, SLA clock, insert + history row in one transaction), then looks
// every code up once with the same number of readers ("creates": skip the look-ups, to profile the creates alone).
// SQLite on a file in /tmp (WAL, synchronous=NORMAL); PostgreSQL 15 started by the bench like the tests do
// (fsync=off, synchronous_commit=off). Before the timed run, 2,000 untimed creates (or a fifth of the orders, if
// fewer) warm the JIT up, so the figure is the steady state a running server has, not the first seconds of one.
var orders = args.Length > 0 ? int.Parse(args[0]) : 20000;
var writers = args.Length > 1 ? int.Parse(args[1]) : 16;
var only = args.Length > 2 && args[2] != "both" ? args[2] : null; // "sqlite" or "postgres": run one store
var createsOnly = args.Length > 3 && args[3] == "creates";
var warmup = Math.Min(2000, orders / 5);
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
    await CreateAsync(service, warmup, "warm-up");

    var load = Load();
    var (cpu, written) = (Cpu(), WrittenBytes());
    var sw = Stopwatch.StartNew();
    var codes = await CreateAsync(service, orders, "bench");
    var createSeconds = sw.Elapsed.TotalSeconds;
    // This process's CPU only (for PostgreSQL the server's own CPU is not in it): robust to other load on the machine.
    var cpuPerCreate = (Cpu() - cpu) / codes.Length;
    var bytesPerCreate = (WrittenBytes() - written) / codes.Length;
    var line = $"{name}: {codes.Length} orders created by {writers} writers in {createSeconds:0.00} s = {codes.Length / createSeconds:0} orders/s " +
        $"({cpuPerCreate:0.000} CPU ms/create in this process{(bytesPerCreate > 0 ? $", {bytesPerCreate:0} bytes written/create" : "")})";
    if (!createsOnly)
    {
        cpu = Cpu();
        sw.Restart();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = w; i < codes.Length; i += writers)
                if (await store.GetByCodeAsync(codes[i]) is null) throw new InvalidOperationException("lost " + codes[i]);
        })));
        var lookupSeconds = sw.Elapsed.TotalSeconds;
        line += $"; {codes.Length} code look-ups in {lookupSeconds:0.00} s = {codes.Length / lookupSeconds:0} look-ups/s " +
            $"({(Cpu() - cpu) / codes.Length:0.000} CPU ms/look-up)";
    }
    Console.WriteLine($"{line}; load average {load} at start, {Load()} at end");
}

async Task<string[]> CreateAsync(TicketService service, int count, string title)
{
    var codes = new string[count / writers * writers];
    var per = count / writers;
    await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
    {
        for (var i = 0; i < per; i++)
        {
            var r = await service.CreateAsync(new NewTicket
            {
                Channel = Channel.Phone, CallerPhone = "13812345678", Title = $"{title} {w}/{i}", Description = "路灯不亮",
                Type = TicketType.Complaint, Department = "区城管局", Accept = true, Actor = "bench",
            });
            codes[w * per + i] = r.Ticket?.Code ?? throw new InvalidOperationException(r.Error);
        }
    })));
    return codes;
}

static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

// Bytes this process handed to write(2)/pwrite(2): for SQLite its WAL frames and checkpoint copies (PostgreSQL's
// socket sends are not counted there, so it shows none).
static long WrittenBytes() => long.Parse(File.ReadLines("/proc/self/io").First(l => l.StartsWith("wchar:"))[6..].Trim());
