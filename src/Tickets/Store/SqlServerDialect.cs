using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace Telephony.Tickets.Store;

/// <summary>
/// SQL Server through Microsoft.Data.SqlClient. Every statement it produces is parsed by ScriptDom in the tests
/// (no SQL Server runs on the build machine); a real server is tested when <c>TELEPHONY_TEST_SQLSERVER</c> is set.
/// </summary>
public sealed class SqlServerDialect : ISqlDialect
{
    public string Name => "sqlserver";

    public async Task<DbConnection> OpenAsync(string connectionString, CancellationToken cancel = default)
    {
        var connection = new SqlConnection(connectionString);
        await connection.OpenAsync(cancel);
        return connection;
    }

    // No ON CONFLICT in T-SQL: UPDLOCK + HOLDLOCK take a key-range lock on the probe, so two sessions cannot both
    // see the key free; the unique index stays the final check.
    public string InsertUnlessTaken(string table, string columns, string values, string key) =>
        $"INSERT INTO {table} ({columns}) OUTPUT INSERTED.id, INSERTED.{key} SELECT {values} " +
        $"WHERE NOT EXISTS (SELECT 1 FROM {table} WITH (UPDLOCK, HOLDLOCK) WHERE {key} = @{char.ToUpperInvariant(key[0])}{key[1..]})";

    public string Page => "OFFSET @Skip ROWS FETCH NEXT @Take ROWS ONLY";

    // Case sensitivity follows the column's collation (case-insensitive by default).
    public string Like(string column, string parameter) => $"{column} LIKE {parameter} ESCAPE '\\'";

    // In T-SQL LIKE, [ opens a character class too.
    public string EscapeLike(string text) => SqlDialects.EscapeLikeCommon(text).Replace("[", "\\[");

    public bool SingleWriter => false;

    public string CreateMigrationsTable =>
        "IF OBJECT_ID(N'schema_migrations', N'U') IS NULL CREATE TABLE schema_migrations (version int NOT NULL CONSTRAINT pk_schema_migrations PRIMARY KEY, name nvarchar(200) NOT NULL, applied_at bigint NOT NULL)";

    public string? BeforeMigrations => null;

    // 2627: violation of a UNIQUE constraint; 2601: duplicate key in a unique index.
    public bool IsUniqueViolation(Exception exception) => exception is SqlException { Number: 2627 or 2601 };
}
