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
    public async Task The_database_runs_in_WAL_mode()
    {
        await using var connection = await Dialect.OpenAsync(ConnectionString);
        Assert.That(await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "PRAGMA journal_mode"), Is.EqualTo("wal"));
    }
}
