using System.Text;
using System.Text.RegularExpressions;

namespace Telephony.Testing;

/// <summary>
/// A headless baresip softphone started by a test, driven over ctrl_tcp. <see cref="StartAsync"/> returns
/// once the control port answers (the SIP socket is bound by then); disposing stops baresip and removes
/// its directory, with the recordings unless <see cref="BaresipOptions.RecordingDirectory"/> put them elsewhere.
/// </summary>
public sealed partial class Baresip : IDisposable, IAsyncDisposable
{
    private const int SigTerm = 15;
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly PeerProcess _process;
    private readonly BaresipControl _control;

    private Baresip(BaresipOptions options, PeerProcess process, BaresipControl control, string directory, string recordings,
        int sipPort, int controlPort)
    {
        Options = options;
        _process = process;
        _control = control;
        Directory = directory;
        RecordingDirectory = recordings;
        SipPort = sipPort;
        ControlPort = controlPort;
    }

    public BaresipOptions Options { get; }
    public string Directory { get; }
    public int SipPort { get; }
    public int ControlPort { get; }
    public string RecordingDirectory { get; }

    /// <summary>Where a peer reaches this phone without a registrar: <c>sip:user@127.0.0.1:port</c>.</summary>
    public string DirectUri => $"sip:{Options.Account.User}@127.0.0.1:{SipPort}";

    /// <summary>Every event received so far, in order.</summary>
    public IReadOnlyList<BaresipEvent> Events => _control.Events;

    /// <summary>What each call heard (<c>dump-*-dec.wav</c>), oldest first; written while the call runs, complete after it closes.</summary>
    public IReadOnlyList<string> Recordings =>
        System.IO.Directory.Exists(RecordingDirectory) ? [.. System.IO.Directory.GetFiles(RecordingDirectory, "*-dec.wav").Order()] : [];

    public static async Task<Baresip> StartAsync(BaresipOptions options, TimeSpan? readyTimeout = null)
    {
        var program = ExternalTool.Require("baresip", "baresip");
        var directory = RepositoryPaths.NewScratchDirectory("baresip");
        var sipPort = options.SipPort != 0 ? options.SipPort : FreePorts.NextBlock(2);
        var controlPort = options.ControlPort != 0 ? options.ControlPort : FreePorts.Next();
        var recordings = options.RecordingDirectory ?? Path.Combine(directory, "recordings");
        System.IO.Directory.CreateDirectory(recordings);
        BaresipConfig.Write(directory, options, sipPort, controlPort, recordings);

        var process = PeerProcess.Start(program, ["-f", directory], directory);
        try
        {
            var control = await ConnectAsync(process, controlPort, readyTimeout ?? DefaultWait);
            return new Baresip(options, process, control, directory, recordings, sipPort, controlPort);
        }
        catch
        {
            process.Dispose();
            TryDelete(directory);
            throw;
        }
    }

    private static async Task<BaresipControl> ConnectAsync(PeerProcess process, int controlPort, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) Assert.Fail($"baresip exited ({process.ExitCode}) while starting. Output:\n{process.OutputTail()}");
            if (await BaresipControl.TryConnectAsync(controlPort) is { } control) return control;
            await Task.Delay(50);
        }
        Assert.Fail($"baresip's ctrl_tcp did not accept on {controlPort} within {timeout}. Output:\n{process.OutputTail()}");
        return null!;
    }

    /// <summary>Sends a ctrl_tcp command (the menu's long names: dial, hangup, accept, reginfo, ...); fails the test when baresip does not answer.</summary>
    public async Task<BaresipResponse> CommandAsync(string command, string? parameters = null, TimeSpan? timeout = null)
    {
        try
        {
            return await _control.SendAsync(command, parameters, timeout ?? DefaultWait);
        }
        catch (Exception e) when (e is TimeoutException or IOException)
        {
            Assert.Fail($"baresip did not answer '{command} {parameters}': {e.Message}\n{Describe()}");
            throw;
        }
    }

    public Task DialAsync(string uri) => ExpectOkAsync("dial", uri);

    /// <summary>Answers the ringing incoming call (answermode manual).</summary>
    public Task AcceptAsync() => ExpectOkAsync("accept");

    /// <summary>Hangs up the current call: BYE when established, CANCEL or 486 while ringing.</summary>
    public Task HangupAsync() => ExpectOkAsync("hangup");

    /// <summary>Sends each digit (0-9, *, #, A-D) as RFC 4733 telephone-events on the current call, a short gap apart.</summary>
    public async Task SendDtmfAsync(string digits, TimeSpan? gap = null)
    {
        foreach (var digit in digits)
        {
            await ExpectOkAsync("sndcode", digit.ToString());
            await Task.Delay(gap ?? TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>The registration status text (<c>reginfo</c>), without terminal colours.</summary>
    public async Task<string> RegistrationInfoAsync() => AnsiColour().Replace((await ExpectOkAsync("reginfo")).Data, "");

    /// <summary>
    /// Waits until the account shows registered. Polls <c>reginfo</c> rather than waiting for REGISTER_OK,
    /// which baresip can send before the control connection is up.
    /// </summary>
    public async Task WaitForRegisteredAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultWait);
        var info = "";
        while (DateTime.UtcNow < deadline)
        {
            info = await RegistrationInfoAsync();
            if (Registered().IsMatch(info)) return;
            await Task.Delay(100);
        }
        Assert.Fail($"baresip {Options.Account.User} did not register at {Options.Account.Registrar}. reginfo:\n{info}\n{Describe()}");
    }

    /// <summary>
    /// The next event of <paramref name="type"/> (see <see cref="BaresipEvents"/>) not returned by an earlier
    /// wait, optionally also matching <paramref name="match"/>; fails the test, listing what did arrive, on timeout.
    /// </summary>
    public async Task<BaresipEvent> WaitForEventAsync(string type, TimeSpan? timeout = null, Func<BaresipEvent, bool>? match = null)
    {
        var found = await _control.TryTakeEventAsync(e => e.Type == type && (match?.Invoke(e) ?? true), timeout ?? DefaultWait);
        if (found is null) Assert.Fail($"baresip {Options.Account.User}: no {type} within {timeout ?? DefaultWait}.\n{Describe()}");
        return found!;
    }

    /// <summary>For assertion messages: the events received and the end of baresip's output.</summary>
    public string Describe()
    {
        var text = new StringBuilder($"baresip {Options.Account.User} on {SipPort} (ctrl {ControlPort}), events:\n");
        foreach (var e in Events) text.AppendLine($"  {e}");
        return text.AppendLine("output:").AppendLine(_process.OutputTail(6000)).ToString();
    }

    private async Task<BaresipResponse> ExpectOkAsync(string command, string? parameters = null)
    {
        var response = await CommandAsync(command, parameters);
        if (!response.Ok) Assert.Fail($"baresip refused '{command} {parameters}': {response.Data}\n{Describe()}");
        return response;
    }

    /// <summary>
    /// Stops baresip: the first SIGTERM starts unregistering and waits for it, the second ends the
    /// process (PEERS.md); kills it if it is still there after that.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        if (!_process.HasExited)
        {
            _process.Signal(SigTerm);
            if (!await _process.TryWaitForExitAsync(TimeSpan.FromMilliseconds(500)))
            {
                _process.Signal(SigTerm);
                await _process.TryWaitForExitAsync(TimeSpan.FromSeconds(3));
            }
        }
        _process.Dispose();
        TryDelete(Directory);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static void TryDelete(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // left to the system's temp cleanup
        }
    }

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex AnsiColour();

    // reginfo prints "OK" after the account when its last REGISTER got a 2xx.
    [GeneratedRegex(@"\bOK\b")]
    private static partial Regex Registered();
}
