using System.Data.Common;
using Telephony.Tickets.Domain;

namespace Telephony.Tickets.Store;

/// <summary>
/// Reads <c>tickets</c> rows by position, in the order of <see cref="Columns"/> (from which <see cref="TicketSql"/>
/// builds its SELECT, so the two stay in step). Values as in <see cref="TicketRow"/>. By hand rather than by Dapper's
/// mapper: on SQLite that mapper asks every column's name and declared type for each query it runs (its cache key) and
/// boxes every value, which made a look-up by code cost more than the query itself.
/// </summary>
internal static class TicketReader
{
    public static readonly string[] Columns =
    [
        "id", "code", "version", "channel", "caller_phone", "caller_name", "anonymous", "confidential", "transcript",
        "recording_ref", "title", "description", "category1", "category2", "category3", "type", "urgency", "location",
        "department", "status", "satisfaction", "merged_into", "reply", "created_at", "updated_at", "accepted_at",
        "replied_at", "closed_at", "reply_due_at", "reply_warn_at", "close_due_at", "close_warn_at", "sla_state",
        "sla_next_check_at",
    ];

    public static Ticket Read(DbDataReader r) => new()
    {
        Id = r.GetInt64(0), Code = r.GetString(1), Version = r.GetInt32(2), Channel = Enum.Parse<Channel>(r.GetString(3)),
        Caller = new Caller(Text(r, 4), Text(r, 5), r.GetInt32(6) != 0, r.GetInt32(7) != 0),
        Transcript = Text(r, 8), RecordingRef = Text(r, 9), Title = r.GetString(10), Description = r.GetString(11),
        Category = Text(r, 12) is { } level1 ? new Category(level1, Text(r, 13), Text(r, 14)) : null,
        Type = Enum.Parse<TicketType>(r.GetString(15)), Urgency = Enum.Parse<Urgency>(r.GetString(16)),
        Location = Text(r, 17), Department = Text(r, 18), Status = Enum.Parse<TicketStatus>(r.GetString(19)),
        Satisfaction = Text(r, 20) is { } s ? Enum.Parse<Satisfaction>(s) : null, MergedInto = Long(r, 21), Reply = Text(r, 22),
        CreatedAt = TicketRow.At(r.GetInt64(23)), UpdatedAt = TicketRow.At(r.GetInt64(24)), AcceptedAt = At(r, 25),
        RepliedAt = At(r, 26), ClosedAt = At(r, 27), ReplyDueAt = At(r, 28), ReplyWarnAt = At(r, 29), CloseDueAt = At(r, 30),
        CloseWarnAt = At(r, 31), SlaState = Enum.Parse<SlaState>(r.GetString(32)), SlaNextCheckAt = At(r, 33),
    };

    public static async Task<List<Ticket>> ReadAllAsync(DbDataReader reader, CancellationToken cancel)
    {
        var tickets = new List<Ticket>();
        while (await reader.ReadAsync(cancel)) tickets.Add(Read(reader));
        return tickets;
    }

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static long? Long(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    private static DateTimeOffset? At(DbDataReader r, int i) => r.IsDBNull(i) ? null : TicketRow.At(r.GetInt64(i));
}
