using Dapper;
using Telephony.Tickets.Store;

namespace Telephony.Tickets.Callbacks;

/// <summary>
/// Callback requests over Dapper, in the work orders' database and through the same dialect seam: the dialect opens
/// the connection and recognizes a duplicate call id; on SQLite writes queue behind the work orders' one writer.
/// </summary>
public sealed class CallbackStore(ISqlDialect dialect, string connectionString) : ICallbackStore
{
    private readonly CallbackSql _sql = new();
    private readonly SemaphoreSlim? _writeGate = TicketStore.WriteGateFor(dialect, connectionString);

    public CallbackSql Sql => _sql;

    public async Task<bool> AddAsync(CallbackRequest request, CancellationToken cancel = default)
    {
        try
        {
            await WriteAsync(_sql.Insert, Row.From(request), cancel);
            return true;
        }
        catch (Exception e) when (dialect.IsUniqueViolation(e))
        {
            return false;
        }
    }

    public async Task<CallbackRequest?> GetAsync(string callId, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(connectionString, cancel);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(_sql.Get, new { CallId = callId }, cancellationToken: cancel));
        return row?.ToRequest();
    }

    public async Task<bool> MoveAsync(string callId, CallbackState from, CallbackState to, DateTimeOffset at, CancellationToken cancel = default)
    {
        if (!CallbackStates.CanMove(from, to)) throw new InvalidOperationException($"A callback request cannot move from {from} to {to}");
        var changed = await WriteAsync(_sql.Move, new
        {
            CallId = callId, From = from.ToString(), To = to.ToString(), Attempt = to == CallbackState.Placing ? 1 : 0,
            At = at.ToUnixTimeMilliseconds(),
        }, cancel);
        return changed == 1;
    }

    public async Task<bool> RetryLaterAsync(string callId, DateTimeOffset nextAttemptAt, DateTimeOffset at, CancellationToken cancel = default)
    {
        var changed = await WriteAsync(_sql.RetryLater, new
        {
            CallId = callId, From = nameof(CallbackState.Placing), To = nameof(CallbackState.Pending), NextAttemptAt = nextAttemptAt.ToUnixTimeMilliseconds(),
            At = at.ToUnixTimeMilliseconds(),
        }, cancel);
        return changed == 1;
    }

    public async Task<IReadOnlyList<CallbackRequest>> PendingAsync(CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(connectionString, cancel);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(_sql.Pending, new { State = nameof(CallbackState.Pending) }, cancellationToken: cancel));
        return rows.Select(r => r.ToRequest()).ToList();
    }

    public Task<int> ResetPlacingAsync(DateTimeOffset at, CancellationToken cancel = default) =>
        WriteAsync(_sql.ResetPlacing, new { From = nameof(CallbackState.Placing), To = nameof(CallbackState.Pending), At = at.ToUnixTimeMilliseconds() }, cancel);

    private async Task<int> WriteAsync(string sql, object parameters, CancellationToken cancel)
    {
        if (_writeGate is not null) await _writeGate.WaitAsync(cancel);
        try
        {
            await using var connection = await dialect.OpenAsync(connectionString, cancel);
            return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancel));
        }
        finally
        {
            _writeGate?.Release();
        }
    }

    /// <summary>The row as the database holds it: instants in Unix milliseconds, enums by name.</summary>
    private sealed class Row
    {
        public string CallId { get; set; } = "";
        public string Queue { get; set; } = "";
        public string Number { get; set; } = "";
        public string? DraftCode { get; set; }
        public string Priority { get; set; } = "";
        public long QueuedAt { get; set; }
        public long RequestedAt { get; set; }
        public string State { get; set; } = "";
        public int Attempts { get; set; }
        public long? NextAttemptAt { get; set; }
        public long UpdatedAt { get; set; }

        public static Row From(CallbackRequest r) => new()
        {
            CallId = r.CallId, Queue = r.Queue, Number = r.Number, DraftCode = r.DraftCode, Priority = r.Priority,
            QueuedAt = r.QueuedAt.ToUnixTimeMilliseconds(), RequestedAt = r.RequestedAt.ToUnixTimeMilliseconds(), State = r.State.ToString(),
            Attempts = r.Attempts, NextAttemptAt = r.NextAttemptAt?.ToUnixTimeMilliseconds(), UpdatedAt = (r.UpdatedAt == default ? r.RequestedAt : r.UpdatedAt).ToUnixTimeMilliseconds(),
        };

        public CallbackRequest ToRequest() => new()
        {
            CallId = CallId, Queue = Queue, Number = Number, DraftCode = DraftCode, Priority = Priority,
            QueuedAt = DateTimeOffset.FromUnixTimeMilliseconds(QueuedAt), RequestedAt = DateTimeOffset.FromUnixTimeMilliseconds(RequestedAt),
            State = Enum.Parse<CallbackState>(State), Attempts = Attempts,
            NextAttemptAt = NextAttemptAt is { } next ? DateTimeOffset.FromUnixTimeMilliseconds(next) : null, UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt),
        };
    }
}
