using System.Net.Sockets;

namespace Telephony.Testing;

/// <summary>
/// Kamailio 5.6 started by a test with one of the repository's config files, listening on UDP
/// 127.0.0.1. It runs with <c>-DD</c>: workers are forked but the main process stays our child, so the
/// test owns the whole tree. (A single <c>-D</c> means "no fork" in 5.6: one process, not the real thing.)
/// </summary>
public sealed class Kamailio : IDisposable
{
    private const int SigTerm = 15;
    private readonly PeerProcess _process;
    private readonly string _runDirectory;

    private Kamailio(PeerProcess process, string runDirectory, int port)
    {
        _process = process;
        _runDirectory = runDirectory;
        Port = port;
    }

    public int Port { get; }
    public string Endpoint => $"127.0.0.1:{Port}";
    public string Output => _process.OutputTail();

    /// <param name="configFile">The <c>kamailio.cfg</c> to run (its own listen lines are overridden by <c>-l</c>).</param>
    /// <param name="defines">
    /// Pre-processor defines (<c>-A</c>), written into the config as given: a string value needs its quotes,
    /// e.g. <c>["REG_PASSWORD"] = "\"secret\""</c>; a null value defines the name alone.
    /// </param>
    public static async Task<Kamailio> StartAsync(string configFile, int port = 0, IReadOnlyDictionary<string, string?>? defines = null,
        TimeSpan? readyTimeout = null)
    {
        var program = ExternalTool.Require("kamailio", "kamailio");
        if (!File.Exists(configFile)) throw new FileNotFoundException("Kamailio config not found", configFile);
        port = port != 0 ? port : FreePorts.Next();
        var run = RepositoryPaths.NewScratchDirectory("kamailio");
        List<string> args =
        [
            "-f", configFile, "-l", $"udp:127.0.0.1:{port}",
            "-P", Path.Combine(run, "kamailio.pid"), "-Y", run, "-w", run,
            // Small memory pools: a test proxy holds few transactions.
            "-m", "64", "-M", "8",
            "-DD", "-E",
        ];
        foreach (var (name, value) in defines ?? new Dictionary<string, string?>())
            args.AddRange(["-A", value is null ? name : $"{name}={value}"]);

        var process = PeerProcess.Start(program, args, run);
        var kamailio = new Kamailio(process, run, port);
        try
        {
            await process.WaitUntilAsync(() => FreePorts.IsBound(port, ProtocolType.Udp), readyTimeout ?? TimeSpan.FromSeconds(10),
                $"kamailio ({Path.GetFileName(configFile)}) listening on udp {port}");
            return kamailio;
        }
        catch
        {
            kamailio.Dispose();
            throw;
        }
    }

    /// <summary>SIGTERM lets the main process stop its workers; whatever is left is killed.</summary>
    public void Dispose()
    {
        _process.Signal(SigTerm);
        _process.TryWaitForExitAsync(TimeSpan.FromSeconds(3)).GetAwaiter().GetResult();
        _process.Dispose();
        try
        {
            Directory.Delete(_runDirectory, recursive: true);
        }
        catch (IOException)
        {
            // left to the system's temp cleanup
        }
    }
}
