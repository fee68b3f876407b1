using Microsoft.Extensions.Logging;
using Telephony.Host.Engine;
using Telephony.Media.Codecs;
using Telephony.Sip.Calls;

namespace Telephony.Host.Calls;

/// <summary>
/// What runs on an answered call: <c>serve</c> uses <see cref="GreetAndRecordCall.RunAsync"/>; the IVR's flow
/// runner plugs in here (it needs only the <see cref="Telephony.Media.Channel.ICallChannel"/> the channel is).
/// The task ends when the flow is done; the call may still be up (the runner then hangs it up).
/// </summary>
public delegate Task CallFlow(AnsweredCall call);

/// <summary>An answered call as a flow gets it: the channel, and the SIP leg for metadata.</summary>
public sealed record AnsweredCall(RtpCallChannel Channel, SipCall Sip, string Codec);

/// <summary>
/// Binds one <see cref="SipCall"/> to an <see cref="RtpCallChannel"/>: on Answered it opens the RTP session
/// from the negotiated SDP and starts the flow; a re-INVITE (new address, hold) updates the session; INFO
/// with <c>application/dtmf-relay</c> becomes a digit; the end of the call (BYE either way, session timer,
/// shutdown) ends the channel and closes the session. Attach before answering.
/// </summary>
public sealed class CallRunner
{
    private readonly SipCall _call;
    private readonly MediaEngine _media;
    private readonly RtpCallChannelOptions _options;
    private readonly CallFlow _flow;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private RtpCallChannel? _channel;
    private bool _ended;
    private string _codec = "";

    private CallRunner(SipCall call, MediaEngine media, RtpCallChannelOptions options, CallFlow flow, ILoggerFactory logs)
    {
        _call = call;
        _media = media;
        _options = options;
        _flow = flow;
        _log = logs.CreateLogger<RtpCallChannel>();
    }

    public static CallRunner Attach(SipCall call, MediaEngine media, RtpCallChannelOptions options, CallFlow flow, ILoggerFactory logs)
    {
        var runner = new CallRunner(call, media, options, flow, logs);
        call.Answered += runner.OnAnswered;
        call.MediaChanged += runner.OnMediaChanged;
        call.InfoReceived += runner.OnInfo;
        call.Ended += runner.OnEnded;
        return runner;
    }

    /// <summary>The flow's task once answered (for tests and shutdown).</summary>
    public Task? Running { get; private set; }

    private void OnAnswered(SipCall call)
    {
        RtpCallChannel channel;
        lock (_gate)
        {
            if (_channel is not null || _ended) return;
            if (call.Media is not { } media)
            {
                _log.LogWarning("Call {CallId}: answered without negotiated media; hanging up", call.CallId);
                ThreadPool.QueueUserWorkItem(_ => call.Hangup());
                return;
            }
            var session = _media.Open(media, out var error);
            if (session is null || !AudioCodecs.TryCreate(media.Codec, out var codec))
            {
                _log.LogWarning("Call {CallId}: no RTP session ({Error}); hanging up", call.CallId, error);
                session?.Close();
                ThreadPool.QueueUserWorkItem(_ => call.Hangup());
                return;
            }
            channel = new RtpCallChannel(call.CallId, call.Caller, call.Callee, session, codec.SampleRate, _media.Prompts(codec.SampleRate),
                _media.Time, call.Hangup, _options, _log);
            _channel = channel;
            _codec = media.Codec;
            session.PeerLeft += _ => _log.LogInformation("Call {CallId}: the peer sent RTCP BYE", call.CallId);
            session.Start(_media.Clock);
            _log.LogInformation("Call {CallId} from {Caller}: media {Codec} on {LocalPort} to {Remote}",
                call.CallId, Logging.PhoneMasking.MaskNumber(call.Caller), media.Codec, media.LocalRtpPort, media.RemoteRtp?.ToString() ?? "(latch)");
            if (media.OnHold) channel.OnMediaChanged(media.RemoteRtp, onHold: true);
        }
        Running = Task.Run(() => RunAsync(channel, _codec));
    }

    private async Task RunAsync(RtpCallChannel channel, string codec)
    {
        try
        {
            await _flow(new AnsweredCall(channel, _call, codec)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (channel.Ended.IsCancellationRequested) { }
        catch (Exception e)
        {
            _log.LogError(e, "Call {CallId}: the call flow failed; hanging up", channel.CallId);
        }
        // A flow that returns with the call still up leaves the caller in silence: end it.
        await channel.HangupAsync().ConfigureAwait(false);
    }

    private void OnMediaChanged(SipCall call)
    {
        RtpCallChannel? channel;
        lock (_gate) channel = _channel;
        if (channel is null || call.Media is not { } media) return;
        if (!string.Equals(media.Codec, _codec, StringComparison.OrdinalIgnoreCase))
            _log.LogWarning("Call {CallId}: re-INVITE changed the codec {Old} to {New}; switching codecs mid-call is not supported, keeping {Old}",
                call.CallId, _codec, media.Codec, _codec);
        channel.OnMediaChanged(media.RemoteRtp, media.OnHold);
    }

    private void OnInfo(SipCall call, string? contentType, string body)
    {
        RtpCallChannel? channel;
        lock (_gate) channel = _channel;
        if (DtmfRelay.TryParse(contentType, body) is { } digit && channel is not null) channel.OnDigit(digit, "SIP INFO");
        else _log.LogInformation("Call {CallId}: INFO {ContentType} ignored", call.CallId, contentType);
    }

    // Runs inside Sip's end of the call: whatever fails here is logged, never thrown back into the engine.
    private void OnEnded(SipCall call, CallEndReason reason)
    {
        RtpCallChannel? channel;
        lock (_gate)
        {
            _ended = true;
            channel = _channel;
        }
        if (channel is null) return;
        try
        {
            channel.OnEnded();
            var session = channel.Session;
            var (received, lost, _) = session.ReceiveSummary;
            session.Close();
            _log.LogInformation("Call {CallId}: RTP closed ({Reason}{Cause}), {Sent} packets sent, {Received} received, {Lost} lost",
                call.CallId, reason, channel.HangupCause is { } cause ? ", " + cause : "", session.PacketsSent, received, lost);
        }
        catch (Exception e)
        {
            _log.LogError(e, "Call {CallId}: closing media failed", call.CallId);
        }
    }
}
