using System.Collections.Concurrent;

namespace Telephony.Host.Agents;

/// <summary>
/// What the agent desktop shows for a call handed to the ACD: everything the IVR gathered. The caller's number
/// is kept whole here (the call needs it); the desktop masks it before it leaves the process.
/// </summary>
public sealed record DeskCall(
    string CallId,
    string Queue,
    string? Caller,
    string? DraftCode,
    string? Transcript,
    string? RecordingPath,
    IReadOnlyDictionary<string, string> Context,
    DateTimeOffset At);

/// <summary>An agent finished the work order of a call (moved it to accepted or dispatched) from the desktop.</summary>
public sealed record DeskFinalized(string CallId, string AgentId, string QueryCode, string Status);

/// <summary>
/// The meeting point of the call side and the desktop side of an agent call. The queue transfer (call side)
/// registers a <see cref="DeskCall"/> before it enqueues the call and removes it when the call ends; the
/// desktop reads it for the screen pop and reports <see cref="Finalize"/>, which the call side turns into the
/// query code read to the caller. One singleton per process.
/// </summary>
public sealed class CallDesk
{
    private readonly ConcurrentDictionary<string, DeskCall> _calls = new(StringComparer.Ordinal);

    /// <summary>Raised (synchronously, on the finalizing request's thread) after an agent finalized a call's order.</summary>
    public event Action<DeskFinalized>? Finalized;

    public void Register(DeskCall call) => _calls[call.CallId] = call;

    public DeskCall? Find(string callId) => _calls.TryGetValue(callId, out var call) ? call : null;

    public void Remove(string callId) => _calls.TryRemove(callId, out _);

    public IReadOnlyCollection<DeskCall> Calls => _calls.Values.ToList();

    public void Finalize(DeskFinalized finalized) => Finalized?.Invoke(finalized);
}
