namespace Telephony.Ivr.Simulation;

/// <summary>
/// A caller's script for the simulator (docs/ivr.md "Simulator"), one step per line, <c>#</c> comments:
/// <code>
/// caller 13812345678        the calling number (default 13800000000)
/// order 20261202001 受理中   a work order the fake store knows (query code, status text)
/// fail transcribe           make a fake service fail: transcribe | classify | draft | progress
/// say 我家楼下路灯坏了        the next recording hears this (the fake speech-to-text returns it)
/// press 2                   keys; barge into a prompt, answer a menu or collect (e.g. press 20261202001#)
/// silence                   the next recording hears nothing
/// wait                      the next menu or collect times out
/// say-and-hangup 路灯坏了     the caller speaks, then hangs up before the recording ends
/// hangup                    the caller hangs up at the next step
/// </code>
/// Steps are consumed in order as the flow asks for input; a play consumes a <c>press</c> only when it allows barge-in.
/// </summary>
public sealed record SimulationScript(string Caller, IReadOnlyList<ScriptStep> Steps, IReadOnlyDictionary<string, string> Orders, IReadOnlySet<string> Failures)
{
    public static (SimulationScript? Script, string? Error) Parse(string text)
    {
        var steps = new List<ScriptStep>();
        var orders = new Dictionary<string, string>();
        var failures = new HashSet<string>();
        var caller = "13800000000";
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var space = line.IndexOf(' ');
            var verb = space < 0 ? line : line[..space];
            var arg = space < 0 ? "" : line[(space + 1)..].Trim();
            switch (verb)
            {
                case "caller" when arg.Length > 0: caller = arg; break;
                case "order" when arg.Contains(' '):
                    var parts = arg.Split(' ', 2);
                    orders[parts[0]] = parts[1].Trim();
                    break;
                case "fail" when arg is "transcribe" or "classify" or "draft" or "progress": failures.Add(arg); break;
                case "say" when arg.Length > 0: steps.Add(new(StepKind.Say, arg)); break;
                case "say-and-hangup" when arg.Length > 0: steps.Add(new(StepKind.SayAndHangup, arg)); break;
                case "press" when arg.Length > 0 && arg.All(c => "0123456789*#".Contains(c)): steps.Add(new(StepKind.Press, arg)); break;
                case "silence": steps.Add(new(StepKind.Silence, "")); break;
                case "wait": steps.Add(new(StepKind.Wait, "")); break;
                case "hangup": steps.Add(new(StepKind.Hangup, "")); break;
                default: return (null, $"line {lineNo}: cannot read '{line}' (caller, order, fail, say, say-and-hangup, press, silence, wait, hangup)");
            }
        }
        return (new SimulationScript(caller, steps, orders, failures), null);
    }
}

public enum StepKind { Say, SayAndHangup, Press, Silence, Wait, Hangup }

public sealed record ScriptStep(StepKind Kind, string Argument);
