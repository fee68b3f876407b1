using Telephony.Host.Calls;
using Telephony.Media.Channel;
using Telephony.Media.Rtp;
using Telephony.Sip.Calls;

namespace Telephony.Host.Agents;

/// <summary>
/// The answered SIP leg to an agent's phone: an <see cref="AnsweredLeg"/> (which owns the RTP session and the
/// bridge) with the agent it belongs to, as the ACD's side of the call sees it.
/// </summary>
public sealed class SipAgentCall(string agentId, AnsweredLeg leg) : IAgentCall
{
    public string CallId => leg.CallId;
    public string AgentId { get; } = agentId;
    public Task Ended => leg.Ended;
    public SipCall Sip => leg.Sip;
    public RtpSession Session => leg.Session;

    public void Hangup() => leg.Hangup();

    public IDisposable Connect(ICallChannel caller) => leg.Connect(caller);

    public IDisposable PlayRingback() => leg.PlayLoop(Ringback.Cycle(leg.SampleRate));
}
