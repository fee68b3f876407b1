namespace Telephony.Ivr.Validation;

/// <summary>Why a flow was rejected (docs/ivr.md "Validation errors").</summary>
public enum FlowErrorKind
{
    Malformed,
    UnknownNodeType,
    MissingStart,
    UnreachableNode,
    DanglingExit,
    LoopWithoutExit,
    MissingPrompt,
    BadExpression,
    SubflowNotFound,
    MissingField,
}

/// <summary>One reason a flow is rejected, naming the node (null for the flow as a whole).</summary>
public sealed record FlowError(FlowErrorKind Kind, string? Node, string Reason)
{
    public override string ToString() => Node is null ? $"{Kind}: {Reason}" : $"node '{Node}': {Kind}: {Reason}";
}

/// <summary>What the validator checks against outside the flow: the prompt catalogue and the other flows.</summary>
public sealed record ValidationContext(IReadOnlySet<string> Prompts, Func<string, bool> FlowExists)
{
    public static ValidationContext Lenient { get; } = new(new HashSet<string>(), _ => true) { CheckPrompts = false };

    public bool CheckPrompts { get; init; } = true;
}
