using Microsoft.Extensions.Logging;
using Telephony.Ivr.Flow;
using Telephony.Ivr.Services;
using Telephony.Media.Channel;

namespace Telephony.Ivr.Runtime;

/// <summary>
/// Runs one flow for one call over <see cref="ICallChannel"/> (docs/ivr.md "Node reference"). The flow document
/// and the sub-flows are fixed when the call starts (<see cref="FlowSnapshot"/>), so activating a new version
/// never changes a call in progress. A failing service follows the node's <c>error</c> exit (else <c>next</c>);
/// the recording is on disk before any transcription, so nothing the caller said is lost.
/// </summary>
public sealed partial class FlowRunner(IvrServices services, ILogger logger)
{
    public const int MaxSteps = 1000;

    public async Task<RunResult> RunAsync(ICallChannel call, FlowSnapshot snapshot, CancellationToken cancellation = default)
    {
        var state = new CallState(call, snapshot);
        state.Variables["caller"] = call.Caller;
        state.Variables["callee"] = call.Callee;
        var outcome = RunOutcome.Completed;
        var frames = new Stack<(FlowDocument Flow, string? ReturnTo)>();
        var flow = snapshot.Main;
        string? nodeId = flow.Start;
        logger.LogInformation("Ivr call {CallId} from {Caller} starts flow {Flow} v{Version}", call.CallId, PhoneMask.Mask(call.Caller), flow.Name, snapshot.Version);
        try
        {
            for (var step = 0; ; step++)
            {
                if (step >= MaxSteps) { outcome = RunOutcome.StepLimit; break; }
                if (!state.HungUp && call.Ended.IsCancellationRequested) state.HungUp = true;
                if (state.HungUp && !state.InHangupPath)
                {
                    // The caller is gone: continue at onHangup (audio skipped) so a recorded request still becomes a draft.
                    state.InHangupPath = true;
                    outcome = RunOutcome.HungUp;
                    frames.Clear();
                    flow = snapshot.Main;
                    nodeId = flow.OnHangup;
                    if (nodeId is null) break;
                }
                if (nodeId is null)
                {
                    // Fell off a sub-flow or the main flow: resume the caller of the sub-flow, or end.
                    if (frames.Count == 0) break;
                    (flow, nodeId) = frames.Pop();
                    continue;
                }
                var node = flow.Nodes[nodeId];
                var (exit, target, detail, end) = await ExecuteAsync(state, flow, nodeId, node, cancellation);
                state.Trace.Add(new TraceStep(flow.Name, nodeId, node.Type, exit, detail));
                logger.LogInformation("Ivr call {CallId} flow {Flow} node {Node} ({Type}) exit {Exit}: {Detail}",
                    call.CallId, flow.Name, nodeId, node.Type, exit, detail);
                if (end is not null)
                {
                    if (end == RunOutcome.Completed && node.Type == NodeTypes.Return && frames.Count > 0)
                    {
                        (flow, nodeId) = frames.Pop();
                        continue;
                    }
                    if (end == RunOutcome.HungUp)
                    {
                        outcome = RunOutcome.HungUp;
                        if (!state.InHangupPath && snapshot.Main.OnHangup is not null) { state.HungUp = true; continue; }
                        break;
                    }
                    if (!state.InHangupPath) outcome = end.Value;
                    break;
                }
                if (node.Type == NodeTypes.Subflow && target is null)
                {
                    frames.Push((flow, node.Next));
                    flow = snapshot.Subflows[node.Flow!];
                    nodeId = flow.Start;
                    continue;
                }
                nodeId = target;
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            outcome = RunOutcome.Cancelled;
        }
        if (outcome is RunOutcome.Completed or RunOutcome.StepLimit && !call.Ended.IsCancellationRequested) await call.HangupAsync();
        logger.LogInformation("Ivr call {CallId} ended flow {Flow}: {Outcome} after {Steps} nodes, query code {QueryCode}",
            call.CallId, snapshot.Main.Name, outcome, state.Trace.Count, state.Variables.GetValueOrDefault("queryCode"));
        return new RunResult(outcome, state.Trace, state.Played, state.Variables, snapshot.Version);
    }

    /// <summary>The per-call state nodes read and write.</summary>
    private sealed class CallState(ICallChannel call, FlowSnapshot snapshot)
    {
        public ICallChannel Call { get; } = call;
        public FlowSnapshot Snapshot { get; } = snapshot;
        public Dictionary<string, object?> Variables { get; } = new();
        public List<TraceStep> Trace { get; } = new();
        public List<string> Played { get; } = new();
        public RecordResult? Recording { get; set; }
        public Telephony.Ivr.Services.RequestClassification? Classification { get; set; }
        public bool HungUp { get; set; }
        public bool InHangupPath { get; set; }
    }
}

/// <summary>The flow a call runs on and every sub-flow it may enter, fixed at call start.</summary>
public sealed record FlowSnapshot(FlowDocument Main, int Version, IReadOnlyDictionary<string, FlowDocument> Subflows)
{
    public static FlowSnapshot Of(FlowDocument main, int version = 1, params FlowDocument[] subflows) =>
        new(main, version, subflows.ToDictionary(f => f.Name));
}
