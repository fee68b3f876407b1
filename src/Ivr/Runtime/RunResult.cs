namespace Telephony.Ivr.Runtime;

public enum RunOutcome { Completed, HungUp, Transferred, Cancelled, StepLimit }

/// <summary>One node executed: which flow and node, its type, the exit taken and a short detail for the trace.</summary>
public sealed record TraceStep(string Flow, string Node, string Type, string Exit, string Detail);

/// <summary>How a call's flow ended, every node it went through, every prompt played and the final variables.</summary>
public sealed record RunResult(RunOutcome Outcome, IReadOnlyList<TraceStep> Trace, IReadOnlyList<string> Played,
    IReadOnlyDictionary<string, object?> Variables, int FlowVersion);
