using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Telephony.Agents.Acd;
using Telephony.Agents.Model;
using Telephony.Agents.Queueing;
using Telephony.Host.Logging;
using Telephony.Ivr.Services;
using Telephony.Media.Audio;
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
/// </summary>
public sealed class AcdQueueTransfer(AcdEngine acd, CallDesk desk, AnsweredAgentCalls answered, TimeProvider time, ILogger<AcdQueueTransfer> log) : IQueueTransfer
{
    private static readonly ConcurrentDictionary<int, short[]> Ringback = new();

    /// <summary>How long the ACD may take to report an answer it has already decided (its event follows its lock at once).</summary>
    public TimeSpan AnswerReportTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>When the waiting caller hears their place and the estimated wait between ringback cycles.</summary>
    public QueueAnnouncementOptions Announcements { get; init; } = QueueAnnouncementOptions.Default;

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
            var agentId = await WaitForAgentAsync(call, agentAnswered.Task, cancellation).ConfigureAwait(false);
            if (agentId is null) return new TransferResult(TransferOutcome.HungUp, "the caller hung up while waiting");

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
            desk.Remove(call.CallId);
        }
    }

    /// <summary>Ringback until an agent answers: the agent's id, or null when the caller hung up first (then abandoned).</summary>
    private async Task<string?> WaitForAgentAsync(ICallChannel call, Task<string> agentAnswered, CancellationToken cancellation)
    {
        var callerEnded = ConnectedCall.Ended(call.Ended);
        using (var stopTone = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
        {
            var tone = PlayWhileWaitingAsync(call, stopTone.Token);
            var shutdown = ConnectedCall.Ended(cancellation);
            await Task.WhenAny(agentAnswered, callerEnded, shutdown).ConfigureAwait(false);
            stopTone.Cancel();
            await tone.ConfigureAwait(false);
        }
        if (agentAnswered.IsCompleted) return agentAnswered.Result;
        var reason = cancellation.IsCancellationRequested && !call.Ended.IsCancellationRequested ? AbandonReason.Shutdown : AbandonReason.CallerHungUp;
        if (acd.Abandon(call.CallId, reason).Ok)
        {
            log.LogInformation("Call {CallId}: left queue before an agent answered ({Reason})", call.CallId, reason);
            cancellation.ThrowIfCancellationRequested();
            return null;
        }
        // Not waiting any more: an agent's answer won the race. Its report follows; the connection then ends both sides.
        await Task.WhenAny(agentAnswered, Task.Delay(AnswerReportTimeout)).ConfigureAwait(false);
        if (agentAnswered.IsCompleted) return agentAnswered.Result;
        log.LogError("Call {CallId}: neither waiting nor reported answered by the ACD", call.CallId);
        return null;
    }

    /// <summary>
    /// China's ringback (450 Hz, 1 s on, 4 s off) while the caller waits, with the place in the queue and the estimated
    /// wait (<see cref="QueueAnnouncement"/>) between cycles when due; ends quietly when stopped or the caller leaves.
    /// A call whose offer is ringing an agent is still in the queue, first in line: it hears that it is next.
    /// </summary>
    private async Task PlayWhileWaitingAsync(ICallChannel call, CancellationToken stop)
    {
        var cycle = Ringback.GetOrAdd(call.SampleRate, rate => ToneGenerator.Render(TonePattern.ChinaRingback, rate));
        var next = Announcements.Enabled ? time.GetUtcNow() + Announcements.FirstAfter : DateTimeOffset.MaxValue;
        try
        {
            while (!stop.IsCancellationRequested && !call.Ended.IsCancellationRequested)
            {
                IReadOnlyList<AudioItem> items = [new AudioItem.Pcm(cycle, "ringback")];
                var announcing = false;
                if (time.GetUtcNow() >= next && acd.Position(call.CallId) is { } position)
                {
                    var prompts = QueueAnnouncement.Prompts(position);
                    items = prompts.Select(p => (AudioItem)new AudioItem.Prompt(p)).ToList();
                    announcing = true;
                    log.LogInformation("Call {CallId}: place {Position} in queue {Queue}, estimated wait {EstimatedWaitSeconds:F0} s: {Prompts}",
                        call.CallId, position.Position, position.Queue, position.EstimatedWait.TotalSeconds, string.Join(" ", prompts));
                }
                var played = await call.PlayAsync(items, PlayOptions.Default, stop).ConfigureAwait(false);
                if (played.Outcome == PlayOutcome.HungUp) return;
                if (announcing) next = time.GetUtcNow() + Announcements.Every;
            }
        }
        catch (OperationCanceledException) { }
    }
}
