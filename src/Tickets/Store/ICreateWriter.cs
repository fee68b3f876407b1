using System.Data.Common;
using Telephony.Tickets.Domain;

namespace Telephony.Tickets.Store;

/// <summary>
/// The statements of one create batch on the group commit's long-lived writer connection: begin, the orders
/// (each unless its query code is taken), their history rows, commit. Prepared once per connection and reused.
/// Disposing closes the connection, rolling back a transaction left open by an error.
/// </summary>
internal interface ICreateWriter : IAsyncDisposable
{
    Task BeginAsync();

    /// <summary>
    /// Inserts each order in list order; an order whose code another row holds (an earlier one of the list, too)
    /// inserts nothing and keeps <see cref="Ticket.Id"/> 0, every other one gets its new id.
    /// </summary>
    Task InsertTicketsAsync(IReadOnlyList<Ticket> tickets);

    /// <summary>Inserts each order's Created row, <see cref="HistoryEntry.TicketId"/> taken from the order.</summary>
    Task InsertHistoryAsync(IReadOnlyList<(Ticket Ticket, HistoryEntry Created)> rows);

    Task CommitAsync();
}

internal static class CreateWriters
{
    /// <summary>
    /// SQLite runs in-process, where the ADO.NET layer costs more than the insert itself (a name look-up per
    /// parameter, a reader per row): it gets statements bound by position. The servers keep ADO.NET, which
    /// sends a batch's statements in one round trip.
    /// </summary>
    public static async Task<ICreateWriter> OpenAsync(ISqlDialect dialect, string connectionString, TicketSql sql)
    {
        var connection = await dialect.OpenAsync(connectionString);
        try
        {
            return connection is Microsoft.Data.Sqlite.SqliteConnection sqlite
                ? new SqliteCreateWriter(sqlite, sql)
                : new AdoCreateWriter(connection, sql);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
