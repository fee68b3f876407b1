namespace Telephony.Ivr.Services;

/// <summary>
/// The work-order operations a flow needs (Host adapts Tickets' service and store). Methods throw on failure;
/// the runner follows the node's error exit.
/// </summary>
public interface IWorkOrders
{
    /// <summary>Creates a draft work order for the call and returns its query code (digits the caller can key in).</summary>
    Task<DraftCreated> CreateDraftAsync(DraftRequest request, CancellationToken cancellation);

    /// <summary>The status of the work order with this query code, or null when there is none.</summary>
    Task<OrderProgress?> GetProgressAsync(string queryCode, string callerNumber, CancellationToken cancellation);

    /// <summary>How many work orders of this caller are still open (not closed), for "caller has open orders".</summary>
    Task<int> CountOpenOrdersAsync(string callerNumber, CancellationToken cancellation);
}

/// <summary>
/// Everything the call gathered: the recording (on disk before this is called), the transcript and the
/// proposed classification (either may be null when that step failed: the draft is still created).
/// </summary>
public sealed record DraftRequest(
    string CallId,
    string CallerNumber,
    string CalledNumber,
    string? RecordingPath,
    string? Transcript,
    RequestClassification? Classification,
    DateTimeOffset ReceivedAt);

public sealed record DraftCreated(string QueryCode, string? TicketId = null);

/// <summary>
/// <paramref name="Status"/> is the machine name (for conditions); <paramref name="StatusPrompt"/> names a prompt
/// that says it (e.g. "status_accepted") when one exists; <paramref name="StatusText"/> is the Chinese text for TTS.
/// </summary>
public sealed record OrderProgress(string QueryCode, string Status, string StatusText, string? StatusPrompt = null);
