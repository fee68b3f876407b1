using Telephony.Agents.Acd;
using Telephony.Host.Agents;

namespace Telephony.Host.Api;

/// <summary>
/// Which agent a call belongs to at the desktop, followed from the ACD's changes: offered to an agent (the screen
/// pop may show, the recording may play), answered by them (they may finalize its work order, during the call or
/// in wrap-up), finalized (not twice). An offer that ends unanswered (no answer, withdrawn, caller gone) gives the
/// call back, so the next agent it is offered to owns it and the first one gets 409. The call's <see cref="DeskCall"/>
/// is copied at the offer: the call side removes it from the <see cref="CallDesk"/> when the caller hangs up, and the
/// agent still finishes the order in wrap-up.
/// </summary>
public sealed class DeskAssignments : IDisposable
{
    /// <summary>Answered calls are remembered this long after their last change, then forgotten (the order is in the store).</summary>
    private static readonly TimeSpan Kept = TimeSpan.FromHours(12);

    private readonly AcdEngine acd;
    private readonly CallDesk desk;
    private readonly object gate = new();
    private readonly Dictionary<string, Assignment> calls = new(StringComparer.Ordinal);

    public sealed record Assignment(string CallId, string AgentId, bool Answered, bool Finalized, DateTimeOffset At, DeskCall? Call);

    public DeskAssignments(AcdEngine acd, CallDesk desk)
    {
        this.acd = acd;
        this.desk = desk;
        acd.Changed += OnChange;
    }

    /// <summary>The call as the CallDesk has it, else as it was when offered (the caller has hung up since); null if neither.</summary>
    public DeskCall? CallOf(string callId) => desk.Find(callId) ?? Of(callId)?.Call;

    public Assignment? Of(string callId)
    {
        lock (gate) return calls.GetValueOrDefault(callId);
    }

    /// <summary>The calls offered to or answered by an agent and not yet finalized, newest first (a reloaded page pops them again).</summary>
    public IReadOnlyList<Assignment> OpenFor(string agentId)
    {
        lock (gate) return calls.Values.Where(a => a.AgentId == agentId && !a.Finalized).OrderByDescending(a => a.At).ToList();
    }

    /// <summary>Marks the call finalized once; false when it is not this agent's answered call or was finalized already.</summary>
    public bool TryFinalize(string callId, string agentId)
    {
        lock (gate)
        {
            if (!calls.TryGetValue(callId, out var a) || a.AgentId != agentId || !a.Answered || a.Finalized) return false;
            calls[callId] = a with { Finalized = true };
            return true;
        }
    }

    /// <summary>Gives a finalize back when storing the order failed after <see cref="TryFinalize"/>, so the agent can retry.</summary>
    public void Unfinalize(string callId)
    {
        lock (gate)
            if (calls.TryGetValue(callId, out var a)) calls[callId] = a with { Finalized = false };
    }

    private void OnChange(AcdChange change)
    {
        lock (gate)
        {
            switch (change.Kind)
            {
                case AcdChangeKind.CallOffered when change.CallId is { } id && change.AgentId is { } agent:
                    calls[id] = new Assignment(id, agent, false, false, change.At, desk.Find(id));
                    break;
                case AcdChangeKind.CallAnswered when change.CallId is { } id && change.AgentId is { } agent:
                    calls[id] = new Assignment(id, agent, true, false, change.At, desk.Find(id) ?? calls.GetValueOrDefault(id)?.Call);
                    break;
                case AcdChangeKind.CallAbandoned when change.CallId is { } id:
                    if (calls.TryGetValue(id, out var gone) && !gone.Answered) calls.Remove(id);
                    break;
                // Ringing ended without an answer (no answer, busy, unreachable, withdrawn): the agent leaves Ringing
                // for anything but OnCall, and their unanswered offer is no longer theirs.
                case AcdChangeKind.AgentState when change.AgentId is { } agent && change.Detail is not (nameof(Telephony.Agents.Model.AgentState.Ringing) or nameof(Telephony.Agents.Model.AgentState.OnCall)):
                    foreach (var a in calls.Values.Where(a => a.AgentId == agent && !a.Answered).ToList()) calls.Remove(a.CallId);
                    break;
            }
            if (calls.Count > 256)
                foreach (var old in calls.Values.Where(a => change.At - a.At > Kept).ToList()) calls.Remove(old.CallId);
        }
    }

    public void Dispose() => acd.Changed -= OnChange;
}
