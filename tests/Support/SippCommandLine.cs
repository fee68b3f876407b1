using System.Globalization;

namespace Telephony.Testing;

/// <summary>Where one SIPp run writes what it reports, inside its scratch directory.</summary>
internal sealed record SippFiles(string Directory)
{
    public string Statistics => Path.Combine(Directory, "stat.csv");
    public string Errors => Path.Combine(Directory, "errors.log");
    public string Screen => Path.Combine(Directory, "screen.log");
    public string Messages => Path.Combine(Directory, "messages.log");

    public static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}

/// <summary>Turns <see cref="SippOptions"/> into SIPp's arguments (everything after the <c>sipp</c> program name).</summary>
internal static class SippCommandLine
{
    public static List<string> Build(SippOptions o, int localPort, SippFiles files)
    {
        if ((o.BuiltInScenario is null) == (o.ScenarioFile is null))
            throw new ArgumentException("Set exactly one of BuiltInScenario and ScenarioFile", nameof(o));
        var args = new List<string>();
        if (o.Target is not null) args.Add(o.Target);
        if (o.BuiltInScenario is not null) args.AddRange(["-sn", o.BuiltInScenario]);
        else args.AddRange(["-sf", o.ScenarioFile!]);

        args.AddRange(["-i", o.LocalAddress, "-p", Number(localPort), "-t", o.Transport == SippTransport.Tcp ? "t1" : "u1"]);
        if (o.Rate is { } rate) args.AddRange(["-r", Number(rate)]);
        if (o.Calls is { } calls) args.AddRange(["-m", Number(calls)]);
        if (o.ConcurrentCalls is { } limit) args.AddRange(["-l", Number(limit)]);
        if (o.CallDuration is { } duration) args.AddRange(["-d", Number((long)duration.TotalMilliseconds)]);
        args.AddRange(["-buff_size", Number(o.SocketBufferBytes)]);
        if (o.Service is not null) args.AddRange(["-s", o.Service]);
        if (o.AuthUser is not null) args.AddRange(["-au", o.AuthUser]);
        if (o.AuthPassword is not null) args.AddRange(["-ap", o.AuthPassword]);
        foreach (var (name, value) in o.Keys) args.AddRange(["-key", name, value]);

        args.AddRange(["-timeout", Number((long)Math.Ceiling(o.Timeout.TotalSeconds)) + "s", "-timeout_error"]);
        if (o.ReceiveTimeout is { } receive) args.AddRange(["-recv_timeout", Number((long)receive.TotalMilliseconds)]);

        // No keyboard: a closed stdin otherwise reads as keystrokes.
        args.Add("-nostdin");
        // Statistics every second (the last line is the final count), unexpected messages, the final screens.
        args.AddRange(["-trace_stat", "-stf", files.Statistics, "-fd", "1"]);
        args.AddRange(["-trace_err", "-error_file", files.Errors]);
        args.AddRange(["-trace_screen", "-screen_file", files.Screen]);
        if (o.TraceMessages) args.AddRange(["-trace_msg", "-message_file", files.Messages]);
        args.AddRange(o.ExtraArguments);
        return args;
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
