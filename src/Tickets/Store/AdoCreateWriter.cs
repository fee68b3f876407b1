using System.Data.Common;
using Telephony.Tickets.Domain;

namespace Telephony.Tickets.Store;

/// <summary>
/// A create batch through ADO.NET (PostgreSQL, SQL Server): with <see cref="DbBatch"/> support (Npgsql) a batch's
/// inserts go in one round trip, else one kept command is rebound per row.
/// </summary>
internal sealed class AdoCreateWriter(DbConnection connection, TicketSql sql) : ICreateWriter
{
    private DbTransaction? _transaction;
    private DbCommand? _insert, _history;

    public async Task BeginAsync() => _transaction = await connection.BeginTransactionAsync();

    public async Task InsertTicketsAsync(IReadOnlyList<Ticket> tickets)
    {
        foreach (var t in tickets) t.Id = 0;
        if (tickets.Count > 1 && connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = _transaction;
            foreach (var t in tickets)
            {
                var c = batch.CreateBatchCommand();
                c.CommandText = sql.Insert;
                InsertBinding.Declare(InsertBinding.Ticket, c.Parameters, c.CreateParameter);
                InsertBinding.Set(InsertBinding.Ticket, c.Parameters, t);
                batch.BatchCommands.Add(c);
            }
            var returned = new List<(long Id, string Code)>(tickets.Count);
            await using (var reader = await batch.ExecuteReaderAsync())
            {
                do
                    while (await reader.ReadAsync()) returned.Add((reader.GetInt64(0), reader.GetString(1)));
                while (await reader.NextResultAsync());
            }
            // Statements run in order, so of two orders that drew the same code the first got it.
            foreach (var (id, code) in returned)
            {
                var owner = tickets.FirstOrDefault(t => t.Id == 0 && t.Code == code)
                    ?? throw new InvalidOperationException($"The insert returned code {code}, which no order of the batch drew.");
                owner.Id = id;
            }
            return;
        }
        _insert ??= Command(sql.Insert, InsertBinding.Ticket);
        _insert.Transaction = _transaction;
        foreach (var t in tickets)
        {
            InsertBinding.Set(InsertBinding.Ticket, _insert.Parameters, t);
            await using var reader = await _insert.ExecuteReaderAsync();
            if (await reader.ReadAsync()) t.Id = reader.GetInt64(0);
        }
    }

    public async Task InsertHistoryAsync(IReadOnlyList<(Ticket Ticket, HistoryEntry Created)> rows)
    {
        if (rows.Count > 1 && connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = _transaction;
            foreach (var (t, created) in rows)
            {
                var c = batch.CreateBatchCommand();
                c.CommandText = sql.InsertHistory;
                InsertBinding.Declare(InsertBinding.History, c.Parameters, c.CreateParameter);
                InsertBinding.Set(InsertBinding.History, c.Parameters, created with { TicketId = t.Id });
                batch.BatchCommands.Add(c);
            }
            await batch.ExecuteNonQueryAsync();
            return;
        }
        _history ??= Command(sql.InsertHistory, InsertBinding.History);
        _history.Transaction = _transaction;
        foreach (var (t, created) in rows)
        {
            InsertBinding.Set(InsertBinding.History, _history.Parameters, created with { TicketId = t.Id });
            await _history.ExecuteNonQueryAsync();
        }
    }

    public async Task CommitAsync()
    {
        await _transaction!.CommitAsync();
        await _transaction.DisposeAsync();
        _transaction = null;
    }

    private DbCommand Command<T>(string text, InsertBinding.Column<T>[] columns)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        InsertBinding.Declare(columns, command.Parameters, command.CreateParameter);
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null) await _transaction.DisposeAsync();
        if (_insert is not null) await _insert.DisposeAsync();
        if (_history is not null) await _history.DisposeAsync();
        await connection.DisposeAsync();
    }
}
