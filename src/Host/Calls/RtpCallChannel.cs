using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Telephony.Host.Logging;
using Telephony.Media.Audio;
using Telephony.Media.Channel;
using Telephony.Media.Dtmf;
using Telephony.Media.Prompts;
using Telephony.Media.Rtp;

namespace Telephony.Host.Calls;

/// <summary>
/// <see cref="ICallChannel"/> over one answered call's <see cref="RtpSession"/>: the IVR's play, collect,
/// record and hang-up become a play job the session's <see cref="IOutboundAudio"/> reads on the media clock,
/// a digit buffer fed by RFC 4733, SIP INFO and (optionally) the in-band detector, and a record job fed by
/// the session's decoded frames. Split by concern: playback in <c>RtpCallChannel.Play.cs</c>, digits in
/// <c>.Digits.cs</c>, recording in <c>.Record.cs</c>. Threads: the clock thread reads audio and delivers
/// frames, SIP events arrive on the engine's threads, the flow awaits on the pool; <see cref="_gate"/> guards
/// the jobs between them and is never held across I/O but a recorder's 20 ms append.
/// The channel does not own SIP: <c>hangup</c> sends the BYE (<see cref="CallRunner"/> passes
/// <c>SipCall.Hangup</c>), and whoever owns the call reports the end with <see cref="OnEnded"/>.
/// </summary>
public sealed partial class RtpCallChannel : ICallChannel, IDisposable
{
    private readonly RtpSession _session;
    private readonly PromptLibrary _prompts;
    private readonly TimeProvider _time;
    private readonly Action _hangup;
    private readonly RtpCallChannelOptions _options;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _ended = new();
    private readonly TaskCompletionSource _endedTask = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DtmfDetector? _inband;
    private readonly Downsampler16To8? _inbandDown;
    private readonly short[]? _inbandScratch;
    private readonly RtpInactivity _inactivity;
    private Task? _hangupTask;

    public RtpCallChannel(string callId, string caller, string callee, RtpSession session, int sampleRate, PromptLibrary prompts,
        TimeProvider time, Action hangup, RtpCallChannelOptions options, ILogger log)
    {
        if (prompts.SampleRate != sampleRate)
            throw new ArgumentException($"prompts at {prompts.SampleRate} Hz for a call at {sampleRate} Hz", nameof(prompts));
        CallId = callId;
        Caller = caller;
        Callee = callee;
        SampleRate = sampleRate;
        _session = session;
        _prompts = prompts;
        _time = time;
        _hangup = hangup;
        _options = options;
        _log = log;
        _inactivity = new RtpInactivity(session, options.RtpTimeout, time);
        if (options.InbandDtmf)
        {
            _inband = new DtmfDetector();
            if (sampleRate == 16000) { _inbandDown = new Downsampler16To8(); _inbandScratch = new short[sampleRate / 50]; }
        }
        session.Source = new Output(this);
        session.AudioReceived += OnAudio;
        session.TelephoneEvent += OnTelephoneEvent;
    }

    public string CallId { get; }
    public string Caller { get; }
    public string Callee { get; }
    public int SampleRate { get; }
    public CancellationToken Ended => _ended.Token;
    public RtpSession Session => _session;

    /// <summary>Why the engine ended the call itself, when it did (<c>RtpTimeout</c>): for the call's metadata.</summary>
    public string? HangupCause { get; private set; }

    private string MaskedCaller => PhoneMasking.MaskNumber(Caller);

    /// <summary>Ends the call (BYE on a pool thread: never on the media clock, which paces every call). Idempotent.</summary>
    public Task HangupAsync()
    {
        lock (_gate)
        {
            // The BYE goes out on the pool whatever thread asks (the clock thread must not wait on SIP).
            return _hangupTask ??= Task.Run(() =>
            {
                try { _hangup(); }
                catch (Exception e) { _log.LogError(e, "Call {CallId}: hang-up failed", CallId); }
                OnEnded();
            });
        }
    }

    /// <summary>
    /// The call ended (BYE either way, or the engine's end): cancels <see cref="Ended"/>, ends a playback as
    /// HungUp and a recording as HungUp. The RTP session is closed by its owner. Idempotent, any thread.
    /// </summary>
    public void OnEnded()
    {
        lock (_gate)
        {
            if (_ended.IsCancellationRequested) return;
            EndPlayback(PlayOutcome.HungUp);
            EndRecording(RecordOutcome.HungUp, null);
        }
        _endedTask.TrySetResult();
        try { _ended.Cancel(); }
        catch (AggregateException e) { _log.LogError(e, "Call {CallId}: a hang-up callback failed", CallId); }
    }

    /// <summary>A re-INVITE changed the media: the peer's new address, hold or resume (RFC 3264 §8.4).</summary>
    public void OnMediaChanged(IPEndPoint? remote, bool onHold)
    {
        if (remote is not null && !remote.Equals(_session.RemoteEndPoint)) _session.UpdateRemote(remote);
        _session.SendEnabled = !onHold;
        _inactivity.Hold(onHold);
        _log.LogInformation("Call {CallId}: media now to {Remote}{Hold}", CallId, remote?.ToString() ?? "nowhere", onHold ? " (on hold)" : "");
    }

    // Clock thread: one decoded (or concealed) frame from the caller.
    private void OnAudio(RtpSession session, ReadOnlySpan<short> pcm, bool concealed)
    {
        CheckInactivity();
        if (_inband is not null && !concealed) DetectInband(pcm);
        Record(pcm);
    }

    private void CheckInactivity()
    {
        if (_ended.IsCancellationRequested || _inactivity.Check() is not { } silentFor) return;
        HangupCause = "RtpTimeout";
        _log.LogWarning("Call {CallId} from {Caller}: no RTP from the peer for {Seconds:F0} s (Calls:RtpTimeoutSeconds); hanging up",
            CallId, MaskedCaller, silentFor.TotalSeconds);
        _ = HangupAsync();
    }

    private void DetectInband(ReadOnlySpan<short> pcm)
    {
        if (_inbandDown is not null)
        {
            var n = _inbandDown.Process(pcm, _inbandScratch);
            pcm = _inbandScratch.AsSpan(0, n);
        }
        if (_inband!.Process(pcm) == 0) return;
        while (_inband.TryRead(out var found)) OnDigit(found.Digit, "in-band");
    }

    private void OnTelephoneEvent(RtpSession session, TelephoneEventNotice notice)
    {
        if (notice.Phase == TelephoneEventPhase.Ended && notice.Digit is { } digit) OnDigit(digit, "RFC 4733");
    }

    // The token source is not disposed: a flow may still read Ended after the call is gone.
    public void Dispose() => OnEnded();

    internal static string SafeFileName(string callId)
    {
        var safe = new StringBuilder();
        foreach (var c in callId)
        {
            if (safe.Length >= 48) break;
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_');
        }
        return safe.ToString();
    }
}
