using System.Text.Json.Serialization;

namespace Telephony.Ivr.Flow;

/// <summary>
/// One IVR flow as stored (docs/ivr.md, schema in flow.schema.json): named nodes, a start node, optional
/// global keys ("2 at any time for progress") and an optional node to continue at after the caller hangs up
/// (so a recorded request still becomes a draft). Immutable once loaded: a call holds the document it started
/// on while a new version is activated.
/// </summary>
public sealed record FlowDocument
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("start")] public string Start { get; init; } = "";

    /// <summary>Key → node: pressed during a play, say-digits or record node (not during menu/collect, which take keys themselves).</summary>
    [JsonPropertyName("globalKeys")] public Dictionary<string, string> GlobalKeys { get; init; } = new();

    /// <summary>Where to continue once the caller has hung up; audio nodes are skipped there, input nodes end the run.</summary>
    [JsonPropertyName("onHangup")] public string? OnHangup { get; init; }

    [JsonPropertyName("nodes")] public Dictionary<string, FlowNode> Nodes { get; init; } = new();
}

/// <summary>
/// A node: <see cref="Type"/> decides which fields mean something (NodeTypes lists them). Exits name other nodes
/// of the same flow: <see cref="Next"/> on success, and per type <see cref="Error"/>, <see cref="NoInput"/>,
/// <see cref="NotFound"/>, <see cref="Unavailable"/>, the menu's <see cref="Choices"/> and the branch's cases.
/// </summary>
public sealed record FlowNode
{
    [JsonPropertyName("type")] public string Type { get; init; } = "";
    [JsonPropertyName("prompts")] public List<string> Prompts { get; init; } = new();
    /// <summary>Text for speech synthesis; <c>{variable}</c> is replaced by the variable's value.</summary>
    [JsonPropertyName("text")] public string? Text { get; init; }
    [JsonPropertyName("bargeIn")] public bool? BargeIn { get; init; }
    /// <summary>False: global keys are not taken during this node.</summary>
    [JsonPropertyName("globalKeys")] public bool? GlobalKeys { get; init; }

    /// <summary>sayDigits: the variable whose digits are read; collect/lookupProgress: the variable to set/read.</summary>
    [JsonPropertyName("variable")] public string? Variable { get; init; }
    [JsonPropertyName("maxDigits")] public int? MaxDigits { get; init; }
    [JsonPropertyName("terminators")] public string? Terminators { get; init; }
    [JsonPropertyName("timeoutSeconds")] public double? TimeoutSeconds { get; init; }
    [JsonPropertyName("retries")] public int? Retries { get; init; }
    [JsonPropertyName("invalidPrompts")] public List<string> InvalidPrompts { get; init; } = new();

    [JsonPropertyName("maxSeconds")] public double? MaxSeconds { get; init; }
    [JsonPropertyName("endSilenceMs")] public int? EndSilenceMs { get; init; }
    [JsonPropertyName("beep")] public bool? Beep { get; init; }

    [JsonPropertyName("queue")] public string? Queue { get; init; }
    [JsonPropertyName("number")] public string? Number { get; init; }
    [JsonPropertyName("flow")] public string? Flow { get; init; }

    [JsonPropertyName("cases")] public List<BranchCase> Cases { get; init; } = new();
    [JsonPropertyName("else")] public string? Else { get; init; }
    [JsonPropertyName("choices")] public Dictionary<string, string> Choices { get; init; } = new();

    [JsonPropertyName("next")] public string? Next { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("noInput")] public string? NoInput { get; init; }
    [JsonPropertyName("notFound")] public string? NotFound { get; init; }
    [JsonPropertyName("unavailable")] public string? Unavailable { get; init; }
}

public sealed record BranchCase
{
    [JsonPropertyName("when")] public string When { get; init; } = "";
    [JsonPropertyName("next")] public string Next { get; init; } = "";
}
