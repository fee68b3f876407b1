using System.Data;
using System.Data.Common;
using Telephony.Tickets.Domain;

namespace Telephony.Tickets.Store;

/// <summary>
/// Hand-written parameter binding for the hot insert (a create): one table of column, parameter, type and value,
/// from which both the SQL and the binding are made, so the two cannot drift apart. Values as in <see cref="TicketRow"/>.
/// </summary>
internal static class InsertBinding
{
    internal readonly record struct Column(string Name, string Parameter, DbType Type, Func<Ticket, object?> Value);

    public static readonly Column[] Ticket =
    [
        new("code", "Code", DbType.String, t => t.Code),
        new("version", "Version", DbType.Int32, t => t.Version),
        new("channel", "Channel", DbType.String, t => t.Channel.ToString()),
        new("caller_phone", "CallerPhone", DbType.String, t => t.Caller.Phone),
        new("caller_name", "CallerName", DbType.String, t => t.Caller.Name),
        new("anonymous", "Anonymous", DbType.Int32, t => t.Caller.Anonymous ? 1 : 0),
        new("confidential", "Confidential", DbType.Int32, t => t.Caller.Confidential ? 1 : 0),
        new("transcript", "Transcript", DbType.String, t => t.Transcript),
        new("recording_ref", "RecordingRef", DbType.String, t => t.RecordingRef),
        new("title", "Title", DbType.String, t => t.Title),
        new("description", "Description", DbType.String, t => t.Description),
        new("category1", "Category1", DbType.String, t => t.Category?.Level1),
        new("category2", "Category2", DbType.String, t => t.Category?.Level2),
        new("category3", "Category3", DbType.String, t => t.Category?.Level3),
        new("type", "Type", DbType.String, t => t.Type.ToString()),
        new("urgency", "Urgency", DbType.String, t => t.Urgency.ToString()),
        new("location", "Location", DbType.String, t => t.Location),
        new("department", "Department", DbType.String, t => t.Department),
        new("status", "Status", DbType.String, t => t.Status.ToString()),
        new("satisfaction", "Satisfaction", DbType.String, t => t.Satisfaction?.ToString()),
        new("merged_into", "MergedInto", DbType.Int64, t => t.MergedInto),
        new("reply", "Reply", DbType.String, t => t.Reply),
        new("created_at", "CreatedAt", DbType.Int64, t => TicketRow.Ms(t.CreatedAt)),
        new("updated_at", "UpdatedAt", DbType.Int64, t => TicketRow.Ms(t.UpdatedAt)),
        new("accepted_at", "AcceptedAt", DbType.Int64, t => TicketRow.Ms(t.AcceptedAt)),
        new("replied_at", "RepliedAt", DbType.Int64, t => TicketRow.Ms(t.RepliedAt)),
        new("closed_at", "ClosedAt", DbType.Int64, t => TicketRow.Ms(t.ClosedAt)),
        new("reply_due_at", "ReplyDueAt", DbType.Int64, t => TicketRow.Ms(t.ReplyDueAt)),
        new("reply_warn_at", "ReplyWarnAt", DbType.Int64, t => TicketRow.Ms(t.ReplyWarnAt)),
        new("close_due_at", "CloseDueAt", DbType.Int64, t => TicketRow.Ms(t.CloseDueAt)),
        new("close_warn_at", "CloseWarnAt", DbType.Int64, t => TicketRow.Ms(t.CloseWarnAt)),
        new("sla_state", "SlaState", DbType.String, t => t.SlaState.ToString()),
        new("sla_next_check_at", "SlaNextCheckAt", DbType.Int64, t => TicketRow.Ms(t.SlaNextCheckAt)),
    ];

    internal readonly record struct HistoryColumn(string Name, string Parameter, DbType Type, Func<HistoryEntry, object?> Value);

    public static readonly HistoryColumn[] History =
    [
        new("ticket_id", "TicketId", DbType.Int64, e => e.TicketId),
        new("at", "At", DbType.Int64, e => TicketRow.Ms(e.At)),
        new("actor", "Actor", DbType.String, e => e.Actor),
        new("kind", "Kind", DbType.String, e => e.Kind.ToString()),
        new("from_status", "FromStatus", DbType.String, e => e.From?.ToString()),
        new("to_status", "ToStatus", DbType.String, e => e.To.ToString()),
        new("note", "Note", DbType.String, e => e.Note),
    ];

    public static string Names<T>(IEnumerable<T> columns, Func<T, string> name, string prefix = "") =>
        string.Join(", ", columns.Select(c => prefix + name(c)));

    /// <summary>Adds one parameter per column (values set later by <see cref="Set(DbParameterCollection, Ticket)"/>).</summary>
    public static void Declare(DbParameterCollection parameters, Func<DbParameter> create, bool history)
    {
        var count = history ? History.Length : Ticket.Length;
        for (var i = 0; i < count; i++)
        {
            var p = create();
            (p.ParameterName, p.DbType) = history ? (History[i].Parameter, History[i].Type) : (Ticket[i].Parameter, Ticket[i].Type);
            p.Value = DBNull.Value;
            parameters.Add(p);
        }
    }

    public static void Set(DbParameterCollection parameters, Ticket t)
    {
        for (var i = 0; i < Ticket.Length; i++) parameters[i].Value = Ticket[i].Value(t) ?? DBNull.Value;
    }

    public static void Set(DbParameterCollection parameters, HistoryEntry e)
    {
        for (var i = 0; i < History.Length; i++) parameters[i].Value = History[i].Value(e) ?? DBNull.Value;
    }
}
