using Telephony.Ivr.Flow;
using Telephony.Media.Channel;

namespace Telephony.Ivr.Runtime;

/// <summary>The nodes that take input from the caller: menu, collect, record.</summary>
public sealed partial class FlowRunner
{
    private async Task<Step> MenuAsync(CallState s, FlowDocument flow, FlowNode node, CancellationToken ct)
    {
        if (s.InHangupPath) return HungUp("caller gone");
        var attempts = (node.Retries ?? 2) + 1;
        var timeout = TimeSpan.FromSeconds(node.TimeoutSeconds ?? 5);
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (s.Call.PendingDigits.Length == 0 && node.Prompts.Count > 0)
            {
                var play = await s.Call.PlayAsync(node.Prompts.Select(p => (AudioItem)new AudioItem.Prompt(p)).ToList(), new PlayOptions { BargeIn = true }, ct);
                s.Played.AddRange(play.Played);
                if (play.Outcome == PlayOutcome.HungUp) return HungUp("caller hung up during the menu");
            }
            var got = await s.Call.CollectDigitsAsync(new DigitOptions { MaxDigits = 1, Terminators = "", FirstDigitTimeout = timeout }, ct);
            if (got.Outcome == DigitsOutcome.HungUp) return HungUp("caller hung up during the menu");
            if (got.Digits.Length == 1 && node.Choices.TryGetValue(got.Digits, out var target))
            {
                s.Variables["menu"] = got.Digits;
                return Go($"choices.{got.Digits}", target, $"pressed {got.Digits}");
            }
            if (got.Digits.Length > 0 && node.InvalidPrompts.Count > 0 && attempt < attempts)
            {
                var play = await s.Call.PlayAsync(node.InvalidPrompts.Select(p => (AudioItem)new AudioItem.Prompt(p)).ToList(), PlayOptions.Default, ct);
                s.Played.AddRange(play.Played);
                if (play.Outcome == PlayOutcome.HungUp) return HungUp("caller hung up during the menu");
            }
        }
        return node.NoInput is not null
            ? Go("noInput", node.NoInput, $"no valid choice after {attempts} attempts")
            : new Step("noInput", null, $"no valid choice after {attempts} attempts: ending", RunOutcome.Completed);
    }

    private async Task<Step> CollectAsync(CallState s, FlowNode node, CancellationToken ct)
    {
        if (s.InHangupPath) return HungUp("caller gone");
        var attempts = (node.Retries ?? 1) + 1;
        var options = new DigitOptions
        {
            MaxDigits = node.MaxDigits ?? 16,
            Terminators = node.Terminators ?? "#",
            FirstDigitTimeout = TimeSpan.FromSeconds(node.TimeoutSeconds ?? 8),
        };
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (s.Call.PendingDigits.Length == 0 && node.Prompts.Count > 0)
            {
                var play = await s.Call.PlayAsync(node.Prompts.Select(p => (AudioItem)new AudioItem.Prompt(p)).ToList(), new PlayOptions { BargeIn = true }, ct);
                s.Played.AddRange(play.Played);
                if (play.Outcome == PlayOutcome.HungUp) return HungUp("caller hung up before entering digits");
            }
            var got = await s.Call.CollectDigitsAsync(options, ct);
            if (got.Outcome == DigitsOutcome.HungUp) return HungUp("caller hung up while entering digits");
            if (got.Digits.Length > 0)
            {
                s.Variables[node.Variable!] = got.Digits;
                s.Variables["digits"] = got.Digits;
                return Go("next", node.Next, $"collected {got.Digits.Length} digits ({got.Outcome})");
            }
        }
        return Go(node.NoInput is null ? "next" : "noInput", node.NoInput ?? node.Next, "no digits");
    }

    private async Task<Step> RecordAsync(CallState s, FlowDocument flow, FlowNode node, CancellationToken ct)
    {
        if (s.InHangupPath) return HungUp("caller gone");
        if (node.Prompts.Count > 0)
        {
            var play = await PlayAsync(s, flow, node with { Next = null }, node.Prompts.Select(p => (AudioItem)new AudioItem.Prompt(p)).ToList(), string.Join(",", node.Prompts), ct);
            if (play.End is not null || play.Target is not null) return play;
        }
        var keys = HonoursGlobalKeys(flow, node) ? string.Concat(flow.GlobalKeys.Keys) : "";
        var options = new RecordOptions
        {
            MaxLength = TimeSpan.FromSeconds(node.MaxSeconds ?? 60),
            EndSilence = TimeSpan.FromMilliseconds(node.EndSilenceMs ?? 800),
            NoSpeechTimeout = TimeSpan.FromSeconds(node.TimeoutSeconds ?? 8),
            TerminatingKeys = keys,
            Beep = node.Beep ?? true,
            Folder = services.RecordingFolder,
        };
        var rec = await s.Call.RecordAsync(options, ct);
        // Keep the recording whatever happens next: a hang-up or a key still leaves the caller's words on disk.
        if (rec.Path is not null && (rec.SpeechDetected || s.Recording is null)) s.Recording = rec;
        s.Variables["recording"] = rec.Path;
        s.Variables["recordOutcome"] = rec.Outcome.ToString();
        s.Variables["speech"] = rec.SpeechDetected;
        var detail = $"{rec.Outcome}, {rec.Duration.TotalSeconds:0.0} s, {(rec.Path ?? "not written: " + rec.Error)}";
        return rec.Outcome switch
        {
            RecordOutcome.HungUp => HungUp($"caller hung up while recording ({detail})"),
            RecordOutcome.Key when TakeGlobalKey(s, flow, node) is { } key => key with { Detail = $"{key.Detail} during recording ({detail})" },
            RecordOutcome.NoSpeech => Go(node.NoInput is null ? "next" : "noInput", node.NoInput ?? node.Next, detail),
            _ => Go("next", node.Next, detail),
        };
    }
}
