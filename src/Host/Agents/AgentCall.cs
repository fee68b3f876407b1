using System.Collections.Concurrent;
using Telephony.Host.Calls;

namespace Telephony.Host.Agents;

/// <summary>
/// An agent's phone that answered an offer, as the call side needs it: who, when it ends, how to end it, and
/// how to join the caller to it (<see cref="IBridgedLeg"/>). <see cref="SipAgentCall"/> is the SIP/RTP one; tests use fakes.
/// </summary>
public interface IAgentCall : IBridgedLeg
{
    string AgentId { get; }

    /// <summary>The ACD's id of the call this leg was offered (the caller's SIP Call-ID).</summary>
    string CallId { get; }

    /// <summary>China's ringback to the agent until the handle is disposed: a callback's citizen is being rung.</summary>
    IDisposable PlayRingback();
}

/// <summary>
/// Where an agent leg leaves the phone it got answered, for the queue transfer of that call to take. The leg
/// parks it before it reports <c>Answered</c> to the ACD; the transfer takes it once the ACD says the call is
/// answered (<c>CallAnswered</c>). If the ACD had already given up on the offer (timeout, caller gone), it
/// cancels the leg's token instead and the leg takes its phone back and hangs it up: <see cref="TryTake"/> is
/// atomic, so exactly one side ends up owning the phone. One singleton per process.
/// </summary>
public sealed class AnsweredAgentCalls
{
    private readonly ConcurrentDictionary<string, IAgentCall> _parked = new(StringComparer.Ordinal);

    public void Park(IAgentCall call)
    {
        // A leftover of an earlier offer of the same call would never be taken: end it rather than leak it.
        if (_parked.TryRemove(call.CallId, out var stale) && !ReferenceEquals(stale, call)) stale.Hangup();
        _parked[call.CallId] = call;
    }

    /// <summary>The parked phone of <paramref name="callId"/> (of <paramref name="agentId"/> when given), removed; null when none.</summary>
    public IAgentCall? TryTake(string callId, string? agentId = null)
    {
        if (!_parked.TryGetValue(callId, out var call)) return null;
        if (agentId is not null && !string.Equals(call.AgentId, agentId, StringComparison.Ordinal)) return null;
        return _parked.TryRemove(new KeyValuePair<string, IAgentCall>(callId, call)) ? call : null;
    }

    /// <summary>Takes <paramref name="call"/> back only if it is still the one parked (the leg's side of the race).</summary>
    public bool TryTakeBack(IAgentCall call) => _parked.TryRemove(new KeyValuePair<string, IAgentCall>(call.CallId, call));

    public int Count => _parked.Count;
}
