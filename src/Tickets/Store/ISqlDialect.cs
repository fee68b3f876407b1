using System.Data.Common;

namespace Telephony.Tickets.Store;

/// <summary>
/// What differs between SQLite, PostgreSQL and SQL Server, and nothing else: opening a connection, the few
/// fragments of SQL that are spelled differently, and how a unique-index violation shows. The statements
/// themselves are written once, in <see cref="TicketSql"/>.
/// </summary>
public interface ISqlDialect
{
    /// <summary><c>sqlite</c>, <c>postgres</c> or <c>sqlserver</c>: also the folder of its migrations.</summary>
    string Name { get; }

    /// <summary>Opens a connection and applies per-connection settings (SQLite's pragmas).</summary>
    Task<DbConnection> OpenAsync(string connectionString, CancellationToken cancel = default);

    /// <summary>
    /// <c>INSERT INTO table (columns) VALUES (values)</c> returning one row (<c>id</c>, <paramref name="key"/>), or no row
    /// and no error when the unique <paramref name="key"/> is already taken (so a batch's transaction survives a collision).
    /// </summary>
    string InsertUnlessTaken(string table, string columns, string values, string key);

    /// <summary>The paging clause after an ORDER BY, with parameters <c>@Skip</c> and <c>@Take</c>.</summary>
    string Page { get; }

    /// <summary>A case-insensitive LIKE of <paramref name="column"/> against <paramref name="parameter"/>, escape character <c>\</c>.</summary>
    string Like(string column, string parameter);

    /// <summary>Escapes the wildcards of this dialect's LIKE in user text.</summary>
    string EscapeLike(string text);

    bool IsUniqueViolation(Exception exception);

    /// <summary>
    /// True when the database takes one writer at a time (SQLite): the store then queues its writers in-process,
    /// which is far quicker than SQLite's busy handler, whose sleeps grow to 100 ms under contention.
    /// </summary>
    bool SingleWriter { get; }

    /// <summary>Creates the table of applied migrations when it is missing.</summary>
    string CreateMigrationsTable { get; }

    /// <summary>Run once before migrating, outside any transaction (SQLite's switch to WAL), or null.</summary>
    string? BeforeMigrations { get; }
}

public static class SqlDialects
{
    public static ISqlDialect For(string provider) => provider.Trim().ToLowerInvariant() switch
    {
        "sqlite" => new SqliteDialect(),
        "postgres" or "postgresql" or "npgsql" => new PostgresDialect(),
        "sqlserver" or "mssql" => new SqlServerDialect(),
        _ => throw new ArgumentException($"Unknown database provider '{provider}': use sqlite, postgres or sqlserver (Database:Provider)."),
    };

    internal static string EscapeLikeCommon(string text) =>
        text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
