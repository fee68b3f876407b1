using System.Net.Sockets;

namespace Telephony.Testing;

/// <summary>
/// Runs SIPp 3.6 (Debian package sip-tester) on loopback: a client run to completion with
/// <see cref="RunAsync"/>, or a server in the background with <see cref="StartServerAsync"/>.
/// </summary>
public static class Sipp
{
    /// <summary>Extra time coreutils <c>timeout</c> gives SIPp beyond its own <c>-timeout</c> before stopping it.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(15);

    /// <summary>The path of a scenario shipped with the end-to-end tests (tests/EndToEnd/Scenarios/NAME.xml).</summary>
    public static string Scenario(string name)
    {
        var file = name.EndsWith(".xml", StringComparison.Ordinal) ? name : name + ".xml";
        foreach (var dir in new[] { Path.Combine(AppContext.BaseDirectory, "Scenarios"), Path.Combine(RepositoryPaths.Root, "tests", "EndToEnd", "Scenarios") })
        {
            var path = Path.Combine(dir, file);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"No SIPp scenario {file} in tests/EndToEnd/Scenarios");
    }

    /// <summary>Runs SIPp until it exits (calls done, <c>-timeout</c>, or fatal error) and reads its statistics.</summary>
    public static async Task<SippResult> RunAsync(SippOptions options)
    {
        var run = SippRun.Start(options);
        try
        {
            // timeout(1) ends SIPp at Timeout + Grace and SIGKILLs 5 s later; waiting longer than that
            // would mean timeout(1) itself is stuck, so the process tree is killed on dispose.
            await run.Process.TryWaitForExitAsync(options.Timeout + Grace + TimeSpan.FromSeconds(10));
            return run.Result();
        }
        finally
        {
            run.Dispose();
        }
    }

    /// <summary>
    /// Starts SIPp as a server (built-in <c>uas</c> unless the options name another scenario) and returns
    /// once its port is bound. It runs until disposed; <paramref name="lifetime"/> (default 30 min) is
    /// its <c>-timeout</c>, so a server a crashed test never disposed still goes away.
    /// </summary>
    public static async Task<SippServer> StartServerAsync(SippOptions? options = null, TimeSpan? lifetime = null)
    {
        options ??= new SippOptions();
        if (options.BuiltInScenario is null && options.ScenarioFile is null) options = options with { BuiltInScenario = "uas" };
        options = options with { Timeout = lifetime ?? TimeSpan.FromMinutes(30) };
        var run = SippRun.Start(options);
        var server = new SippServer(run);
        try
        {
            var protocol = options.Transport == SippTransport.Tcp ? ProtocolType.Tcp : ProtocolType.Udp;
            await run.Process.WaitUntilAsync(() => FreePorts.IsBound(run.LocalPort, protocol), TimeSpan.FromSeconds(10),
                $"sipp {options.BuiltInScenario ?? Path.GetFileName(options.ScenarioFile)} listening on {run.LocalPort}");
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    internal static TimeSpan KillAfter(SippOptions options) => options.Timeout + Grace;
}
