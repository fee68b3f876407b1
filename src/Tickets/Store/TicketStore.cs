using Dapper;
using Telephony.Tickets.Codes;
using Telephony.Tickets.Domain;

namespace Telephony.Tickets.Store;

/// <summary>
/// The store over Dapper (parameters; rows read by <see cref="TicketReader"/>): one pooled connection per operation, creates group-committed on one writer connection, SQL from <see cref="TicketSql"/>,
/// dialect differences behind <see cref="ISqlDialect"/>.
/// </summary>
public sealed class TicketStore(ISqlDialect dialect, string connectionString) : ITicketStore, IAsyncDisposable
{
    /// <summary>Fresh codes tried before giving up: at 10⁶ orders a draw collides with odds 1 in 900, so 8 is plenty.</summary>
    public const int CodeAttempts = 8;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> WriteGates = new();

    private readonly TicketSql _sql = new(dialect);
    private readonly SemaphoreSlim? _writeGate = WriteGateFor(dialect, connectionString);

    /// <summary>The in-process queue of writers of one single-writer database (SQLite), shared by every store on it; null otherwise.</summary>
    internal static SemaphoreSlim? WriteGateFor(ISqlDialect dialect, string connectionString) =>
        dialect.SingleWriter ? WriteGates.GetOrAdd(connectionString, _ => new SemaphoreSlim(1, 1)) : null;

    private GroupCommit? _groupCommit;
    // Lazily: NewCode is an init property, set after the field initializers run.
    private GroupCommit _creates => LazyInitializer.EnsureInitialized(ref _groupCommit, () => new GroupCommit(dialect, connectionString, _sql, NewCode, WriterAsync));

    private async Task<IDisposable?> WriterAsync(CancellationToken cancel)
    {
        if (_writeGate is null) return null;
        await _writeGate.WaitAsync(cancel);
        return new Release(_writeGate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }

    public ISqlDialect Dialect => dialect;
    public TicketSql Sql => _sql;

    /// <summary>Draws a query code; tests replace it to force collisions.</summary>
    public Func<string> NewCode { get; init; } = QueryCode.New;

    /// <summary>Through <see cref="GroupCommit"/>: returns once the order and its history row are committed.</summary>
    public Task<Ticket> InsertAsync(Ticket ticket, HistoryEntry created, CancellationToken cancel = default) =>
        _creates.InsertAsync(ticket, created, cancel);

    /// <summary>Closes the long-lived writer connection of the group commit.</summary>
    public ValueTask DisposeAsync() => _creates.DisposeAsync();

    public async Task<Ticket?> GetAsync(long id, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(connectionString, cancel);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(_sql.GetById, new { Id = id }, cancellationToken: cancel));
        return await reader.ReadAsync(cancel) ? TicketReader.Read(reader) : null;
    }

    public async Task<Ticket?> GetByCodeAsync(string code, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(connectionString, cancel);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(_sql.GetByCode, new { Code = code }, cancellationToken: cancel));
        return await reader.ReadAsync(cancel) ? TicketReader.Read(reader) : null;
    }

    public async Task<bool> UpdateAsync(Ticket ticket, int expectedVersion, HistoryEntry? entry, CancellationToken cancel = default)
    {
        using var writer = await WriterAsync(cancel);
        await using var connection = await dialect.OpenAsync(connectionString, cancel);
        await using var transaction = await connection.BeginTransactionAsync(cancel);
        var row = TicketRow.From(ticket);
        row.ExpectedVersion = expectedVersion;
        var changed = await connection.ExecuteAsync(new CommandDefinition(_sql.Update, row, transaction, cancellationToken: cancel));
        if (changed != 1)
        {
            await transaction.RollbackAsync(cancel);
            return false;
        }
        if (entry is not null)
            await connection.ExecuteAsync(new CommandDefinition(_sql.InsertHistory, HistoryRow.From(entry), transaction, cancellationToken: cancel));
        await transaction.CommitAsync(cancel);
        return true;
    }

    public async Task AddHistoryAsync(HistoryEntry entry, CancellationToken cancel = default)
    {
        using var writer = await WriterAsync(cancel);
        await using var connection = await dialect.OpenAsync(connectionString, cancel);
        await connection.ExecuteAsync(new CommandDefinition(_sql.InsertHistory, HistoryRow.From(entry), cancellationToken: cancel));
    }

    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(long id, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(connectionString, cancel);
        var rows = await connection.QueryAsync<HistoryRow>(new CommandDefinition(_sql.History, new { Id = id }, cancellationToken: cancel));
        return rows.Select(r => r.ToEntry()).ToList();
    }

    public async Task<PagedResult<Ticket>> SearchAsync(TicketQuery query, CancellationToken cancel = default)
    {
        var (pageSql, countSql) = _sql.Search(query);
        var parameters = _sql.SearchParameters(query);
        await using var connection = await dialect.OpenAsync(connectionString, cancel);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(countSql, parameters, cancellationToken: cancel));
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(pageSql, parameters, cancellationToken: cancel));
        return new PagedResult<Ticket>(await TicketReader.ReadAllAsync(reader, cancel), query.Page, query.PageSize, total);
    }

    public async Task<IReadOnlyList<Ticket>> DueForSlaCheckAsync(DateTimeOffset now, int limit, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(connectionString, cancel);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            _sql.DueForSla, new { Now = now.ToUnixTimeMilliseconds(), Skip = 0, Take = limit }, cancellationToken: cancel));
        return await TicketReader.ReadAllAsync(reader, cancel);
    }
}
