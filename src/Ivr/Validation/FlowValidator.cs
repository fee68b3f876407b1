using Telephony.Ivr.Expressions;
using Telephony.Ivr.Flow;

namespace Telephony.Ivr.Validation;

/// <summary>
/// Checks a parsed flow before it may be saved or run: every node type known, every exit pointing at a node,
/// every node reachable from the start (or a global key, or onHangup), no cycle a caller can never leave,
/// every prompt in the catalogue, every condition parseable with known variables and functions, every sub-flow
/// present. Reports all problems, each naming the node.
/// </summary>
public static class FlowValidator
{
    /// <summary>Variables the runner sets (docs/ivr.md); collect nodes add their own.</summary>
    public static readonly IReadOnlySet<string> BuiltInVariables = new HashSet<string>
    {
        "caller", "callee", "digits", "menu", "recording", "recordOutcome", "speech", "transcript", "category", "department",
        "urgency", "emergency", "emergencyService", "queryCode", "progressStatus", "progressText", "openOrders",
        "hour", "minute", "weekday", "holiday", "workingDay", "lastError",
    };

    public static IReadOnlyList<FlowError> Validate(FlowDocument flow, ValidationContext context)
    {
        var errors = new List<FlowError>();
        if (string.IsNullOrWhiteSpace(flow.Name)) errors.Add(new(FlowErrorKind.MissingField, null, "the flow has no name"));
        if (flow.Nodes.Count == 0) { errors.Add(new(FlowErrorKind.MissingStart, null, "the flow has no nodes")); return errors; }
        if (!flow.Nodes.ContainsKey(flow.Start)) errors.Add(new(FlowErrorKind.MissingStart, null, $"start node '{flow.Start}' does not exist"));
        foreach (var (key, target) in flow.GlobalKeys)
        {
            if (key.Length != 1 || !"0123456789*#".Contains(key[0])) errors.Add(new(FlowErrorKind.MissingField, null, $"global key '{key}' is not one DTMF key"));
            if (!flow.Nodes.ContainsKey(target)) errors.Add(new(FlowErrorKind.DanglingExit, null, $"global key '{key}' goes to '{target}', which does not exist"));
        }
        if (flow.OnHangup is not null && !flow.Nodes.ContainsKey(flow.OnHangup))
            errors.Add(new(FlowErrorKind.DanglingExit, null, $"onHangup goes to '{flow.OnHangup}', which does not exist"));

        var variables = new HashSet<string>(BuiltInVariables);
        foreach (var node in flow.Nodes.Values)
            if (node.Type == NodeTypes.Collect && !string.IsNullOrEmpty(node.Variable)) variables.Add(node.Variable);

        foreach (var (id, node) in flow.Nodes)
        {
            if (!NodeTypes.All.Contains(node.Type))
            {
                errors.Add(new(FlowErrorKind.UnknownNodeType, id, $"unknown node type '{node.Type}' (known: {string.Join(", ", NodeTypes.All)})"));
                continue;
            }
            foreach (var (exit, target) in NodeTypes.Exits(node))
            {
                if (string.IsNullOrEmpty(target)) errors.Add(new(FlowErrorKind.DanglingExit, id, $"exit '{exit}' goes nowhere"));
                else if (!flow.Nodes.ContainsKey(target)) errors.Add(new(FlowErrorKind.DanglingExit, id, $"exit '{exit}' goes to '{target}', which does not exist"));
            }
            CheckFields(id, node, context, variables, errors);
        }
        CheckGraph(flow, errors);
        return errors;
    }

    private static void CheckFields(string id, FlowNode node, ValidationContext context, HashSet<string> variables, List<FlowError> errors)
    {
        void Prompt(string name)
        {
            if (context.CheckPrompts && !context.Prompts.Contains(name))
                errors.Add(new(FlowErrorKind.MissingPrompt, id, $"prompt '{name}' is not in the prompt catalogue"));
        }
        foreach (var p in node.Prompts.Concat(node.InvalidPrompts)) Prompt(p);
        switch (node.Type)
        {
            case NodeTypes.Play when node.Prompts.Count == 0 && string.IsNullOrWhiteSpace(node.Text):
                errors.Add(new(FlowErrorKind.MissingPrompt, id, "a play node needs prompts or text"));
                break;
            case NodeTypes.SayDigits:
                if (string.IsNullOrEmpty(node.Variable)) errors.Add(new(FlowErrorKind.MissingField, id, "sayDigits needs 'variable'"));
                else if (!variables.Contains(node.Variable)) errors.Add(new(FlowErrorKind.BadExpression, id, $"unknown variable '{node.Variable}'"));
                for (var d = 0; d <= 9; d++) Prompt($"digit_{d}");
                break;
            case NodeTypes.Menu:
                if (node.Choices.Count == 0) errors.Add(new(FlowErrorKind.MissingField, id, "a menu needs choices"));
                foreach (var key in node.Choices.Keys)
                    if (key.Length != 1 || !"0123456789*#".Contains(key[0])) errors.Add(new(FlowErrorKind.MissingField, id, $"choice '{key}' is not one DTMF key"));
                break;
            case NodeTypes.Collect when string.IsNullOrEmpty(node.Variable):
                errors.Add(new(FlowErrorKind.MissingField, id, "collect needs 'variable'"));
                break;
            case NodeTypes.Branch:
                if (node.Cases.Count == 0) errors.Add(new(FlowErrorKind.MissingField, id, "a branch needs cases"));
                for (var i = 0; i < node.Cases.Count; i++) CheckExpression(id, i, node.Cases[i].When, variables, errors);
                break;
            case NodeTypes.Transfer when string.IsNullOrWhiteSpace(node.Queue):
                errors.Add(new(FlowErrorKind.MissingField, id, "transfer needs 'queue'"));
                break;
            case NodeTypes.External when node.Number is null || !NodeTypes.EmergencyNumbers.Contains(node.Number) && !node.Number.StartsWith('{'):
                errors.Add(new(FlowErrorKind.MissingField, id, $"external needs 'number' among {string.Join("/", NodeTypes.EmergencyNumbers)} or a {{variable}}"));
                break;
            case NodeTypes.Subflow:
                if (string.IsNullOrWhiteSpace(node.Flow)) errors.Add(new(FlowErrorKind.MissingField, id, "subflow needs 'flow'"));
                else if (!context.FlowExists(node.Flow)) errors.Add(new(FlowErrorKind.SubflowNotFound, id, $"sub-flow '{node.Flow}' does not exist"));
                break;
        }
    }

    private static void CheckExpression(string id, int index, string text, HashSet<string> variables, List<FlowError> errors)
    {
        var parsed = ExprParser.Parse(text);
        if (!parsed.Ok) { errors.Add(new(FlowErrorKind.BadExpression, id, $"cases[{index}] '{text}': {parsed.Error}")); return; }
        foreach (var v in parsed.Expression!.Variables().Distinct().Where(v => !variables.Contains(v)))
            errors.Add(new(FlowErrorKind.BadExpression, id, $"cases[{index}] '{text}': unknown variable '{v}'"));
        foreach (var call in Calls(parsed.Expression))
        {
            if (!ExprEvaluator.Functions.Contains(call.Function)) { errors.Add(new(FlowErrorKind.BadExpression, id, $"cases[{index}] '{text}': unknown function '{call.Function}'")); continue; }
            var (min, max) = ExprEvaluator.Arity(call.Function);
            if (call.Arguments.Count < min || call.Arguments.Count > max)
                errors.Add(new(FlowErrorKind.BadExpression, id, $"cases[{index}] '{text}': {call.Function} takes {min}{(max != min ? $"–{max}" : "")} arguments"));
        }
    }

    private static IEnumerable<Expr.Call> Calls(Expr e) => e switch
    {
        Expr.Call c => c.Arguments.SelectMany(Calls).Prepend(c),
        Expr.Not n => Calls(n.Operand),
        Expr.Binary b => Calls(b.Left).Concat(Calls(b.Right)),
        _ => [],
    };

    /// <summary>Reachability from the roots, then which reachable nodes can still reach an end: the rest loop forever.</summary>
    private static void CheckGraph(FlowDocument flow, List<FlowError> errors)
    {
        var edges = flow.Nodes.ToDictionary(n => n.Key, n => NodeTypes.All.Contains(n.Value.Type)
            ? NodeTypes.Exits(n.Value).Select(e => e.Target).Where(t => t is not null && flow.Nodes.ContainsKey(t)).Select(t => t!).ToList()
            : new List<string>());
        var roots = new List<string> { flow.Start };
        roots.AddRange(flow.GlobalKeys.Values);
        if (flow.OnHangup is not null) roots.Add(flow.OnHangup);
        var reached = new HashSet<string>();
        var stack = new Stack<string>(roots.Where(flow.Nodes.ContainsKey));
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (!reached.Add(id)) continue;
            foreach (var t in edges[id]) stack.Push(t);
        }
        foreach (var id in flow.Nodes.Keys.Where(id => !reached.Contains(id)))
            errors.Add(new(FlowErrorKind.UnreachableNode, id, "no path from the start, a global key or onHangup leads here"));

        // Nodes that can end the run, and (backwards) every node with a path to one.
        var canEnd = new HashSet<string>(flow.Nodes.Where(n => NodeTypes.CanEnd(n.Value.Type)).Select(n => n.Key));
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var (id, targets) in edges)
                if (!canEnd.Contains(id) && targets.Any(canEnd.Contains)) changed = canEnd.Add(id) || changed;
        }
        foreach (var id in reached.Where(id => !canEnd.Contains(id) && NodeTypes.All.Contains(flow.Nodes[id].Type) && edges[id].Count > 0))
            errors.Add(new(FlowErrorKind.LoopWithoutExit, id, "every path from here loops back without reaching hangup, return or a transfer"));
    }
}
