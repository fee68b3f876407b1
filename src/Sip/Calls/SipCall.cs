using Telephony.Sip.Message;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Calls;

public enum CallDirection { Inbound, Outbound }

public enum CallState { Offering, Ringing, Answered, Ended }

/// <summary>Why a call ended, for the layers above and for the call log.</summary>
public enum CallEndReason
{
    /// <summary>The peer sent BYE.</summary>
    RemoteHangup,
    /// <summary>We sent BYE.</summary>
    LocalHangup,
    /// <summary>The caller cancelled before the call was answered (CANCEL, 487).</summary>
    Cancelled,
    /// <summary>We refused the call with a final non-2xx response.</summary>
    Rejected,
    /// <summary>Our outbound call got a final non-2xx response.</summary>
    Declined,
    /// <summary>The 2xx was never acknowledged (RFC 3261 §13.3.1.4): ended with BYE.</summary>
    NoAck,
    /// <summary>No session refresh arrived before the session interval ran out (RFC 4028 §10).</summary>
    SessionExpired,
    /// <summary>No response, or the transport failed.</summary>
    Timeout,
    /// <summary>The engine is stopping: calls in progress get a BYE.</summary>
    Shutdown,
}

/// <summary>The negotiated audio of a call, from the SDP offer/answer (RFC 3264).</summary>
public sealed record CallMedia(
    string Codec, int PayloadType, int ClockRate, int? TelephoneEventPayloadType,
    System.Net.IPEndPoint? RemoteRtp, int LocalRtpPort, bool OnHold, string LocalSdp, string RemoteSdp);

/// <summary>What a call leg does when the layer above asks (implemented by the UAS and UAC sessions).</summary>
internal interface ICallControl
{
    void Ring();
    void Answer();
    void Reject(int statusCode, string? reason);
    void Hangup(CallEndReason reason);
}

/// <summary>
/// One call leg, as the layers above see it (the IVR, the ACD, the call log): who called whom, its state,
/// the negotiated media, and events for ringing, answer, media changes and the end with a reason.
/// </summary>
public sealed class SipCall
{
    private readonly TaskCompletionSource<CallEndReason> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;
    internal ICallControl? Control { get; set; }

    public required string CallId { get; init; }
    public required CallDirection Direction { get; init; }
    public required NameAddress From { get; init; }
    public required NameAddress To { get; init; }
    public required SipEndPoint Remote { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? AnsweredAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    public CallMedia? Media { get; private set; }
    public int? FinalStatus { get; internal set; }

    /// <summary>The caller's number or user part, as it came in From (mask it in logs).</summary>
    public string Caller => From.Uri.User ?? From.Uri.Host;
    public string Callee => To.Uri.User ?? To.Uri.Host;

    public CallState State => (CallState)Volatile.Read(ref _state);
    public Task<CallEndReason> Completion => _ended.Task;
    public Task AnsweredTask => _answered.Task;
    public CallEndReason? EndReason => _ended.Task.IsCompleted ? _ended.Task.Result : null;

    public event Action<SipCall>? Ringing;
    public event Action<SipCall>? Answered;
    public event Action<SipCall>? MediaChanged;
    public event Action<SipCall, CallEndReason>? Ended;
    /// <summary>An in-dialog INFO (e.g. application/dtmf-relay), content type and body.</summary>
    public event Action<SipCall, string?, string>? InfoReceived;

    /// <summary>Sends 180 Ringing (inbound calls).</summary>
    public void Ring() => Control?.Ring();

    /// <summary>Answers with 200 OK and the SDP (inbound calls); <see cref="Answered"/> fires on the ACK.</summary>
    public void Answer() => Control?.Answer();

    /// <summary>Refuses an inbound call not yet answered (486 Busy Here, 480, 603...).</summary>
    public void Reject(int statusCode = 486, string? reason = null) => Control?.Reject(statusCode, reason);

    /// <summary>Ends the call: BYE when answered, CANCEL (outbound) or 480 (inbound) before.</summary>
    public void Hangup() => Control?.Hangup(CallEndReason.LocalHangup);

    internal void SetRinging()
    {
        if (Interlocked.CompareExchange(ref _state, (int)CallState.Ringing, (int)CallState.Offering) == (int)CallState.Offering)
            Ringing?.Invoke(this);
    }

    internal void SetAnswered(DateTimeOffset at)
    {
        var before = Interlocked.Exchange(ref _state, (int)CallState.Answered);
        if (before is (int)CallState.Answered or (int)CallState.Ended)
        {
            if (before == (int)CallState.Ended) Volatile.Write(ref _state, (int)CallState.Ended);
            return;
        }
        AnsweredAt = at;
        _answered.TrySetResult();
        Answered?.Invoke(this);
    }

    internal void SetMedia(CallMedia media, bool notify)
    {
        Media = media;
        if (notify) MediaChanged?.Invoke(this);
    }

    internal void RaiseInfo(string? contentType, string body) => InfoReceived?.Invoke(this, contentType, body);

    internal bool SetEnded(CallEndReason reason, DateTimeOffset at)
    {
        if (Interlocked.Exchange(ref _state, (int)CallState.Ended) == (int)CallState.Ended) return false;
        EndedAt = at;
        _answered.TrySetCanceled();
        _ended.TrySetResult(reason);
        Ended?.Invoke(this, reason);
        return true;
    }

    public override string ToString() => $"{Direction} call {CallId} ({State})";
}
