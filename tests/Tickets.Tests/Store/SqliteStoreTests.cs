using Telephony.Testing;
using Telephony.Tickets.Store;

namespace Telephony.Tickets.Tests.Store;

[TestFixture]
public sealed class SqliteStoreTests : StoreContract
{
    private string _directory = "";

    protected override Task<(ISqlDialect, string)> StartDatabaseAsync()
    {
        _directory = RepositoryPaths.NewScratchDirectory("sqlite");
        return Task.FromResult<(ISqlDialect, string)>((new SqliteDialect(), $"Data Source={Path.Combine(_directory, "tickets.db")};Pooling=true"));
    }

    protected override Task StopDatabaseAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Test]
    public async Task Background_job_ticks_on_the_fake_clock_and_marks_an_overdue_order()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Time.GetUtcNow());
        var service = new TicketService(Store, new Telephony.Tickets.Sla.SlaClock(Telephony.Tickets.Sla.SlaPolicy.Default, Sla.CalendarFixture.Shipped),
            time, Microsoft.Extensions.Logging.Abstractions.NullLogger<TicketService>.Instance);
        var t = (await service.CreateAsync(Complaint(Unique("dept")) with { Urgency = Urgency.Urgent })).Ticket!;
        var monitor = new Telephony.Tickets.Sla.SlaMonitor(Store, time, Microsoft.Extensions.Logging.Abstractions.NullLogger<Telephony.Tickets.Sla.SlaMonitor>.Instance);
        using var stop = new CancellationTokenSource();
        var loop = monitor.RunAsync(TimeSpan.FromMinutes(1), stop.Token);
        try
        {
            // No real time passes: only the fake clock's ticks run the job.
            for (var minute = 0; minute < 61; minute++) time.Advance(TimeSpan.FromMinutes(1));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while ((await Store.GetAsync(t.Id))!.SlaState != SlaState.Overdue && DateTime.UtcNow < deadline)
            {
                time.Advance(TimeSpan.FromMinutes(1));
                await Task.Delay(20);
            }
            Assert.That((await Store.GetAsync(t.Id))!.SlaState, Is.EqualTo(SlaState.Overdue));
        }
        finally
        {
            stop.Cancel();
            Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await loop);
        }
    }

    [Test]
    public async Task The_database_runs_in_WAL_mode()
    {
        await using var connection = await Dialect.OpenAsync(ConnectionString);
        Assert.That(await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "PRAGMA journal_mode"), Is.EqualTo("wal"));
    }

    [Test]
    public async Task A_pooled_connection_opened_again_keeps_its_pragmas()
    {
        for (var i = 0; i < 3; i++)
        {
            // The second and third opens get the pooled handle, on which the dialect runs no pragma: they must still hold.
            await using var connection = await Dialect.OpenAsync(ConnectionString);
            Assert.Multiple(async () =>
            {
                Assert.That(await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "PRAGMA foreign_keys"), Is.EqualTo(1), $"open {i}");
                Assert.That(await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "PRAGMA synchronous"), Is.EqualTo(1), "NORMAL");
                Assert.That(await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "PRAGMA busy_timeout"), Is.EqualTo(30000));
            });
        }
    }
}
