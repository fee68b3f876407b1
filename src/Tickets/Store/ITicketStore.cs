using Telephony.Tickets.Domain;

namespace Telephony.Tickets.Store;

/// <summary>Persistence of work orders and their history; one implementation over three dialects (<see cref="TicketStore"/>).</summary>
public interface ITicketStore
{
    /// <summary>Inserts the order with a fresh query code (drawn again on a collision) and its first history row; fills Id and Code.</summary>
    Task<Ticket> InsertAsync(Ticket ticket, HistoryEntry created, CancellationToken cancel = default);

    Task<Ticket?> GetAsync(long id, CancellationToken cancel = default);

    Task<Ticket?> GetByCodeAsync(string code, CancellationToken cancel = default);

    /// <summary>
    /// Writes <paramref name="ticket"/> (with Version already bumped) and <paramref name="entry"/> (when given) in one transaction,
    /// only if the row still has <paramref name="expectedVersion"/>; false when another writer changed it first.
    /// </summary>
    Task<bool> UpdateAsync(Ticket ticket, int expectedVersion, HistoryEntry? entry, CancellationToken cancel = default);

    Task AddHistoryAsync(HistoryEntry entry, CancellationToken cancel = default);

    Task<IReadOnlyList<HistoryEntry>> HistoryAsync(long id, CancellationToken cancel = default);

    Task<PagedResult<Ticket>> SearchAsync(TicketQuery query, CancellationToken cancel = default);

    /// <summary>Orders whose SLA state may have changed by <paramref name="now"/>, oldest check first.</summary>
    Task<IReadOnlyList<Ticket>> DueForSlaCheckAsync(DateTimeOffset now, int limit, CancellationToken cancel = default);
}
