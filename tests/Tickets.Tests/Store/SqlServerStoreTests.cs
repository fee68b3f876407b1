using Telephony.Tickets.Store;

namespace Telephony.Tickets.Tests.Store;

/// <summary>
/// The contract on a real SQL Server, only when <c>TELEPHONY_TEST_SQLSERVER</c> holds a connection string to an
/// empty database (no SQL Server runs on the build machine); otherwise every case reports as skipped with that reason.
/// </summary>
[TestFixture]
public sealed class SqlServerStoreTests : StoreContract
{
    public const string Variable = "TELEPHONY_TEST_SQLSERVER";

    protected override Task<(ISqlDialect, string)> StartDatabaseAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(connectionString))
            Assert.Ignore($"{Variable} is not set: set it to a SQL Server connection string (an empty database) to run the store contract on SQL Server.");
        return Task.FromResult<(ISqlDialect, string)>((new SqlServerDialect(), connectionString!));
    }
}
