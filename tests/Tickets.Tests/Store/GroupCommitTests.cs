using System.Data.Common;
using Telephony.Tickets.Store;

namespace Telephony.Tickets.Tests.Store;

/// <summary>The group commit's failure handling where no database is needed: a writer that cannot even start.</summary>
public class GroupCommitTests
{
    /// <summary>SQLite's dialect whose every open fails (as with an unreachable server), counting the attempts.</summary>
    private sealed class UnreachableDialect : ISqlDialect
    {
        private readonly SqliteDialect _inner = new();
        public int Opens;
        public string Name => _inner.Name;
        public Task<DbConnection> OpenAsync(string connectionString, CancellationToken cancel = default)
        {
            Interlocked.Increment(ref Opens);
            throw new InvalidOperationException("database unreachable");
        }
        public string InsertUnlessTaken(string table, string columns, string values, string key) => _inner.InsertUnlessTaken(table, columns, values, key);
        public string Page => _inner.Page;
        public string Like(string column, string parameter) => _inner.Like(column, parameter);
        public string EscapeLike(string text) => _inner.EscapeLike(text);
        public bool IsUniqueViolation(Exception exception) => false;
        public bool SingleWriter => _inner.SingleWriter;
        public string CreateMigrationsTable => _inner.CreateMigrationsTable;
        public string? BeforeMigrations => _inner.BeforeMigrations;
    }

    [Test]
    public async Task A_writer_that_cannot_start_fails_its_whole_batch_at_once_without_retrying_each_order()
    {
        var dialect = new UnreachableDialect();
        await using var store = new TicketStore(dialect, $"Data Source=unreachable-{Guid.NewGuid():N}");
        var creates = Enumerable.Range(0, 20).Select(i => store.InsertAsync(
            new Ticket { Title = $"t{i}", Description = "d", Status = TicketStatus.Draft },
            new HistoryEntry(0, DateTimeOffset.UnixEpoch, "agent1", HistoryKind.Created, null, TicketStatus.Draft, null))).ToList();
        foreach (var create in creates)
            Assert.That(async () => await create, Throws.InvalidOperationException.With.Message.Contains("unreachable"));
        // One attempt per batch (the queue drains in a few batches), not one more per order.
        Assert.That(dialect.Opens, Is.LessThan(creates.Count), $"{dialect.Opens} opens for {creates.Count} creates");
    }
}
