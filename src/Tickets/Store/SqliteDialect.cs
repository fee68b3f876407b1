using System.Data.Common;
using System.Runtime.CompilerServices;
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

    // The native handles already configured. Microsoft.Data.Sqlite pools handles, and the pragmas below are settings
    // of the handle, so a pooled one keeps them: running (and compiling) the three again on every open cost a look-up
    // about as much as its query. A handle closed for good drops out of the table with its object.
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();

    public async Task<DbConnection> OpenAsync(string connectionString, CancellationToken cancel = default)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancel);
        if (Configured.TryGetValue(connection.Handle!, out _)) return connection;
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        await pragma.ExecuteNonQueryAsync(cancel);
        Configured.TryAdd(connection.Handle!, Configured);
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
