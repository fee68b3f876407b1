using System.Text;

namespace Telephony.Testing;

/// <summary>What one SIPp run did: its exit code, the final call counters, and what to show when it failed.</summary>
public sealed record SippResult(
    int ExitCode,
    SippStatistics? Statistics,
    string CommandLine,
    string Output,
    string ErrorLog,
    string MessageLog)
{
    /// <summary>coreutils <c>timeout</c> had to stop SIPp (124 after SIGTERM, 137 after SIGKILL).</summary>
    public bool TimedOut => ExitCode is 124 or 137;

    public long SuccessfulCalls => Statistics?.SuccessfulCalls ?? 0;
    public long FailedCalls => Statistics?.FailedCalls ?? 0;
    public long TotalCallsCreated => Statistics?.TotalCallsCreated ?? 0;

    /// <summary>SIPp's own verdict (exit 0: every call succeeded) and at least one call was made.</summary>
    public bool AllSucceeded => ExitCode == 0 && FailedCalls == 0 && SuccessfulCalls > 0;

    /// <summary>For assertion messages: the command, the counters, SIPp's unexpected-message log and final screens.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"sipp exited {ExitCode}{(TimedOut ? " (killed by timeout)" : "")}: " +
                        $"{SuccessfulCalls} successful, {FailedCalls} failed, {TotalCallsCreated} created" +
                        (Statistics?.FailureReasons() is { Length: > 0 } reasons ? $" ({reasons})" : ""));
        text.AppendLine($"command: {CommandLine}");
        if (ErrorLog.Length > 0) text.AppendLine("--- errors ---").AppendLine(TextTail.Of(ErrorLog, 6000));
        if (MessageLog.Length > 0) text.AppendLine("--- messages ---").AppendLine(TextTail.Of(MessageLog, 12000));
        text.AppendLine("--- output ---").AppendLine(TextTail.Of(Output, 6000));
        return text.ToString();
    }

    public override string ToString() => Describe();
}
