using System.CommandLine;
using Telephony.Host.Commands;

namespace Telephony.Host;

public static class Program
{
    public static Task<int> Main(string[] args) => BuildCommandLine().Parse(args).InvokeAsync();

    /// <summary>Every command of the <c>telephony</c> program. Each lives in its own file under Commands/.</summary>
    public static RootCommand BuildCommandLine()
    {
        var root = new RootCommand("Telephony: a 12345 citizen-service hotline backend (SIP/RTP engine, speech intake, work orders).");
        root.Options.Add(CommonOptions.Config);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(TranscribeCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(ApiKeyCommand.Create());
        return root;
    }
}
