using Telephony.Testing;
using Telephony.Tickets.Store;

namespace Telephony.Tickets.Tests.Store;

/// <summary>The contract on a real PostgreSQL server started for this fixture (initdb + pg_ctl on 127.0.0.1).</summary>
[TestFixture]
public sealed class PostgresStoreTests : StoreContract
{
    private PostgresServer? _server;

    protected override async Task<(ISqlDialect, string)> StartDatabaseAsync()
    {
        _server = await PostgresServer.StartAsync();
        return (new PostgresDialect(), _server.ConnectionString);
    }

    protected override async Task StopDatabaseAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        if (_server is not null) await _server.DisposeAsync();
    }
}
