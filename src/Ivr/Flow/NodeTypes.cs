namespace Telephony.Ivr.Flow;

/// <summary>The node types a flow may use, and which exits each has (for the validator and the docs).</summary>
public static class NodeTypes
{
    public const string Play = "play";
    public const string SayDigits = "sayDigits";
    public const string Menu = "menu";
    public const string Collect = "collect";
    public const string Record = "record";
    public const string Transcribe = "transcribe";
    public const string Classify = "classify";
    public const string Branch = "branch";
    public const string CreateDraft = "createDraft";
    public const string LookupProgress = "lookupProgress";
    public const string Transfer = "transfer";
    public const string External = "external";
    public const string Hangup = "hangup";
    public const string Subflow = "subflow";
    public const string Return = "return";

    public static readonly IReadOnlySet<string> All = new HashSet<string>
    {
        Play, SayDigits, Menu, Collect, Record, Transcribe, Classify, Branch, CreateDraft, LookupProgress,
        Transfer, External, Hangup, Subflow, Return,
    };

    /// <summary>Nodes where a run can end: hang up, return from a sub-flow, or a transfer that succeeded.</summary>
    public static bool CanEnd(string type) => type is Hangup or Return or Transfer or External;

    /// <summary>External numbers a flow may advise or transfer to (GB/T 33358: emergencies go to 110/119/120).</summary>
    public static readonly IReadOnlySet<string> EmergencyNumbers = new HashSet<string> { "110", "119", "120", "122" };

    /// <summary>Each exit of a node as (exit name, target); <c>next</c> is required for every type but hangup, return, branch (cases and else) and menu (choices).</summary>
    public static IEnumerable<(string Exit, string? Target)> Exits(FlowNode node)
    {
        if (node.Type is Hangup or Return) yield break;
        if (node.Type is not (Branch or Menu)) yield return ("next", node.Next);
        if (node.Error is not null) yield return ("error", node.Error);
        if (node.NoInput is not null) yield return ("noInput", node.NoInput);
        if (node.NotFound is not null) yield return ("notFound", node.NotFound);
        if (node.Unavailable is not null) yield return ("unavailable", node.Unavailable);
        foreach (var (key, target) in node.Choices) yield return ($"choices.{key}", target);
        for (var i = 0; i < node.Cases.Count; i++) yield return ($"cases[{i}]", node.Cases[i].Next);
        if (node.Type == Branch) yield return ("else", node.Else);
    }
}
