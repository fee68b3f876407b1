using Microsoft.Data.Sqlite;
using SQLitePCL;
using Telephony.Tickets.Domain;

namespace Telephony.Tickets.Store;

/// <summary>
/// A create batch on SQLite through the connection's native handle: the four statements (BEGIN IMMEDIATE, the
/// order's insert, the history row's insert, COMMIT) are compiled once for the connection's life and values are
/// bound by position straight from <see cref="InsertBinding"/>, text as UTF-16 that SQLite converts itself. Through
/// ADO.NET the same insert cost a name look-up per parameter, a boxed value and a data reader per row, which was
/// most of a create's CPU. Errors surface as <see cref="SqliteException"/>, as from ADO.NET.
/// </summary>
internal sealed class SqliteCreateWriter : ICreateWriter
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _begin, _insert, _history, _commit;

    public SqliteCreateWriter(SqliteConnection connection, TicketSql sql)
    {
        _connection = connection;
        _db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        try
        {
            // IMMEDIATE takes the write lock at once, so another process's writer makes us wait at BEGIN (busy_timeout),
            // never fail half-way through a batch on a lock upgrade.
            _begin = Prepare("BEGIN IMMEDIATE");
            _insert = Prepare(sql.Insert);
            _history = Prepare(sql.InsertHistory);
            _commit = Prepare("COMMIT");
        }
        catch
        {
            FinalizeStatements();
            throw;
        }
    }

    private sqlite3_stmt Prepare(string text)
    {
        var rc = raw.sqlite3_prepare_v2(_db, text, out var stmt);
        SqliteException.ThrowExceptionForRC(rc, _db);
        return stmt;
    }

    public Task BeginAsync()
    {
        Run(_begin);
        return Task.CompletedTask;
    }

    public Task InsertTicketsAsync(IReadOnlyList<Ticket> tickets)
    {
        foreach (var t in tickets)
        {
            Bind(_insert, InsertBinding.Ticket, t);
            // RETURNING id, code: one row when inserted, none when the code was taken (ON CONFLICT DO NOTHING).
            t.Id = 0;
            while (Step(_insert)) t.Id = raw.sqlite3_column_int64(_insert, 0);
            Reset(_insert);
        }
        return Task.CompletedTask;
    }

    public Task InsertHistoryAsync(IReadOnlyList<(Ticket Ticket, HistoryEntry Created)> rows)
    {
        foreach (var (t, created) in rows)
        {
            Bind(_history, InsertBinding.History, created);
            // ticket_id is the first column: the order's id, known only now.
            Check(raw.sqlite3_bind_int64(_history, 1, t.Id));
            Run(_history);
        }
        return Task.CompletedTask;
    }

    public Task CommitAsync()
    {
        Run(_commit);
        return Task.CompletedTask;
    }

    private void Bind<T>(sqlite3_stmt stmt, InsertBinding.Column<T>[] columns, T row)
    {
        for (var i = 0; i < columns.Length; i++)
        {
            var c = columns[i];
            int rc;
            if (c.Text is { } text)
                rc = text(row) is { } s ? raw.sqlite3_bind_text16(stmt, i + 1, s.AsSpan()) : raw.sqlite3_bind_null(stmt, i + 1);
            else
                rc = c.Integer!(row) is { } n ? raw.sqlite3_bind_int64(stmt, i + 1, n) : raw.sqlite3_bind_null(stmt, i + 1);
            Check(rc);
        }
    }

    /// <summary>True for a row, false when done; throws on an error, leaving the statement reset.</summary>
    private bool Step(sqlite3_stmt stmt)
    {
        var rc = raw.sqlite3_step(stmt);
        if (rc == raw.SQLITE_ROW) return true;
        if (rc == raw.SQLITE_DONE) return false;
        // The message is read before sqlite3_reset, while it still describes the step; the primary code is the low byte
        // (as ADO.NET reports it), the extended one comes from the handle.
        var error = new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc & 0xFF, raw.sqlite3_extended_errcode(_db));
        raw.sqlite3_reset(stmt);
        throw error;
    }

    private void Run(sqlite3_stmt stmt)
    {
        while (Step(stmt)) { }
        Reset(stmt);
    }

    private static void Reset(sqlite3_stmt stmt) => raw.sqlite3_reset(stmt);

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public ValueTask DisposeAsync()
    {
        // A batch that failed half-way left its transaction open: undo it before the handle goes back to the pool.
        if (raw.sqlite3_get_autocommit(_db) == 0) raw.sqlite3_exec(_db, "ROLLBACK");
        FinalizeStatements();
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }

    private void FinalizeStatements()
    {
        foreach (var stmt in new[] { _begin, _insert, _history, _commit }) stmt?.Dispose();
    }
}
