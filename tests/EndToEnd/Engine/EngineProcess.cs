using System.Net.Http;
using Telephony.Testing;

namespace Telephony.EndToEnd.Engine;

/// <summary>
/// The real hotline, started as `Telephony.Host serve` in its own process on loopback ports with
/// environment overrides (the way an operator configures it), stopped with SIGTERM so shutdown is graceful.
/// Its console log is kept for assertions (masked numbers) and failure messages.
/// </summary>
public sealed class EngineProcess : IAsyncDisposable
{
    public const string AgentUser = "agent1";
    public const string AgentPassword = "agent1-secret";
    /// <summary>A citizen's softphone account: a mobile number, so the log must show it masked.</summary>
    public const string CitizenUser = "13812345678";
    public const string CitizenPassword = "citizen-secret";

    private readonly PeerProcess _process;

    public int SipPort { get; }
    public int HttpPort { get; }
    public string SipTarget => $"127.0.0.1:{SipPort}";
    public string Output => _process.Output;

    private EngineProcess(PeerProcess process, int sipPort, int httpPort)
    {
        _process = process;
        SipPort = sipPort;
        HttpPort = httpPort;
    }

    public static async Task<EngineProcess> StartAsync(int answerAfterMs = 0, IDictionary<string, string>? extra = null)
    {
        var sipPort = FreePorts.Next();
        var httpPort = FreePorts.Next();
        var dll = HostDll();
        var environment = new Dictionary<string, string>
        {
            ["TELEPHONY_Sip__Listen__0"] = $"udp:127.0.0.1:{sipPort}",
            ["TELEPHONY_Sip__Listen__1"] = $"tcp:127.0.0.1:{sipPort}",
            ["TELEPHONY_Sip__Listen__2"] = "",
            ["TELEPHONY_Sip__Listen__3"] = "",
            ["TELEPHONY_Sip__AnswerAfterMs"] = answerAfterMs.ToString(),
            ["TELEPHONY_Http__Url"] = $"http://127.0.0.1:{httpPort}",
            ["TELEPHONY_Rtp__PortMin"] = "30000",
            ["TELEPHONY_Rtp__PortMax"] = "39999",
            ["TELEPHONY_Accounts__0__User"] = AgentUser,
            ["TELEPHONY_Accounts__0__Password"] = AgentPassword,
            ["TELEPHONY_Accounts__1__User"] = CitizenUser,
            ["TELEPHONY_Accounts__1__Password"] = CitizenPassword,
            ["DOTNET_gcServer"] = "0",
            // The plain greet-and-record call unless a test asks for the IVR (tests/EndToEnd/Ivr).
            ["TELEPHONY_Ivr__Enabled"] = "false",
        };
        if (extra is not null) foreach (var (k, v) in extra) environment[k] = v;
        var process = PeerProcess.Start("dotnet", [dll, "serve"], RepositoryPaths.Root, environment);
        var engine = new EngineProcess(process, sipPort, httpPort);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        await process.WaitUntilAsync(() =>
        {
            try { return http.GetStringAsync($"http://127.0.0.1:{httpPort}/healthz").Result == "ok"; }
            catch (Exception) { return false; }
        }, TimeSpan.FromSeconds(30), "the engine's /healthz");
        return engine;
    }

    private static string HostDll()
    {
        foreach (var candidate in new[]
        {
            Path.Combine(RepositoryPaths.Root, "src", "Host", "bin", "Release", "net10.0", "Telephony.Host.dll"),
            Path.Combine(AppContext.BaseDirectory, "Telephony.Host.dll"),
        })
            if (File.Exists(candidate)) return candidate;
        Assert.Fail("Telephony.Host.dll is not built: run ./hotline test (or scripts/build) first.");
        return "";
    }

    /// <summary>SIGTERM (graceful: calls in progress get a BYE), then waits for the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        _process.Signal(15);
        return await _process.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(20));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Signal(15);
            await Task.WhenAny(Task.Run(() => { while (!_process.HasExited) Thread.Sleep(50); }), Task.Delay(10000));
        }
        _process.Dispose();
    }
}
