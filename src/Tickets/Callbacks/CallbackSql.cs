namespace Telephony.Tickets.Callbacks;

/// <summary>
/// Every statement of <see cref="CallbackStore"/>, one per operation, parameters always (Dapper). They are the same in
/// the three dialects (plain INSERT, UPDATE and SELECT); the ScriptDom test parses each for SQL Server.
/// </summary>
public sealed class CallbackSql
{
    private const string Columns =
        "call_id AS CallId, queue AS Queue, caller_phone AS Number, draft_code AS DraftCode, priority AS Priority, " +
        "queued_at AS QueuedAt, requested_at AS RequestedAt, state AS State, attempts AS Attempts, next_attempt_at AS NextAttemptAt, updated_at AS UpdatedAt";

    public string Insert =>
        "INSERT INTO callback_requests (call_id, queue, caller_phone, draft_code, priority, queued_at, requested_at, state, attempts, next_attempt_at, updated_at) " +
        "VALUES (@CallId, @Queue, @Number, @DraftCode, @Priority, @QueuedAt, @RequestedAt, @State, @Attempts, @NextAttemptAt, @UpdatedAt)";

    public string Get => $"SELECT {Columns} FROM callback_requests WHERE call_id = @CallId";

    /// <summary>
    /// Only from the state the caller expects: a second outcome for one request changes nothing. Any move clears the next
    /// attempt's time: a request pending again without one (the agent hung up, a restart) is due at once.
    /// </summary>
    public string Move =>
        "UPDATE callback_requests SET state = @To, attempts = attempts + @Attempt, next_attempt_at = NULL, updated_at = @At " +
        "WHERE call_id = @CallId AND state = @From";

    /// <summary>An unreachable citizen with attempts left: pending again, not before the next attempt's time.</summary>
    public string RetryLater =>
        "UPDATE callback_requests SET state = @To, next_attempt_at = @NextAttemptAt, updated_at = @At WHERE call_id = @CallId AND state = @From";

    public string Pending => $"SELECT {Columns} FROM callback_requests WHERE state = @State ORDER BY queued_at, id";

    public string ResetPlacing => "UPDATE callback_requests SET state = @To, updated_at = @At WHERE state = @From";
}
