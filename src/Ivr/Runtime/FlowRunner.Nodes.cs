using System.Globalization;
using System.Text.RegularExpressions;
using Telephony.Ivr.Expressions;
using Telephony.Ivr.Flow;
using Telephony.Ivr.Services;
using Telephony.Media.Channel;

namespace Telephony.Ivr.Runtime;

/// <summary>What each node type does (docs/ivr.md "Node reference").</summary>
public sealed partial class FlowRunner
{
    private readonly record struct Step(string Exit, string? Target, string Detail, RunOutcome? End = null);

    private static Step Go(string exit, string? target, string detail) => new(exit, target, detail);
    private static Step HungUp(string detail) => new("hungUp", null, detail, RunOutcome.HungUp);

    private async Task<(string, string?, string, RunOutcome?)> ExecuteAsync(CallState s, FlowDocument flow, string id, FlowNode node, CancellationToken ct)
    {
        var step = await ExecuteNodeAsync(s, flow, node, ct);
        return (step.Exit, step.Target, step.Detail, step.End);
    }

    private async Task<Step> ExecuteNodeAsync(CallState s, FlowDocument flow, FlowNode node, CancellationToken ct)
    {
        var call = s.Call;
        if (TakeGlobalKey(s, flow, node) is { } early) return early;
        switch (node.Type)
        {
            case NodeTypes.Play:
            {
                var items = node.Prompts.Select(p => (AudioItem)new AudioItem.Prompt(p)).ToList();
                string? label = null;
                if (!string.IsNullOrWhiteSpace(node.Text))
                {
                    label = Interpolate(node.Text, s.Variables);
                    try
                    {
                        if (!s.InHangupPath) items.Add(new AudioItem.Pcm(await services.TextToSpeech.SynthesizeAsync(label, call.SampleRate, ct), "tts:" + label));
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        s.Variables["lastError"] = e.Message;
                        if (node.Error is not null) return Go("error", node.Error, $"speech synthesis failed: {e.Message}");
                    }
                }
                return await PlayAsync(s, flow, node, items, label ?? string.Join(",", node.Prompts), ct);
            }
            case NodeTypes.SayDigits:
            {
                var digits = Text(s.Variables.GetValueOrDefault(node.Variable!)) ?? "";
                var items = node.Prompts.Select(p => (AudioItem)new AudioItem.Prompt(p))
                    .Concat(digits.Where(char.IsAsciiDigit).Select(d => (AudioItem)new AudioItem.Prompt($"digit_{d}"))).ToList();
                return await PlayAsync(s, flow, node, items, $"digits {digits}", ct);
            }
            case NodeTypes.Menu: return await MenuAsync(s, flow, node, ct);
            case NodeTypes.Collect: return await CollectAsync(s, node, ct);
            case NodeTypes.Record: return await RecordAsync(s, flow, node, ct);
            case NodeTypes.Transcribe:
            {
                if (s.Recording is not { Path: not null } rec) return Go(node.Error is null ? "next" : "error", node.Error ?? node.Next, "nothing recorded");
                try
                {
                    var transcript = await services.SpeechToText.TranscribeAsync(rec, ct);
                    s.Variables["transcript"] = transcript.Text;
                    return Go("next", node.Next, $"transcript \"{transcript.Text}\"");
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    s.Variables["lastError"] = e.Message;
                    return Go(node.Error is null ? "next" : "error", node.Error ?? node.Next, $"transcription failed ({e.Message}); recording kept at {rec.Path}");
                }
            }
            case NodeTypes.Classify:
            {
                if (Text(s.Variables.GetValueOrDefault("transcript")) is not { Length: > 0 } text)
                    return Go(node.Error is null ? "next" : "error", node.Error ?? node.Next, "no transcript to classify");
                try
                {
                    var c = await services.Classifier.ClassifyAsync(text, ct);
                    s.Variables["category"] = c.Category;
                    s.Variables["department"] = c.Department;
                    s.Variables["urgency"] = c.Urgency;
                    s.Variables["emergency"] = c.Emergency;
                    s.Variables["emergencyService"] = c.EmergencyService;
                    s.Classification = c;
                    return Go("next", node.Next, $"category {c.Category}, urgency {c.Urgency}, emergency {c.Emergency}{(c.EmergencyService is null ? "" : " " + c.EmergencyService)}");
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    s.Variables["lastError"] = e.Message;
                    return Go(node.Error is null ? "next" : "error", node.Error ?? node.Next, $"classification failed ({e.Message})");
                }
            }
            case NodeTypes.Branch:
            {
                await ResolveLazyVariablesAsync(s, node, ct);
                var now = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(services.Clock.GetUtcNow(), services.TimeZone).DateTime);
                for (var i = 0; i < node.Cases.Count; i++)
                {
                    var parsed = ExprParser.Parse(node.Cases[i].When);
                    if (parsed.Ok && ExprEvaluator.IsTrue(parsed.Expression!, s.Variables, now))
                        return Go($"cases[{i}]", node.Cases[i].Next, node.Cases[i].When);
                }
                return Go("else", node.Else, "no case held");
            }
            case NodeTypes.CreateDraft:
            {
                if (s.Variables.GetValueOrDefault("queryCode") is string existing) return Go("next", node.Next, $"draft exists, query code {existing}");
                try
                {
                    var draft = await services.WorkOrders.CreateDraftAsync(new DraftRequest(call.CallId, call.Caller, call.Callee, s.Recording?.Path,
                        Text(s.Variables.GetValueOrDefault("transcript")), s.Classification, services.Clock.GetUtcNow()), ct);
                    s.Variables["queryCode"] = draft.QueryCode;
                    return Go("next", node.Next, $"draft created, query code {draft.QueryCode}");
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    s.Variables["lastError"] = e.Message;
                    return Go(node.Error is null ? "next" : "error", node.Error ?? node.Next, $"draft failed ({e.Message}); recording kept at {s.Recording?.Path}");
                }
            }
            case NodeTypes.LookupProgress:
            {
                var code = Text(s.Variables.GetValueOrDefault(node.Variable ?? "queryCode")) ?? "";
                try
                {
                    var progress = await services.WorkOrders.GetProgressAsync(code, call.Caller, ct);
                    if (progress is null) return Go(node.NotFound is null ? "next" : "notFound", node.NotFound ?? node.Next, $"no work order {code}");
                    s.Variables["progressStatus"] = progress.Status;
                    s.Variables["progressText"] = progress.StatusText;
                    return Go("next", node.Next, $"{code}: {progress.Status}");
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    s.Variables["lastError"] = e.Message;
                    return Go(node.Error is null ? "next" : "error", node.Error ?? node.Next, $"progress lookup failed ({e.Message})");
                }
            }
            case NodeTypes.Transfer or NodeTypes.External:
            {
                if (s.InHangupPath) return Go("next", node.Next, "caller gone");
                var target = node.Type == NodeTypes.Transfer ? node.Queue! : Interpolate(node.Number!, s.Variables);
                TransferResult result;
                try
                {
                    var context = s.Variables.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => Text(v.Value)!);
                    result = node.Type == NodeTypes.Transfer
                        ? await services.Queues.TransferToQueueAsync(call, target, context, ct)
                        : await services.External.TransferToNumberAsync(call, target, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    result = new TransferResult(TransferOutcome.Failed, e.Message);
                }
                return result.Outcome switch
                {
                    TransferOutcome.Transferred => new Step("transferred", null, $"transferred to {PhoneMask.Mask(target)}", RunOutcome.Transferred),
                    TransferOutcome.HungUp => HungUp($"caller hung up during transfer to {PhoneMask.Mask(target)}"),
                    TransferOutcome.Failed when node.Error is not null => Go("error", node.Error, $"transfer to {PhoneMask.Mask(target)} failed: {result.Reason}"),
                    _ => Go(node.Unavailable is null ? "next" : "unavailable", node.Unavailable ?? node.Next, $"{PhoneMask.Mask(target)} {result.Outcome}: {result.Reason}"),
                };
            }
            case NodeTypes.Hangup:
                await call.HangupAsync();
                return new Step("end", null, "hung up", RunOutcome.Completed);
            case NodeTypes.Return:
                return new Step("return", null, "return", RunOutcome.Completed);
            case NodeTypes.Subflow:
                return Go("enter", null, $"sub-flow {node.Flow}");
            default:
                return new Step("error", null, $"unknown node type {node.Type}", RunOutcome.Completed);
        }
    }

    /// <summary>A global key pressed before or during this node (play, sayDigits, record) jumps to its handler.</summary>
    private static Step? TakeGlobalKey(CallState s, FlowDocument flow, FlowNode node)
    {
        if (s.InHangupPath || !HonoursGlobalKeys(flow, node)) return null;
        var pending = s.Call.PendingDigits;
        if (pending.Length == 0 || !flow.GlobalKeys.TryGetValue(pending[..1], out var target)) return null;
        s.Call.ClearDigits();
        return Go($"key {pending[0]}", target, $"global key {pending[0]}");
    }

    private static bool HonoursGlobalKeys(FlowDocument flow, FlowNode node) =>
        flow.GlobalKeys.Count > 0 && node.GlobalKeys != false && node.Type is NodeTypes.Play or NodeTypes.SayDigits or NodeTypes.Record;

    private async Task<Step> PlayAsync(CallState s, FlowDocument flow, FlowNode node, List<AudioItem> items, string label, CancellationToken ct)
    {
        if (s.InHangupPath) return Go("next", node.Next, $"skipped (caller gone): {label}");
        var bargeIn = node.BargeIn ?? HonoursGlobalKeys(flow, node);
        var result = await s.Call.PlayAsync(items, new PlayOptions { BargeIn = bargeIn }, ct);
        s.Played.AddRange(result.Played);
        var missing = result.Missing.Count > 0 ? $" (missing: {string.Join(",", result.Missing)})" : "";
        if (result.Outcome == PlayOutcome.HungUp) return HungUp($"caller hung up during {label}");
        if (TakeGlobalKey(s, flow, node) is { } key) return key;
        return Go("next", node.Next, $"played {label}{missing}");
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        double d => d.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => value.ToString(),
    };

    private static string Interpolate(string text, IReadOnlyDictionary<string, object?> variables) =>
        Regex.Replace(text, @"\{([A-Za-z_][A-Za-z0-9_.]*)\}", m => Text(variables.GetValueOrDefault(m.Groups[1].Value)) ?? "");

    /// <summary>Time-of-day and calendar variables always; open orders only when a case reads them (a store query).</summary>
    private async Task ResolveLazyVariablesAsync(CallState s, FlowNode node, CancellationToken ct)
    {
        var local = TimeZoneInfo.ConvertTime(services.Clock.GetUtcNow(), services.TimeZone);
        var date = DateOnly.FromDateTime(local.DateTime);
        s.Variables["hour"] = (double)local.Hour;
        s.Variables["minute"] = (double)local.Minute;
        s.Variables["weekday"] = (double)(local.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)local.DayOfWeek);
        s.Variables["holiday"] = services.Calendar.IsHoliday(date);
        s.Variables["workingDay"] = services.Calendar.IsWorkingDay(date);
        var needsOrders = node.Cases.Any(c => ExprParser.Parse(c.When).Expression?.Variables().Contains("openOrders") == true);
        if (needsOrders && !s.Variables.ContainsKey("openOrders"))
        {
            try { s.Variables["openOrders"] = (double)await services.WorkOrders.CountOpenOrdersAsync(s.Call.Caller, ct); }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested) { s.Variables["openOrders"] = null; s.Variables["lastError"] = e.Message; }
        }
    }
}
