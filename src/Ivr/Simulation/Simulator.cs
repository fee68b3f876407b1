using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Ivr.Runtime;
using Telephony.Ivr.Services;

namespace Telephony.Ivr.Simulation;

/// <summary>The outcome of one simulated call: the runner's result plus the fakes, for tests and the simulate command.</summary>
public sealed record SimulationResult(RunResult Run, ScriptedCallChannel Channel, FakeWorkOrders WorkOrders, UnavailableTransfers Transfers);

/// <summary>Runs a flow against a script with fake services (docs/ivr.md "Simulator").</summary>
public static class Simulator
{
    public static async Task<SimulationResult> RunAsync(FlowSnapshot flow, SimulationScript script, string recordingFolder,
        TimeProvider? clock = null, IHolidayCalendar? calendar = null, IReadOnlySet<string>? knownPrompts = null, ILogger? logger = null)
    {
        var channel = new ScriptedCallChannel(script, recordingFolder, knownPrompts: knownPrompts);
        var orders = new FakeWorkOrders(script.Orders, script.Failures);
        var transfers = new UnavailableTransfers();
        var services = new IvrServices(new FakeSpeechToText(channel, script.Failures.Contains("transcribe")), new FakeClassifier(script.Failures.Contains("classify")),
            new FakeTextToSpeech(), orders, transfers, transfers, calendar ?? new WeekendOnlyCalendar(), clock ?? TimeProvider.System)
        { RecordingFolder = recordingFolder };
        var run = await new FlowRunner(services, logger ?? NullLogger.Instance).RunAsync(channel, flow);
        return new SimulationResult(run, channel, orders, transfers);
    }

    /// <summary>The trace as the simulate command prints it: one line per node, then the prompts played.</summary>
    public static string Format(SimulationResult result)
    {
        var lines = result.Run.Trace.Select((t, i) => $"{i + 1,3}. {t.Flow}/{t.Node} [{t.Type}] -> {t.Exit}: {t.Detail}").ToList();
        lines.Add($"outcome: {result.Run.Outcome} (flow version {result.Run.FlowVersion})");
        lines.Add("prompts played: " + string.Join(" ", result.Channel.Played));
        foreach (var d in result.WorkOrders.Drafts)
            lines.Add($"draft: recording {d.RecordingPath}, transcript \"{d.Transcript}\", category {d.Classification?.Category ?? "-"}");
        return string.Join(Environment.NewLine, lines);
    }
}
