using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Telephony.Tickets.Store;

/// <summary>
/// The embedded default. WAL (set by the first migration, persistent in the file) lets readers run beside the one
/// writer; <c>synchronous=NORMAL</c> under WAL syncs at checkpoints, not at every commit, which is what makes
/// thousands of creates per second possible (a crash can lose the last commits, never corrupt the file).
/// Microsoft.Data.Sqlite retries on SQLITE_BUSY until the command timeout, so concurrent writers queue up.
/// </summary>
public sealed class SqliteDialect : ISqlDialect
{
    public string Name => "sqlite";

    public async Task<DbConnection> OpenAsync(string connectionString, CancellationToken cancel = default)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancel);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        await pragma.ExecuteNonQueryAsync(cancel);
        return connection;
    }

    // The upsert clause with RETURNING reports no row for DO NOTHING (SQLite 3.35+).
    public string InsertUnlessTaken(string table, string columns, string values, string key) =>
        $"INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT ({key}) DO NOTHING RETURNING id, {key}";

    public string Page => "LIMIT @Take OFFSET @Skip";

    // LIKE is case-insensitive for ASCII in SQLite; Chinese has no case.
    public string Like(string column, string parameter) => $"{column} LIKE {parameter} ESCAPE '\\'";

    public string EscapeLike(string text) => SqlDialects.EscapeLikeCommon(text);

    public bool SingleWriter => true;

    public string CreateMigrationsTable =>
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)";

    // journal_mode cannot change inside a transaction; once set, WAL stays with the database file.
    public string? BeforeMigrations => "PRAGMA journal_mode=WAL";

    // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
    public bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };
}
