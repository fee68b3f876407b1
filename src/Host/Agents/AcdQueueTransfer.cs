using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Telephony.Agents.Acd;
using Telephony.Agents.Model;
using Telephony.Agents.Queueing;
using Telephony.Host.Logging;
using Telephony.Ivr.Services;
using Telephony.Host.Calls;
using Telephony.Media.Channel;

namespace Telephony.Host.Agents;

/// <summary>
/// The IVR's transfer to an agent queue over the ACD (docs/agents.md, "Queue transfer"). With nobody logged in to
/// the queue (every seat Offline or Paused), or no such queue, it answers <see cref="TransferOutcome.Unavailable"/>
/// at once and the flow keeps the draft and reads its code as before. Otherwise: the call is registered on the
/// <see cref="CallDesk"/> (the desktop's screen pop), queued (Urgent when the classification says so, the draft's
/// query code as its reference), and the caller hears ringback until an agent answers; then caller and agent are
/// bridged (<see cref="ConnectedCall"/>) until either hangs up, and the ACD is told the call ended. A caller who
/// hangs up while waiting is abandoned with <see cref="AbandonReason.CallerHungUp"/>; their draft stays in the store.
/// With <see cref="Callback"/> on, a caller still waiting after its delay is offered a callback ("press 1"): the key
/// first stores the request (<see cref="CallbackRequests.PersistAsync"/>: a restart must not lose it; if the store
/// fails the caller is promised nothing and waits on), then asks the ACD for one (<see cref="AcdEngine.RequestCallback"/>,
/// the call keeps its place), the caller hears the confirmation and is hung up, and the desk call stays registered for the agent who calls back
/// (<see cref="CallbackCalls"/> removes it when the callback is over).
/// </summary>
public sealed class AcdQueueTransfer(AcdEngine acd, CallDesk desk, AnsweredAgentCalls answered, CallbackRequests requests, TimeProvider time,
    ILogger<AcdQueueTransfer> log) : IQueueTransfer
{
    /// <summary>How long the ACD may take to report an answer it has already decided (its event follows its lock at once).</summary>
    public TimeSpan AnswerReportTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>When the waiting caller hears their place and the estimated wait between ringback cycles.</summary>
    public QueueAnnouncementOptions Announcements { get; init; } = QueueAnnouncementOptions.Default;

    /// <summary>Whether and when a waiting caller is offered a callback instead of waiting on.</summary>
    public CallbackOptions Callback { get; init; } = CallbackOptions.Off;

    public async Task<TransferResult> TransferToQueueAsync(ICallChannel call, string queue, IReadOnlyDictionary<string, string> context, CancellationToken cancellation)
    {
        var caller = PhoneMasking.MaskNumber(call.Caller);
        if (acd.Queues().FirstOrDefault(q => q.Name == queue) is not { } view)
        {
            log.LogWarning("Call {CallId} from {Caller}: transfer to queue {Queue}, which is not configured (Queues); unavailable", call.CallId, caller, queue);
            return new TransferResult(TransferOutcome.Unavailable, $"no queue {queue}");
        }
        var staffed = view.AgentsByState.Where(s => s.Key is not (AgentState.Offline or AgentState.Paused)).Sum(s => s.Value);
        if (staffed == 0)
        {
            log.LogInformation("Call {CallId} from {Caller}: no agent is logged in to queue {Queue}; unavailable", call.CallId, caller, queue);
            return new TransferResult(TransferOutcome.Unavailable, $"no agent is logged in to queue {queue}");
        }

        var draft = context.GetValueOrDefault("queryCode");
        var urgent = string.Equals(context.GetValueOrDefault("urgency"), "urgent", StringComparison.OrdinalIgnoreCase);
        var agentAnswered = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var codes = Channel.CreateUnbounded<string>();
        void OnChange(AcdChange c)
        {
            if (c.Kind == AcdChangeKind.CallAnswered && c.CallId == call.CallId && c.AgentId is { } agent) agentAnswered.TrySetResult(agent);
        }
        void OnFinalized(DeskFinalized f)
        {
            if (f.CallId == call.CallId) codes.Writer.TryWrite(f.QueryCode);
        }
        acd.Changed += OnChange;
        desk.Finalized += OnFinalized;
        var calledBack = false;
        desk.Register(new DeskCall(call.CallId, queue, call.Caller, draft, context.GetValueOrDefault("transcript"),
            context.GetValueOrDefault("recording"), context, time.GetUtcNow()));
        try
        {
            var queued = acd.Enqueue(new CallRequest
            {
                CallId = call.CallId, Queue = queue, Priority = urgent ? CallPriority.Urgent : CallPriority.Normal,
                Caller = call.Caller, DraftRef = draft,
            });
            if (!queued.Ok)
            {
                log.LogWarning("Call {CallId} from {Caller}: the ACD refused it ({Error}); unavailable", call.CallId, caller, queued.Error);
                return new TransferResult(TransferOutcome.Unavailable, queued.Error);
            }
            var waited = await WaitForAgentAsync(call, draft, agentAnswered.Task, cancellation).ConfigureAwait(false);
            if (waited.CallbackRequested)
            {
                calledBack = true;
                return new TransferResult(TransferOutcome.Transferred, $"callback requested to {caller}");
            }
            if (waited.AgentId is not { } agentId) return new TransferResult(TransferOutcome.HungUp, "the caller hung up while waiting");

            var agentCall = answered.TryTake(call.CallId, agentId);
            try
            {
                if (agentCall is null)
                {
                    log.LogError("Call {CallId}: the ACD says agent {AgentId} answered, but no answered phone was handed over", call.CallId, agentId);
                    return new TransferResult(TransferOutcome.Failed, "the agent's phone was not handed over");
                }
                await new ConnectedCall(call, agentCall, codes.Reader, log).RunAsync().ConfigureAwait(false);
                return new TransferResult(TransferOutcome.Transferred, $"connected to agent {agentId}");
            }
            finally
            {
                acd.CallEnded(call.CallId);
            }
        }
        finally
        {
            acd.Changed -= OnChange;
            desk.Finalized -= OnFinalized;
            // A callback's desk call is the agent's screen pop when it is offered: it goes when the callback is over.
            if (!calledBack) desk.Remove(call.CallId);
        }
    }

    /// <summary>How waiting ended: an agent answered, the caller asked for a callback (and was hung up), or neither (the caller left).</summary>
    private sealed record Waited(string? AgentId, bool CallbackRequested = false)
    {
        public static readonly Waited Left = new(AgentId: default);
    }

    /// <summary>
    /// One waiting call's callback offer: once the offer prompt has started, a press of <see cref="CallbackOptions.Key"/>
    /// (any DTMF path: RFC 4733, INFO, in-band) completes <see cref="Pressed"/>. Keys before the offer mean nothing here.
    /// </summary>
    private sealed class CallbackOffer : IDisposable
    {
        private readonly ICallChannel _call;
        private readonly TaskCompletionSource _pressed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _offered;

        public CallbackOffer(ICallChannel call)
        {
            _call = call;
            call.Digit += OnDigit;
        }

        public Task Pressed => _pressed.Task;
        public bool Offered => _offered;

        public void MarkOffered() => _offered = true;

        private void OnDigit(char digit)
        {
            if (_offered && digit == CallbackOptions.Key) _pressed.TrySetResult();
        }

        public void Dispose() => _call.Digit -= OnDigit;
    }

    /// <summary>
    /// Ringback until an agent answers: the agent's id; or the caller pressed 1 after the callback offer and the ACD
    /// took the request (the caller has heard the confirmation and been hung up); or neither: the caller hung up first
    /// (then abandoned). A press whose request the store could not keep promises nothing: the caller waits on.
    /// </summary>
    private async Task<Waited> WaitForAgentAsync(ICallChannel call, string? draft, Task<string> agentAnswered, CancellationToken cancellation)
    {
        var callerEnded = BridgedLegs.Ended(call.Ended);
        // Only a caller with a number we can dial back is offered a callback (not an anonymous or a SIP-name caller).
        var callback = Callback.Enabled && Trunk.TrunkOptions.IsDialable(call.Caller) ? new CallbackOffer(call) : null;
        try
        {
            while (true)
            {
                using (var stopTone = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
                {
                    var tone = PlayWhileWaitingAsync(call, callback, stopTone.Token);
                    var shutdown = BridgedLegs.Ended(cancellation);
                    await Task.WhenAny(agentAnswered, callerEnded, shutdown, callback?.Pressed ?? agentAnswered).ConfigureAwait(false);
                    stopTone.Cancel();
                    await tone.ConfigureAwait(false);
                }
                if (agentAnswered.IsCompleted) return new Waited(agentAnswered.Result);
                if (callback?.Pressed.IsCompleted == true && !call.Ended.IsCancellationRequested && !cancellation.IsCancellationRequested)
                {
                    var taken = await RequestCallbackAsync(call, draft, cancellation).ConfigureAwait(false);
                    if (taken == true) return new Waited(null, CallbackRequested: true);
                    if (taken is null)
                    {
                        // Not stored, so not promised: the caller waits on (ringback, announcements), offered no callback again.
                        callback.Dispose();
                        callback = null;
                        continue;
                    }
                }
                else
                {
                    var reason = cancellation.IsCancellationRequested && !call.Ended.IsCancellationRequested ? AbandonReason.Shutdown : AbandonReason.CallerHungUp;
                    if (acd.Abandon(call.CallId, reason).Ok)
                    {
                        log.LogInformation("Call {CallId}: left queue before an agent answered ({Reason})", call.CallId, reason);
                        cancellation.ThrowIfCancellationRequested();
                        return Waited.Left;
                    }
                }
                break;
            }
        }
        finally
        {
            callback?.Dispose();
        }
        // Not waiting any more: an agent's answer won the race. Its report follows; the connection then ends both sides.
        await Task.WhenAny(agentAnswered, Task.Delay(AnswerReportTimeout)).ConfigureAwait(false);
        if (agentAnswered.IsCompleted) return new Waited(agentAnswered.Result);
        log.LogError("Call {CallId}: neither waiting nor reported answered by the ACD", call.CallId);
        return Waited.Left;
    }

    /// <summary>
    /// The caller pressed 1: the request is stored first, then the ACD takes it and the caller hears the confirmation
    /// and is hung up (true). False: the call is no longer waiting (an agent's answer won the race; the stored request
    /// is closed as done). Null: the store failed, nothing was promised and the call still waits.
    /// </summary>
    private async Task<bool?> RequestCallbackAsync(ICallChannel call, string? draft, CancellationToken cancellation)
    {
        if (acd.Waiting(call.CallId) is not { } waiting)
        {
            log.LogInformation("Call {CallId}: callback pressed but the call is no longer waiting", call.CallId);
            return false;
        }
        // Not cancelled by a shutdown: a key the caller pressed is worth the short write, and a restart then restores it.
        if (!await requests.PersistAsync(waiting, call.Caller, draft, CancellationToken.None).ConfigureAwait(false)) return null;
        var requested = acd.RequestCallback(call.CallId, call.Caller);
        if (!requested.Ok)
        {
            // Not waiting any more: an agent's answer won the race; it is connected by the caller of this method.
            log.LogInformation("Call {CallId}: callback pressed but not taken by the ACD ({Error})", call.CallId, requested.Error);
            await requests.MoveAsync(call.CallId, Tickets.Callbacks.CallbackState.Pending, Tickets.Callbacks.CallbackState.Done).ConfigureAwait(false);
            return false;
        }
        var played = await call.PlayAsync([new AudioItem.Prompt(CallbackOptions.ConfirmPrompt)], PlayOptions.Default, cancellation).ConfigureAwait(false);
        log.LogInformation("Call {CallId} from {Caller}: callback requested, place kept in the queue ({Outcome}: {Played}); hanging up",
            call.CallId, PhoneMasking.MaskNumber(call.Caller), played.Outcome, string.Join(" ", played.Played));
        await call.HangupAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// China's ringback (450 Hz, 1 s on, 4 s off) while the caller waits, with the place in the queue and the estimated
    /// wait (<see cref="QueueAnnouncement"/>) between cycles when due, and the callback offer once its delay has passed
    /// (repeated after each later announcement); ends quietly when stopped or the caller leaves. A call whose offer is
    /// ringing an agent is still in the queue, first in line: it hears that it is next.
    /// </summary>
    private async Task PlayWhileWaitingAsync(ICallChannel call, CallbackOffer? callback, CancellationToken stop)
    {
        var cycle = Ringback.Cycle(call.SampleRate);
        var next = Announcements.Enabled ? time.GetUtcNow() + Announcements.FirstAfter : DateTimeOffset.MaxValue;
        var offerAt = callback is null ? DateTimeOffset.MaxValue : time.GetUtcNow() + Callback.OfferAfter;
        try
        {
            while (!stop.IsCancellationRequested && !call.Ended.IsCancellationRequested)
            {
                IReadOnlyList<AudioItem> items = [new AudioItem.Pcm(cycle, "ringback")];
                var announcing = false;
                if (time.GetUtcNow() >= next && acd.Position(call.CallId) is { } position)
                {
                    var prompts = QueueAnnouncement.Prompts(position);
                    if (callback is { Offered: true }) prompts = [.. prompts, CallbackOptions.OfferPrompt];
                    items = prompts.Select(p => (AudioItem)new AudioItem.Prompt(p)).ToList();
                    announcing = true;
                    log.LogInformation("Call {CallId}: place {Position} in queue {Queue}, estimated wait {EstimatedWaitSeconds:F0} s: {Prompts}",
                        call.CallId, position.Position, position.Queue, position.EstimatedWait.TotalSeconds, string.Join(" ", prompts));
                }
                else if (callback is { Offered: false } && time.GetUtcNow() >= offerAt && acd.Position(call.CallId) is not null)
                {
                    callback.MarkOffered();
                    items = [new AudioItem.Prompt(CallbackOptions.OfferPrompt)];
                    log.LogInformation("Call {CallId}: offered a callback after {OfferAfterSeconds:F0} s waiting ({Prompt})",
                        call.CallId, Callback.OfferAfter.TotalSeconds, CallbackOptions.OfferPrompt);
                }
                var played = await call.PlayAsync(items, PlayOptions.Default, stop).ConfigureAwait(false);
                if (played.Outcome == PlayOutcome.HungUp) return;
                if (announcing) next = time.GetUtcNow() + Announcements.Every;
            }
        }
        catch (OperationCanceledException) { }
    }
}
