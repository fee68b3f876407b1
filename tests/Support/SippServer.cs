namespace Telephony.Testing;

/// <summary>
/// SIPp answering calls in the background (by default the built-in <c>uas</c>: 180 then 200, and 200 to
/// BYE). Disposing kills it; <see cref="StopAsync"/> lets it finish its calls and returns its counters.
/// </summary>
public sealed class SippServer : IDisposable
{
    private const int SigUsr1 = 10;
    private readonly SippRun _run;

    internal SippServer(SippRun run) => _run = run;

    public int Port => _run.LocalPort;

    /// <summary><c>127.0.0.1:port</c>, what a client or proxy sends to.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    public bool HasExited => _run.Process.HasExited;

    /// <summary>The counters SIPp dumped last (once a second); null before the first dump.</summary>
    public SippStatistics? Statistics => SippStatistics.ParseLast(SippFiles.Read(_run.Files.Statistics));

    /// <summary>Everything so far, for assertion messages.</summary>
    public SippResult Snapshot() => _run.Result();

    /// <summary>
    /// SIGUSR1 is SIPp's soft exit: no new calls, running ones finish. Returns the final result; kills
    /// the server if it has not exited within <paramref name="timeout"/>.
    /// </summary>
    public async Task<SippResult> StopAsync(TimeSpan? timeout = null)
    {
        // timeout(1) is the direct child; SIPp is its child.
        foreach (var pid in ChildProcesses(_run.Process.Id)) Posix.Kill(pid, SigUsr1);
        if (!await _run.Process.TryWaitForExitAsync(timeout ?? TimeSpan.FromSeconds(10))) _run.Process.Dispose();
        return _run.Result();
    }

    public void Dispose() => _run.Dispose();

    private static IEnumerable<int> ChildProcesses(int pid)
    {
        var path = $"/proc/{pid}/task/{pid}/children";
        if (!File.Exists(path)) return [];
        return File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse);
    }
}
