using System.Text;
using Microsoft.Extensions.Logging;
using Telephony.Host.Engine;
using Telephony.Host.Logging;
using Telephony.Media.Codecs;
using Telephony.Media.Dtmf;
using Telephony.Media.Prompts;
using Telephony.Media.Recording;
using Telephony.Media.Rtp;
using Telephony.Sip.Calls;

namespace Telephony.Host.Calls;

/// <summary>
/// What <c>serve</c> does with a call until the IVR lands: on answer it plays the greeting and a beep,
/// records what the caller says until <see cref="CallFlowOptions.EndSilence"/> of silence after speech (or
/// the maximum length, or no speech at all), plays a beep and hangs up. The recording is a WAV at the
/// codec's rate with a JSON sidecar (<see cref="RecordingSidecar"/>). DTMF (RFC 4733 and SIP INFO) is logged.
/// Owns the call's RTP session: opened on Answered, updated on MediaChanged (re-INVITE: new address, hold),
/// closed on Ended. The prompt and recording steps run on the media clock's thread, the SIP events on the
/// engine's; <see cref="_gate"/> keeps the session and the recorder consistent between them.
/// </summary>
public sealed class GreetAndRecordCall
{
    private enum Stage { Waiting, Greeting, Recording, Closing, Done }

    private readonly SipCall _call;
    private readonly MediaEngine _media;
    private readonly CallFlowOptions _options;
    private readonly ILogger _log;
    private readonly ILoggerFactory _logs;
    private readonly Lock _gate = new();
    private readonly PromptPlayer _player = new();
    private readonly EnergyEndpointer _endpointer;
    private readonly StringBuilder _digits = new();
    private volatile Stage _stage;
    private RtpSession? _session;
    private CallRecorder? _recorder;
    private PromptLibrary? _prompts;
    private string? _recordingPath;
    private int _sampleRate;
    private string? _codec;
    private DateTimeOffset? _recordingStartedAt;
    private EndpointResult? _recordingEnd;

    private GreetAndRecordCall(SipCall call, MediaEngine media, CallFlowOptions options, ILoggerFactory logs)
    {
        _call = call;
        _media = media;
        _options = options;
        _logs = logs;
        _log = logs.CreateLogger<GreetAndRecordCall>();
        _endpointer = new EnergyEndpointer(options);
    }

    /// <summary>Follows <paramref name="call"/> from now on; attach before answering it.</summary>
    public static GreetAndRecordCall Attach(SipCall call, MediaEngine media, CallFlowOptions options, ILoggerFactory logs)
    {
        var flow = new GreetAndRecordCall(call, media, options, logs);
        call.Answered += flow.OnAnswered;
        call.MediaChanged += flow.OnMediaChanged;
        call.Ended += flow.OnEnded;
        call.InfoReceived += flow.OnInfo;
        return flow;
    }

    /// <summary>The WAV of this call (null until answered).</summary>
    public string? RecordingPath => _recordingPath;

    private string Caller => PhoneMasking.MaskNumber(_call.Caller);

    private void OnAnswered(SipCall call)
    {
        lock (_gate)
        {
            if (_stage != Stage.Waiting) return;
            if (call.Media is not { } media)
            {
                _log.LogWarning("Call {CallId}: answered without negotiated media; hanging up", call.CallId);
                HangupSoon();
                return;
            }
            var session = _media.Open(media, out var error);
            if (session is null || !AudioCodecs.TryCreate(media.Codec, out var codec))
            {
                _log.LogWarning("Call {CallId}: no RTP session ({Error}); hanging up", call.CallId, error);
                HangupSoon();
                return;
            }
            _session = session;
            _codec = media.Codec;
            _sampleRate = codec.SampleRate;
            _prompts = _media.Prompts(_sampleRate);
            if (_prompts.TryGet(_options.Greeting, out var greeting)) _player.Enqueue(greeting);
            else _log.LogWarning("Call {CallId}: no prompt {Prompt} (run ./hotline setup); recording without a greeting", call.CallId, _options.Greeting);
            _player.Enqueue(_prompts.Get(PromptLibrary.Beep));
            _player.Drained += OnPromptsDone;
            try
            {
                _recordingPath = NewRecordingPath(call);
                _recorder = new CallRecorder(_recordingPath, _sampleRate, _media.Time, _logs.CreateLogger<CallRecorder>());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The call still gets its prompts; the operator sees why nothing was kept.
                _log.LogError("Call {CallId}: cannot record to {Folder}: {Error}", call.CallId, _options.RecordingsFolder, e.Message);
                _recordingPath = null;
            }
            session.Source = _player;
            session.AudioReceived += OnAudio;
            session.TelephoneEvent += OnTelephoneEvent;
            session.PeerLeft += _ => _log.LogInformation("Call {CallId}: the peer sent RTCP BYE", call.CallId);
            _stage = Stage.Greeting;
            session.Start(_media.Clock);
            _log.LogInformation("Call {CallId} from {Caller}: media {Codec} on {LocalPort} to {Remote}, playing {Prompt}",
                call.CallId, Caller, media.Codec, media.LocalRtpPort, media.RemoteRtp?.ToString() ?? "(latch)", _options.Greeting);
        }
    }

    // Clock thread: the player sent its last queued sample.
    private void OnPromptsDone()
    {
        if (_stage == Stage.Greeting)
        {
            _recordingStartedAt = _media.Time.GetUtcNow();
            _stage = Stage.Recording;
        }
        else if (_stage == Stage.Closing)
        {
            _stage = Stage.Done;
            HangupSoon();
        }
    }

    // Clock thread: one decoded (or concealed) 20 ms frame from the caller.
    private void OnAudio(RtpSession session, ReadOnlySpan<short> pcm, bool concealed)
    {
        if (_stage != Stage.Recording) return;
        EndpointResult result;
        lock (_gate)
        {
            if (_stage != Stage.Recording) return;
            _recorder?.Write(pcm);
            result = _endpointer.Process(pcm, _sampleRate);
            if (result is EndpointResult.Listening or EndpointResult.Speech) return;
            _recordingEnd = result;
            _recorder?.Close();
            _stage = Stage.Closing;
        }
        _log.LogInformation("Call {CallId}: recording ended ({How}) after {Seconds:F1} s", _call.CallId, result, _recorder?.Duration.TotalSeconds ?? 0);
        _player.Enqueue(_prompts!.Get(PromptLibrary.Beep));
    }

    private void OnTelephoneEvent(RtpSession session, TelephoneEventNotice notice)
    {
        if (notice.Phase == TelephoneEventPhase.Ended && notice.Digit is { } digit) Digit(digit, "RFC 4733");
    }

    private void OnInfo(SipCall call, string? contentType, string body)
    {
        if (DtmfRelay.TryParse(contentType, body) is { } digit) Digit(digit, "SIP INFO");
        else _log.LogInformation("Call {CallId}: INFO {ContentType} ignored", call.CallId, contentType);
    }

    private void Digit(char digit, string how)
    {
        lock (_digits) _digits.Append(digit);
        _log.LogInformation("Call {CallId}: DTMF {Digit} ({Method})", _call.CallId, digit.ToString(), how);
    }

    private void OnMediaChanged(SipCall call)
    {
        lock (_gate)
        {
            if (_session is not { } session || call.Media is not { } media) return;
            if (!string.Equals(media.Codec, _codec, StringComparison.OrdinalIgnoreCase))
                _log.LogWarning("Call {CallId}: re-INVITE changed the codec {Old} to {New}; switching codecs mid-call is not supported, keeping {Old}",
                    call.CallId, _codec, media.Codec, _codec);
            if (media.RemoteRtp is { } remote && !remote.Equals(session.RemoteEndPoint)) session.UpdateRemote(remote);
            session.SendEnabled = !media.OnHold;
            _log.LogInformation("Call {CallId}: media now to {Remote}{Hold}", call.CallId, media.RemoteRtp?.ToString() ?? "nowhere", media.OnHold ? " (on hold)" : "");
        }
    }

    // Runs inside Sip's end of the call: whatever fails here is logged, never thrown back into the engine
    // (its call-log line comes after this event).
    private void OnEnded(SipCall call, CallEndReason reason)
    {
        try
        {
            Finish(call, reason);
        }
        catch (Exception e)
        {
            _log.LogError(e, "Call {CallId}: closing media and recording failed", call.CallId);
        }
    }

    private void Finish(SipCall call, CallEndReason reason)
    {
        RecordingSidecar? sidecar = null;
        lock (_gate)
        {
            _stage = Stage.Done;
            if (_session is { } session)
            {
                var (received, lost, _) = session.ReceiveSummary;
                session.Close();
                _log.LogInformation("Call {CallId}: RTP closed, {Sent} packets sent, {Received} received, {Lost} lost",
                    call.CallId, session.PacketsSent, received, lost);
            }
            if (_recorder is { } recorder && _recordingPath is { } path)
            {
                recorder.Close();
                sidecar = new RecordingSidecar
                {
                    CallId = call.CallId,
                    Caller = Caller,
                    Callee = call.Callee,
                    Codec = _codec ?? "",
                    SampleRate = _sampleRate,
                    Recording = Path.GetFileName(path),
                    AnsweredAt = call.AnsweredAt,
                    RecordingStartedAt = _recordingStartedAt,
                    EndedAt = call.EndedAt,
                    RecordingSeconds = Math.Round(recorder.Duration.TotalSeconds, 2),
                    RecordingEnd = _recordingEnd?.ToString() ?? (_recordingStartedAt is null ? "NotStarted" : "CallEnded"),
                    EndReason = reason.ToString(),
                    Dtmf = Digits(),
                };
            }
        }
        if (sidecar is null || _recordingPath is null) return;
        try
        {
            sidecar.Write(Path.ChangeExtension(_recordingPath, ".json"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogError("Call {CallId}: cannot write the recording's metadata: {Error}", call.CallId, e.Message);
        }
    }

    private string Digits() { lock (_digits) return _digits.ToString(); }

    // Hangup sends BYE through the SIP engine: never from the clock thread, which paces every call.
    private void HangupSoon() => ThreadPool.QueueUserWorkItem(_ => _call.Hangup());

    private string NewRecordingPath(SipCall call)
    {
        var safe = new StringBuilder();
        foreach (var c in call.CallId)
        {
            if (safe.Length >= 48) break;
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_');
        }
        var stamp = (call.AnsweredAt ?? _media.Time.GetUtcNow()).UtcDateTime.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        return Path.Combine(_options.RecordingsFolder, $"{stamp}-{safe}.wav");
    }
}
