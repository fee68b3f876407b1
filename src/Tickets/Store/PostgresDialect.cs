using System.Data.Common;
using Npgsql;

namespace Telephony.Tickets.Store;

/// <summary>PostgreSQL through Npgsql. Connections come from Npgsql's pool (one data source per connection string).</summary>
public sealed class PostgresDialect : ISqlDialect
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, NpgsqlDataSource> Sources = new();

    public string Name => "postgres";

    public async Task<DbConnection> OpenAsync(string connectionString, CancellationToken cancel = default) =>
        await Sources.GetOrAdd(connectionString, cs => NpgsqlDataSource.Create(cs)).OpenConnectionAsync(cancel);

    // ON CONFLICT DO NOTHING raises nothing, so the rest of the batch's transaction goes on.
    public string InsertUnlessTaken(string table, string columns, string values, string key) =>
        $"INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT ({key}) DO NOTHING RETURNING id, {key}";

    public string Page => "LIMIT @Take OFFSET @Skip";

    public string Like(string column, string parameter) => $"{column} ILIKE {parameter} ESCAPE '\\'";

    public string EscapeLike(string text) => SqlDialects.EscapeLikeCommon(text);

    public bool SingleWriter => false;

    public string CreateMigrationsTable =>
        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name varchar(200) NOT NULL, applied_at bigint NOT NULL)";

    public string? BeforeMigrations => null;

    // 23505 unique_violation (PostgreSQL Appendix A, error codes).
    public bool IsUniqueViolation(Exception exception) => exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
