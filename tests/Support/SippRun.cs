namespace Telephony.Testing;

/// <summary>One SIPp process wrapped in coreutils <c>timeout</c>, with its scratch directory; disposing stops it and removes the directory.</summary>
internal sealed class SippRun : IDisposable
{
    private SippRun(PeerProcess process, SippFiles files, int localPort, string commandLine)
    {
        Process = process;
        Files = files;
        LocalPort = localPort;
        CommandLine = commandLine;
    }

    public PeerProcess Process { get; }
    public SippFiles Files { get; }
    public int LocalPort { get; }
    public string CommandLine { get; }

    public static SippRun Start(SippOptions options)
    {
        var sipp = ExternalTool.Require("sipp", "sip-tester");
        var timeout = ExternalTool.Require("timeout", "coreutils");
        var files = new SippFiles(RepositoryPaths.NewScratchDirectory("sipp"));
        var port = options.LocalPort != 0 ? options.LocalPort : FreePorts.Next();
        var limit = (long)Math.Ceiling(Sipp.KillAfter(options).TotalSeconds);
        List<string> args = ["--kill-after=5", $"{limit}s", sipp, .. SippCommandLine.Build(options, port, files)];
        var commandLine = string.Join(' ', args.Skip(2).Select(a => a.Contains(' ') ? $"'{a}'" : a));
        var process = PeerProcess.Start(timeout, args, files.Directory);
        return new SippRun(process, files, port, commandLine);
    }

    /// <summary>What the run reported so far; complete once the process has exited.</summary>
    public SippResult Result() => new(
        Process.HasExited ? Process.ExitCode : -1,
        SippStatistics.ParseLast(SippFiles.Read(Files.Statistics)),
        CommandLine,
        Process.Output + SippFiles.Read(Files.Screen),
        SippFiles.Read(Files.Errors),
        SippFiles.Read(Files.Messages));

    public void Dispose()
    {
        Process.Dispose();
        try
        {
            Directory.Delete(Files.Directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still open by a dying process: leave the scratch directory to the system's temp cleanup
        }
    }
}
