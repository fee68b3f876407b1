using System.Data.Common;
using Telephony.Tickets.Domain;

namespace Telephony.Tickets.Store;

/// <summary>
/// Group commit for creates: concurrent inserts are queued and written by one long-lived writer connection, a batch
/// per transaction (each order, its query code and its Created history row), and each caller's task completes only
/// after its batch has committed, so a create that returned is committed. While one batch is written the next one
/// gathers: under load batches grow, when idle a create is a batch of one. A query code already taken inserts
/// nothing (the dialect's insert-unless-taken) and is drawn again inside the same transaction; the unique index
/// still decides, so codes stay unique across processes. One failing order does not fail its batch-mates: the batch
/// is rolled back and each of its orders written alone.
/// </summary>
internal sealed class GroupCommit(ISqlDialect dialect, string connectionString, TicketSql sql, Func<string> newCode,
    Func<CancellationToken, Task<IDisposable?>> writerGate) : IAsyncDisposable
{
    /// <summary>Bounds a transaction's size (and PostgreSQL's batch message); a few hundred creates is plenty.</summary>
    public const int MaxBatch = 256;

    private readonly object _lock = new();
    private readonly Queue<Pending> _queue = new();
    private Task? _draining;
    // Only the drain loop touches these.
    private DbConnection? _connection;
    private DbCommand? _insert, _history;

    private sealed class Pending(Ticket ticket, HistoryEntry created) : TaskCompletionSource<Ticket>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public Ticket Ticket => ticket;
        public HistoryEntry Created => created;
        public bool Taken, Cancelled;
        public CancellationTokenRegistration Registration;
    }

    public Task<Ticket> InsertAsync(Ticket ticket, HistoryEntry created, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        var p = new Pending(ticket, created);
        if (cancel.CanBeCanceled)
            p.Registration = cancel.Register(() =>
            {
                // Cancellation counts only before the order is taken into a batch: once taken, it commits and says so.
                lock (_lock)
                {
                    if (p.Taken) return;
                    p.Cancelled = true;
                }
                p.TrySetCanceled(cancel);
            });
        lock (_lock)
        {
            _queue.Enqueue(p);
            _draining ??= Task.Run(DrainAsync);
        }
        return p.Task;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            var batch = new List<Pending>();
            lock (_lock)
            {
                while (batch.Count < MaxBatch && _queue.TryDequeue(out var p))
                    if (!p.Cancelled)
                    {
                        p.Taken = true;
                        batch.Add(p);
                    }
                if (batch.Count == 0)
                {
                    _draining = null;
                    return;
                }
            }
            await WriteAsync(batch);
        }
    }

    /// <summary>Never throws: each caller gets its own outcome.</summary>
    private async Task WriteAsync(List<Pending> batch)
    {
        try
        {
            await WriteBatchAsync(batch);
            foreach (var p in batch) Complete(p, null);
        }
        catch (Exception) when (batch.Count > 1)
        {
            foreach (var p in batch)
            {
                try
                {
                    await WriteBatchAsync([p]);
                    Complete(p, null);
                }
                catch (Exception e) { Complete(p, e); }
            }
        }
        catch (Exception e) { Complete(batch[0], e); }
    }

    private static void Complete(Pending p, Exception? error)
    {
        p.Registration.Dispose();
        if (error is null) p.TrySetResult(p.Ticket);
        else p.TrySetException(error);
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        using var gate = await writerGate(CancellationToken.None);
        try
        {
            var connection = _connection ??= await dialect.OpenAsync(connectionString);
            await using var transaction = await connection.BeginTransactionAsync();
            var waiting = batch;
            for (var attempt = 1; waiting.Count > 0; attempt++)
            {
                if (attempt > TicketStore.CodeAttempts)
                    throw new InvalidOperationException($"No free query code after {TicketStore.CodeAttempts} draws: the code space is nearly full.");
                foreach (var p in waiting) p.Ticket.Code = newCode();
                var inserted = await InsertTicketsAsync(connection, transaction, waiting);
                var left = new List<Pending>();
                var done = new bool[waiting.Count];
                // Statements run in order, so of two orders that drew the same code the first got it.
                foreach (var (id, code) in inserted)
                {
                    var i = waiting.FindIndex(p => p.Ticket.Code == code);
                    while (i >= 0 && done[i]) i = waiting.FindIndex(i + 1, p => p.Ticket.Code == code);
                    if (i < 0) throw new InvalidOperationException($"The insert returned code {code}, which no order of the batch drew.");
                    done[i] = true;
                    waiting[i].Ticket.Id = id;
                }
                for (var i = 0; i < waiting.Count; i++) if (!done[i]) left.Add(waiting[i]);
                waiting = left;
            }
            await InsertHistoryAsync(connection, transaction, batch);
            await transaction.CommitAsync();
        }
        catch
        {
            // The connection may be broken (a restarted server): the next batch opens a fresh one.
            await ResetAsync();
            throw;
        }
    }

    private async Task<List<(long Id, string Code)>> InsertTicketsAsync(DbConnection connection, DbTransaction transaction, List<Pending> items)
    {
        var result = new List<(long, string)>(items.Count);
        if (items.Count > 1 && connection.CanCreateBatch)
        {
            // One round trip for the whole batch (PostgreSQL).
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            foreach (var p in items)
            {
                var c = batch.CreateBatchCommand();
                c.CommandText = sql.Insert;
                InsertBinding.Declare(c.Parameters, c.CreateParameter, history: false);
                InsertBinding.Set(c.Parameters, p.Ticket);
                batch.BatchCommands.Add(c);
            }
            await using var reader = await batch.ExecuteReaderAsync();
            do
                while (await reader.ReadAsync()) result.Add((reader.GetInt64(0), reader.GetString(1)));
            while (await reader.NextResultAsync());
            return result;
        }
        // In-process (SQLite): one command, its statement compiled once and kept, values rebound per order.
        _insert ??= Command(connection, sql.Insert, history: false);
        _insert.Transaction = transaction;
        foreach (var p in items)
        {
            InsertBinding.Set(_insert.Parameters, p.Ticket);
            await using var reader = await _insert.ExecuteReaderAsync();
            if (await reader.ReadAsync()) result.Add((reader.GetInt64(0), reader.GetString(1)));
        }
        return result;
    }

    private async Task InsertHistoryAsync(DbConnection connection, DbTransaction transaction, List<Pending> items)
    {
        if (items.Count > 1 && connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            foreach (var p in items)
            {
                var c = batch.CreateBatchCommand();
                c.CommandText = sql.InsertHistory;
                InsertBinding.Declare(c.Parameters, c.CreateParameter, history: true);
                InsertBinding.Set(c.Parameters, p.Created with { TicketId = p.Ticket.Id });
                batch.BatchCommands.Add(c);
            }
            await batch.ExecuteNonQueryAsync();
            return;
        }
        _history ??= Command(connection, sql.InsertHistory, history: true);
        _history.Transaction = transaction;
        foreach (var p in items)
        {
            InsertBinding.Set(_history.Parameters, p.Created with { TicketId = p.Ticket.Id });
            await _history.ExecuteNonQueryAsync();
        }
    }

    private static DbCommand Command(DbConnection connection, string text, bool history)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        InsertBinding.Declare(command.Parameters, command.CreateParameter, history);
        return command;
    }

    private async Task ResetAsync()
    {
        if (_insert is not null) await _insert.DisposeAsync();
        if (_history is not null) await _history.DisposeAsync();
        if (_connection is not null) await _connection.DisposeAsync();
        (_insert, _history, _connection) = (null, null, null);
    }

    public async ValueTask DisposeAsync()
    {
        Task? draining;
        lock (_lock) draining = _draining;
        if (draining is not null) await draining;
        await ResetAsync();
    }
}
