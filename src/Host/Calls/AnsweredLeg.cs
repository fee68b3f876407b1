using Microsoft.Extensions.Logging;
using Telephony.Media.Bridge;
using Telephony.Media.Channel;
using Telephony.Media.Rtp;
using Telephony.Sip.Calls;

namespace Telephony.Host.Calls;

/// <summary>
/// An outbound leg of the B2BUA that was answered (an agent's phone, a trunk's gateway), with its RTP session
/// opened on the engine's media clock. Owns the session: it is closed when the leg ends, whichever side ends it.
/// A re-INVITE (hold, new address) updates the session as on the caller's leg. <see cref="Party"/> and
/// <see cref="PartyId"/> name the far end in logs ("agent" 1001, "number" 119****). A far end that sends no RTP for
/// <c>Calls:RtpTimeoutSeconds</c> (not while it holds the call) is hung up (BYE), as the caller's channel is: whoever
/// bridges this leg sees it end and ends the other side.
/// </summary>
public sealed class AnsweredLeg : IBridgedLeg
{
    private readonly SipCall _sip;
    private readonly RtpSession _session;
    private readonly int _sampleRate;
    private readonly ILogger _log;
    private readonly RtpInactivity _inactivity;

    public AnsweredLeg(string callId, string party, string partyId, SipCall sip, RtpSession session, int sampleRate, ILogger log,
        TimeSpan rtpTimeout = default, TimeProvider? time = null)
    {
        CallId = callId;
        Party = party;
        PartyId = partyId;
        _sip = sip;
        _session = session;
        _sampleRate = sampleRate;
        _log = log;
        _inactivity = new RtpInactivity(session, rtpTimeout, time ?? TimeProvider.System);
        session.AudioReceived += OnAudio;
        sip.MediaChanged += OnMediaChanged;
        sip.Ended += OnEnded;
        // The leg may have ended between the answer and here: Ended would then never fire for us.
        if (sip.State == CallState.Ended) OnEnded(sip, sip.EndReason ?? CallEndReason.RemoteHangup);
    }

    /// <summary>The caller's call this leg belongs to (the caller's SIP Call-ID).</summary>
    public string CallId { get; }
    public string Party { get; }
    public string PartyId { get; }
    public Task Ended => _sip.Completion;
    public SipCall Sip => _sip;
    public RtpSession Session => _session;
    public int SampleRate => _sampleRate;

    /// <summary>Why the engine ended the leg itself, when it did (<c>RtpTimeout</c>).</summary>
    public string? HangupCause { get; private set; }

    public void Hangup() => _sip.Hangup();

    /// <summary>
    /// Sends <paramref name="cycle"/> (PCM at <see cref="SampleRate"/>) round and round until the handle is disposed,
    /// e.g. ringback to an agent while the citizen of a callback is rung. A bridge made meanwhile takes over the sending
    /// and gives it back when undone.
    /// </summary>
    public IDisposable PlayLoop(short[] cycle) => new Loop(_session, cycle);

    private sealed class Loop : IOutboundAudio, IDisposable
    {
        private readonly RtpSession _session;
        private readonly short[] _cycle;
        private readonly IOutboundAudio? _before;
        private int _offset;

        public Loop(RtpSession session, short[] cycle)
        {
            _session = session;
            _cycle = cycle;
            _before = session.Source;
            session.Source = this;
        }

        // Clock thread.
        public bool Read(Span<short> frame)
        {
            for (var filled = 0; filled < frame.Length;)
            {
                var n = Math.Min(frame.Length - filled, _cycle.Length - _offset);
                _cycle.AsSpan(_offset, n).CopyTo(frame[filled..]);
                filled += n;
                _offset = (_offset + n) % _cycle.Length;
            }
            return true;
        }

        public void Dispose()
        {
            if (ReferenceEquals(_session.Source, this)) _session.Source = _before;
        }
    }

    public IDisposable Connect(ICallChannel caller)
    {
        if (caller is not RtpCallChannel rtp)
            throw new InvalidOperationException($"call {caller.CallId} is not an RTP call: it cannot be bridged to {Party} {PartyId}");
        // MediaBridge transcodes (each session decodes and encodes its own codec) and resamples 8 ↔ 16 kHz.
        return new Joined(new MediaBridge(rtp.Session, rtp.SampleRate, _session, _sampleRate), rtp.Session, this);
    }

    /// <summary>The bridge, logged when undone with the audio it had to drop (a reader that fell behind: a loaded clock).</summary>
    private sealed class Joined(MediaBridge bridge, RtpSession caller, AnsweredLeg leg) : IDisposable
    {
        public void Dispose()
        {
            bridge.Dispose();
            // Late or resynchronized frames were concealed on the way in: what a loaded machine costs the audio.
            leg._log.LogInformation("Call {CallId}: bridge to {Party:l} {PartyId} undone; dropped {CallerToFarMs} ms caller → {Party:l}, {FarToCallerMs} ms {Party:l} → caller; " +
                "jitter buffers caller {CallerLate} late {CallerResyncs} resyncs, {Party:l} {FarLate} late {FarResyncs} resyncs",
                leg.CallId, leg.Party, leg.PartyId, bridge.AToB.Dropped * 1000 / bridge.AToB.ToRate, leg.Party, bridge.BToA.Dropped * 1000 / bridge.BToA.ToRate, leg.Party,
                caller.Jitter.Late, caller.Jitter.Resyncs, leg.Party, leg._session.Jitter.Late, leg._session.Jitter.Resyncs);
        }
    }

    private void OnMediaChanged(SipCall call)
    {
        if (call.Media is not { } media) return;
        if (media.RemoteRtp is { } remote && !remote.Equals(_session.RemoteEndPoint)) _session.UpdateRemote(remote);
        _session.SendEnabled = !media.OnHold;
        _inactivity.Hold(media.OnHold);
    }

    // Clock thread: one frame from the far end (decoded or concealed); the BYE goes out on the pool, never on the clock.
    private void OnAudio(RtpSession session, ReadOnlySpan<short> pcm, bool concealed)
    {
        if (_sip.State == CallState.Ended || _inactivity.Check() is not { } silentFor) return;
        HangupCause = "RtpTimeout";
        _log.LogWarning("Leg {LegCallId} of call {CallId} ({Party:l} {PartyId}): no RTP for {Seconds:F0} s (Calls:RtpTimeoutSeconds); hanging up",
            _sip.CallId, CallId, Party, PartyId, silentFor.TotalSeconds);
        _ = Task.Run(() =>
        {
            try { _sip.Hangup(); }
            catch (Exception e) { _log.LogError(e, "Leg {LegCallId}: hang-up after the RTP timeout failed", _sip.CallId); }
        });
    }

    // Runs inside Sip's end of the call: logged, never thrown back into the engine.
    private void OnEnded(SipCall call, CallEndReason reason)
    {
        try
        {
            _session.AudioReceived -= OnAudio;
            var (received, lost, _) = _session.ReceiveSummary;
            _session.Close();
            _log.LogInformation("Leg {LegCallId} of call {CallId} ({Party:l} {PartyId}) ended ({Reason}): {Sent} RTP packets sent, {Received} received, {Lost} lost",
                call.CallId, CallId, Party, PartyId, reason, _session.PacketsSent, received, lost);
        }
        catch (Exception e)
        {
            _log.LogError(e, "Leg {LegCallId}: closing media failed", call.CallId);
        }
    }
}
