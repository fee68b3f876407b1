using Telephony.Tickets.Domain;

namespace Telephony.Tickets.Store;

/// <summary>
/// Group commit for creates: concurrent inserts are queued and written by one long-lived writer connection, a batch
/// per transaction (each order, its query code and its Created history row), and each caller's task completes only
/// after its batch has committed, so a create that returned is committed. While one batch is written the next one
/// gathers: under load batches grow, when idle a create is a batch of one. The query code is drawn by the caller,
/// off the writer's path; one already taken (or drawn twice in a batch) inserts nothing (the dialect's
/// insert-unless-taken) and is drawn again inside the same transaction; the unique index still decides, so codes
/// stay unique across processes. One failing order does not fail its batch-mates: the batch is rolled back and each
/// of its orders written alone (unless it failed before reaching its orders: then all fail together).
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
    private ICreateWriter? _writer;
    // Whether the last batch got as far as its orders: a failure before them (no connection, the write lock not
    // granted within the busy timeout) is no order's fault, so its callers all get it at once rather than each
    // waiting for it again alone.
    private bool _ordersReached;

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
        ticket.Code = newCode();
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
            // The callers just completed are queued on the thread pool; yielding lets them (and any other runnable
            // create) reach the queue before the next batch is taken. With 16 concurrent writers this made batches
            // of ~14 instead of ~2.5 and halved the CPU per create (WAL pages written once per commit, not per create);
            // a lone create waits only for the work already runnable.
            await Task.Yield();
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
        catch (Exception) when (batch.Count > 1 && _ordersReached)
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
        catch (Exception e)
        {
            foreach (var p in batch) Complete(p, e);
        }
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
            _ordersReached = false;
            var writer = _writer ??= await CreateWriters.OpenAsync(dialect, connectionString, sql);
            await writer.BeginAsync();
            _ordersReached = true;
            var waiting = new List<Ticket>(batch.Count);
            foreach (var p in batch) waiting.Add(p.Ticket);
            for (var attempt = 1; waiting.Count > 0; attempt++)
            {
                if (attempt > TicketStore.CodeAttempts)
                    throw new InvalidOperationException($"No free query code after {TicketStore.CodeAttempts} draws: the code space is nearly full.");
                // The first draw came with the order (a retried batch keeps its codes: the rollback freed them).
                if (attempt > 1) foreach (var t in waiting) t.Code = newCode();
                await writer.InsertTicketsAsync(waiting);
                waiting.RemoveAll(t => t.Id != 0);
            }
            var rows = new List<(Ticket, HistoryEntry)>(batch.Count);
            foreach (var p in batch) rows.Add((p.Ticket, p.Created));
            await writer.InsertHistoryAsync(rows);
            await writer.CommitAsync();
        }
        catch
        {
            // The connection may be broken (a restarted server): the next batch opens a fresh one.
            await ResetAsync();
            throw;
        }
    }

    private async Task ResetAsync()
    {
        if (_writer is not null) await _writer.DisposeAsync();
        _writer = null;
    }

    public async ValueTask DisposeAsync()
    {
        Task? draining;
        lock (_lock) draining = _draining;
        if (draining is not null) await draining;
        await ResetAsync();
    }
}
