using Microsoft.Extensions.Logging;
using Telephony.Host.Calls;
using Telephony.Media.Bridge;
using Telephony.Media.Channel;
using Telephony.Media.Rtp;
using Telephony.Sip.Calls;

namespace Telephony.Host.Agents;

/// <summary>
/// The answered SIP leg to an agent's phone and its RTP session (opened on the engine's media clock at the answer).
/// Owns the session: it is closed when the leg ends, whichever side ends it. A re-INVITE (hold, new address)
/// updates the session as on the caller's leg.
/// </summary>
public sealed class SipAgentCall : IAgentCall
{
    private readonly SipCall _sip;
    private readonly RtpSession _session;
    private readonly int _sampleRate;
    private readonly ILogger _log;

    public SipAgentCall(string callId, string agentId, SipCall sip, RtpSession session, int sampleRate, ILogger log)
    {
        CallId = callId;
        AgentId = agentId;
        _sip = sip;
        _session = session;
        _sampleRate = sampleRate;
        _log = log;
        sip.MediaChanged += OnMediaChanged;
        sip.Ended += OnEnded;
        // The leg may have ended between the answer and here: Ended would then never fire for us.
        if (sip.State == CallState.Ended) OnEnded(sip, sip.EndReason ?? CallEndReason.RemoteHangup);
    }

    public string CallId { get; }
    public string AgentId { get; }
    public Task Ended => _sip.Completion;
    public SipCall Sip => _sip;
    public RtpSession Session => _session;

    public void Hangup() => _sip.Hangup();

    public IDisposable Connect(ICallChannel caller)
    {
        if (caller is not RtpCallChannel rtp)
            throw new InvalidOperationException($"call {caller.CallId} is not an RTP call: it cannot be bridged to an agent's phone");
        // MediaBridge transcodes (each session decodes and encodes its own codec) and resamples 8 ↔ 16 kHz.
        return new Joined(new MediaBridge(rtp.Session, rtp.SampleRate, _session, _sampleRate), rtp.Session, this);
    }

    /// <summary>The bridge, logged when undone with the audio it had to drop (a reader that fell behind: a loaded clock).</summary>
    private sealed class Joined(MediaBridge bridge, RtpSession caller, SipAgentCall call) : IDisposable
    {
        public void Dispose()
        {
            bridge.Dispose();
            // Late or resynchronized frames were concealed on the way in: what a loaded machine costs the audio.
            call._log.LogInformation("Call {CallId}: bridge to agent {AgentId} undone; dropped {CallerToAgentMs} ms caller → agent, {AgentToCallerMs} ms agent → caller; " +
                "jitter buffers caller {CallerLate} late {CallerResyncs} resyncs, agent {AgentLate} late {AgentResyncs} resyncs",
                call.CallId, call.AgentId, bridge.AToB.Dropped * 1000 / bridge.AToB.ToRate, bridge.BToA.Dropped * 1000 / bridge.BToA.ToRate,
                caller.Jitter.Late, caller.Jitter.Resyncs, call._session.Jitter.Late, call._session.Jitter.Resyncs);
        }
    }

    private void OnMediaChanged(SipCall call)
    {
        if (call.Media is not { } media) return;
        if (media.RemoteRtp is { } remote && !remote.Equals(_session.RemoteEndPoint)) _session.UpdateRemote(remote);
        _session.SendEnabled = !media.OnHold;
    }

    // Runs inside Sip's end of the call: logged, never thrown back into the engine.
    private void OnEnded(SipCall call, CallEndReason reason)
    {
        try
        {
            var (received, lost, _) = _session.ReceiveSummary;
            _session.Close();
            _log.LogInformation("Agent leg {AgentCallId} of call {CallId} (agent {AgentId}) ended ({Reason}): {Sent} RTP packets sent, {Received} received, {Lost} lost",
                call.CallId, CallId, AgentId, reason, _session.PacketsSent, received, lost);
        }
        catch (Exception e)
        {
            _log.LogError(e, "Agent leg {AgentCallId}: closing media failed", call.CallId);
        }
    }
}
