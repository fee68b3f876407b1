using System.Data;
using System.Data.Common;
using Telephony.Tickets.Domain;

namespace Telephony.Tickets.Store;

/// <summary>
/// Hand-written parameter binding for the hot inserts of a create (the order and its history row): one table of
/// column, parameter and typed value, from which the SQL, the ADO.NET binding and SQLite's by-position binding
/// (<see cref="SqliteCreateWriter"/>) are all made, so they cannot drift apart. Values as in <see cref="TicketRow"/>.
/// Each column is text or an integer, never both, so no value is boxed on the SQLite path.
/// </summary>
internal static class InsertBinding
{
    internal sealed record Column<T>(string Name, string Parameter, Func<T, string?>? Text, Func<T, long?>? Integer)
    {
        public DbType Type => Text is null ? DbType.Int64 : DbType.String;

        public object Value(T row) => (Text is { } text ? text(row) : (object?)Integer!(row)) ?? DBNull.Value;
    }

    private static Column<T> S<T>(string name, string parameter, Func<T, string?> value) => new(name, parameter, value, null);

    private static Column<T> I<T>(string name, string parameter, Func<T, long?> value) => new(name, parameter, null, value);

    public static readonly Column<Ticket>[] Ticket =
    [
        S<Ticket>("code", "Code", t => t.Code),
        I<Ticket>("version", "Version", t => t.Version),
        S<Ticket>("channel", "Channel", t => t.Channel.ToString()),
        S<Ticket>("caller_phone", "CallerPhone", t => t.Caller.Phone),
        S<Ticket>("caller_name", "CallerName", t => t.Caller.Name),
        I<Ticket>("anonymous", "Anonymous", t => t.Caller.Anonymous ? 1 : 0),
        I<Ticket>("confidential", "Confidential", t => t.Caller.Confidential ? 1 : 0),
        S<Ticket>("transcript", "Transcript", t => t.Transcript),
        S<Ticket>("recording_ref", "RecordingRef", t => t.RecordingRef),
        S<Ticket>("title", "Title", t => t.Title),
        S<Ticket>("description", "Description", t => t.Description),
        S<Ticket>("category1", "Category1", t => t.Category?.Level1),
        S<Ticket>("category2", "Category2", t => t.Category?.Level2),
        S<Ticket>("category3", "Category3", t => t.Category?.Level3),
        S<Ticket>("type", "Type", t => t.Type.ToString()),
        S<Ticket>("urgency", "Urgency", t => t.Urgency.ToString()),
        S<Ticket>("location", "Location", t => t.Location),
        S<Ticket>("department", "Department", t => t.Department),
        S<Ticket>("status", "Status", t => t.Status.ToString()),
        S<Ticket>("satisfaction", "Satisfaction", t => t.Satisfaction?.ToString()),
        I<Ticket>("merged_into", "MergedInto", t => t.MergedInto),
        S<Ticket>("reply", "Reply", t => t.Reply),
        I<Ticket>("created_at", "CreatedAt", t => TicketRow.Ms(t.CreatedAt)),
        I<Ticket>("updated_at", "UpdatedAt", t => TicketRow.Ms(t.UpdatedAt)),
        I<Ticket>("accepted_at", "AcceptedAt", t => TicketRow.Ms(t.AcceptedAt)),
        I<Ticket>("replied_at", "RepliedAt", t => TicketRow.Ms(t.RepliedAt)),
        I<Ticket>("closed_at", "ClosedAt", t => TicketRow.Ms(t.ClosedAt)),
        I<Ticket>("reply_due_at", "ReplyDueAt", t => TicketRow.Ms(t.ReplyDueAt)),
        I<Ticket>("reply_warn_at", "ReplyWarnAt", t => TicketRow.Ms(t.ReplyWarnAt)),
        I<Ticket>("close_due_at", "CloseDueAt", t => TicketRow.Ms(t.CloseDueAt)),
        I<Ticket>("close_warn_at", "CloseWarnAt", t => TicketRow.Ms(t.CloseWarnAt)),
        S<Ticket>("sla_state", "SlaState", t => t.SlaState.ToString()),
        I<Ticket>("sla_next_check_at", "SlaNextCheckAt", t => TicketRow.Ms(t.SlaNextCheckAt)),
    ];

    public static readonly Column<HistoryEntry>[] History =
    [
        I<HistoryEntry>("ticket_id", "TicketId", e => e.TicketId),
        I<HistoryEntry>("at", "At", e => TicketRow.Ms(e.At)),
        S<HistoryEntry>("actor", "Actor", e => e.Actor),
        S<HistoryEntry>("kind", "Kind", e => e.Kind.ToString()),
        S<HistoryEntry>("from_status", "FromStatus", e => e.From?.ToString()),
        S<HistoryEntry>("to_status", "ToStatus", e => e.To.ToString()),
        S<HistoryEntry>("note", "Note", e => e.Note),
    ];

    public static string Names<T>(IEnumerable<Column<T>> columns) => string.Join(", ", columns.Select(c => c.Name));

    public static string Parameters<T>(IEnumerable<Column<T>> columns) => string.Join(", ", columns.Select(c => "@" + c.Parameter));

    /// <summary>
    /// Adds one parameter per column (values set later by <see cref="Set{T}"/>). Named with the <c>@</c> the SQL uses:
    /// Microsoft.Data.Sqlite looks a bare name up under each of its three prefixes, a full scan of the statement's
    /// parameters for each miss.
    /// </summary>
    public static void Declare<T>(Column<T>[] columns, DbParameterCollection parameters, Func<DbParameter> create)
    {
        foreach (var column in columns)
        {
            var p = create();
            (p.ParameterName, p.DbType, p.Value) = ("@" + column.Parameter, column.Type, DBNull.Value);
            parameters.Add(p);
        }
    }

    public static void Set<T>(Column<T>[] columns, DbParameterCollection parameters, T row)
    {
        for (var i = 0; i < columns.Length; i++) parameters[i].Value = columns[i].Value(row);
    }
}
