using System.Diagnostics;
using System.Text;

namespace Telephony.Testing;

/// <summary>
/// A real peer (SIPp, baresip, PostgreSQL, ...) started by a test. Output is captured for the failure
/// message; <see cref="Dispose"/> always stops the whole process tree, even when the test failed.
/// </summary>
public sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PeerProcess(Process process) => _process = process;

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The end of <see cref="Output"/>: what a failure message shows of a chatty peer.</summary>
    public string OutputTail(int maxChars = 8000) => TextTail.Of(Output, maxChars);
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public int Id => _process.Id;

    public static PeerProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var peer = new PeerProcess(process);
        process.OutputDataReceived += (_, e) => peer.Append(e.Data);
        process.ErrorDataReceived += (_, e) => peer.Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>Waits for the process to exit; on timeout kills it and fails the test with its output.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Dispose();
            Assert.Fail($"{_process.StartInfo.FileName} did not finish within {timeout}. Output:\n{Output}");
        }
        _process.WaitForExit(); // drain the redirected streams
        return _process.ExitCode;
    }

    /// <summary>Waits for the process to exit; false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> TryWaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        _process.WaitForExit(); // drain the redirected streams
        return true;
    }

    /// <summary>Polls <paramref name="ready"/> until it holds; fails the test with the peer's output otherwise.</summary>
    public async Task WaitUntilAsync(Func<bool> ready, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (ready()) return;
            if (_process.HasExited) Assert.Fail($"{_process.StartInfo.FileName} exited ({_process.ExitCode}) before {what}. Output:\n{Output}");
            await Task.Delay(50);
        }
        Assert.Fail($"Timed out waiting for {what}. Output:\n{Output}");
    }

    public void Signal(int signal)
    {
        if (!_process.HasExited) Posix.Kill(_process.Id, signal);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }
        _process.Dispose();
    }
}

internal static partial class Posix
{
    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
    internal static partial int Kill(int pid, int signal);
}
