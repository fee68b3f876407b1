using System.Text;

namespace Telephony.Tickets.Store;

/// <summary>
/// Every statement the store runs, written once and spelled for one dialect. Parameters always (Dapper):
/// user text never enters the SQL. The ScriptDom test parses each of these for SQL Server.
/// </summary>
public sealed class TicketSql
{
    private static readonly string Select = $"SELECT {string.Join(", ", TicketReader.Columns)} FROM tickets";

    private readonly ISqlDialect _dialect;

    public TicketSql(ISqlDialect dialect)
    {
        _dialect = dialect;
        Insert = dialect.InsertUnlessTaken("tickets", InsertBinding.Names(InsertBinding.Ticket), InsertBinding.Parameters(InsertBinding.Ticket), "code");
        DueForSla = $"{Select} WHERE sla_next_check_at IS NOT NULL AND sla_next_check_at <= @Now ORDER BY sla_next_check_at, id {dialect.Page}";
    }

    /// <summary>A new order, returning (id, code); no row when its code is taken (drawn again by the caller).</summary>
    public string Insert { get; }

    public string InsertHistory { get; } =
        $"INSERT INTO ticket_history ({InsertBinding.Names(InsertBinding.History)}) VALUES ({InsertBinding.Parameters(InsertBinding.History)})";

    public string GetById => $"{Select} WHERE id = @Id";

    public string GetByCode => $"{Select} WHERE code = @Code";

    /// <summary>Optimistic concurrency: the row changes only if it still has the version the writer read.</summary>
    public string Update =>
        "UPDATE tickets SET version = @Version, caller_phone = @CallerPhone, caller_name = @CallerName, " +
        "anonymous = @Anonymous, confidential = @Confidential, transcript = @Transcript, recording_ref = @RecordingRef, " +
        "title = @Title, description = @Description, category1 = @Category1, category2 = @Category2, category3 = @Category3, " +
        "type = @Type, urgency = @Urgency, location = @Location, department = @Department, status = @Status, " +
        "satisfaction = @Satisfaction, merged_into = @MergedInto, reply = @Reply, updated_at = @UpdatedAt, " +
        "accepted_at = @AcceptedAt, replied_at = @RepliedAt, closed_at = @ClosedAt, reply_due_at = @ReplyDueAt, " +
        "reply_warn_at = @ReplyWarnAt, close_due_at = @CloseDueAt, close_warn_at = @CloseWarnAt, " +
        "sla_state = @SlaState, sla_next_check_at = @SlaNextCheckAt " +
        "WHERE id = @Id AND version = @ExpectedVersion";

    public string History =>
        "SELECT ticket_id AS TicketId, at AS At, actor AS Actor, kind AS Kind, from_status AS FromStatus, " +
        "to_status AS ToStatus, note AS Note FROM ticket_history WHERE ticket_id = @Id ORDER BY id";

    public string DueForSla { get; }

    /// <summary>The page and the total count of a search; only the filters present become conditions.</summary>
    public (string Page, string Count) Search(TicketQuery query)
    {
        var where = new StringBuilder();
        void And(string condition) => where.Append(where.Length == 0 ? " WHERE " : " AND ").Append(condition);
        if (!string.IsNullOrWhiteSpace(query.Keyword))
            And($"({_dialect.Like("title", "@Keyword")} OR {_dialect.Like("description", "@Keyword")} OR {_dialect.Like("location", "@Keyword")})");
        if (!string.IsNullOrWhiteSpace(query.Code)) And("code = @Code");
        if (!string.IsNullOrWhiteSpace(query.Phone)) And("caller_phone = @Phone");
        if (query.Status is not null) And("status = @Status");
        if (!string.IsNullOrWhiteSpace(query.Department)) And("department = @Department");
        if (query.From is not null) And("created_at >= @From");
        if (query.To is not null) And("created_at < @To");
        return ($"{Select}{where} ORDER BY created_at DESC, id DESC {_dialect.Page}", $"SELECT COUNT(*) FROM tickets{where}");
    }

    /// <summary>The parameters that go with <see cref="Search"/>.</summary>
    public object SearchParameters(TicketQuery query) => new
    {
        Keyword = query.Keyword is { } k ? $"%{_dialect.EscapeLike(k.Trim())}%" : null,
        Code = query.Code?.Trim(),
        Phone = query.Phone?.Trim(),
        Status = query.Status?.ToString(),
        Department = query.Department?.Trim(),
        From = query.From?.ToUnixTimeMilliseconds(),
        To = query.To?.ToUnixTimeMilliseconds(),
        Skip = (query.Page - 1) * query.PageSize,
        Take = query.PageSize,
    };
}
