using System.CommandLine;
using Telephony.Host.Api;
using Telephony.Host.Configuration;
using Telephony.Host.Engine;
using Telephony.Ivr.Flow;
using Telephony.Ivr.Runtime;
using Telephony.Ivr.Simulation;
using Telephony.Ivr.Validation;

namespace Telephony.Host.Commands;

/// <summary>
/// <c>simulate FLOW --input SCRIPT</c>: runs a flow file (or a flow name under flows/) against a caller script with
/// fake services and prints every node and prompt (docs/ivr.md "Simulator"). Exit 2 when the flow or script is bad.
/// </summary>
public static class SimulateCommand
{
    private static readonly Argument<string> Flow = new("flow") { Description = "Flow file (flows/12345.json) or name (12345)" };
    private static readonly Option<string> Input = new("--input") { Description = "Caller script: say, press, silence, wait, hangup … (docs/ivr.md)", Required = true };

    public static Command Create()
    {
        var command = new Command("simulate", "Run an IVR flow against a scripted caller and print the trace of nodes and prompts");
        command.Arguments.Add(Flow);
        command.Options.Add(Input);
        command.SetAction((parse, _) => RunAsync(parse.GetValue(Flow)!, parse.GetValue(Input)!, Console.Out, Console.Error, parse.GetValue(CommonOptions.Config)));
        return command;
    }

    /// <param name="configFile">The configuration whose prompts the flow is checked and run against: the default set
    /// (<c>Paths:Prompts</c>, its catalogue) and the admin's replacements and additions (<c>Paths:CustomPrompts</c>).</param>
    public static async Task<int> RunAsync(string flowArg, string scriptPath, TextWriter output, TextWriter errors, string? configFile = null)
    {
        var path = File.Exists(flowArg) ? flowArg : RepositoryLayout.Resolve(Path.Combine("flows", flowArg + ".json"));
        if (!File.Exists(path)) { await errors.WriteLineAsync($"simulate: no flow file {flowArg} (nor {path})"); return 2; }
        if (!File.Exists(scriptPath)) { await errors.WriteLineAsync($"simulate: no script file {scriptPath}"); return 2; }
        var configuration = HostConfiguration.Build(configFile);
        var prompts = new PromptStore(MediaConfiguration.PromptsFolder(configuration), MediaConfiguration.CustomPromptsFolder(configuration), TimeSpan.Zero).Names();
        var flowsFolder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var context = new ValidationContext(prompts, name => File.Exists(Path.Combine(flowsFolder, name + ".json"))) { CheckPrompts = prompts.Count > 0 };
        var (flow, problems) = FlowParser.ParseAndValidate(await File.ReadAllTextAsync(path), context);
        if (flow is null)
        {
            foreach (var p in problems) await errors.WriteLineAsync($"simulate: {path}: {p}");
            return 2;
        }
        var (script, error) = SimulationScript.Parse(await File.ReadAllTextAsync(scriptPath));
        if (script is null) { await errors.WriteLineAsync($"simulate: {scriptPath}: {error}"); return 2; }
        var subflows = flow.Nodes.Values.Where(n => n.Type == NodeTypes.Subflow).Select(n => n.Flow!).Distinct()
            .Select(n => FlowParser.Parse(File.ReadAllText(Path.Combine(flowsFolder, n + ".json"))).Flow).OfType<FlowDocument>().ToArray();
        var scratch = Path.Combine(Path.GetTempPath(), $"telephony-simulate-{Guid.NewGuid():N}");
        var result = await Simulator.RunAsync(FlowSnapshot.Of(flow, 1, subflows), script, scratch, knownPrompts: prompts.Count > 0 ? prompts : null);
        await output.WriteLineAsync(Simulator.Format(result));
        await output.WriteLineAsync($"recordings: {scratch}");
        return 0;
    }
}
