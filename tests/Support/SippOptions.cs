namespace Telephony.Testing;

public enum SippTransport
{
    /// <summary><c>-t u1</c>: one UDP socket for every call.</summary>
    Udp,
    /// <summary><c>-t t1</c>: one TCP connection for every call.</summary>
    Tcp,
}

/// <summary>
/// One SIPp 3.6 run. Defaults suit a short functional test on loopback; <see cref="Sipp"/> turns it into
/// a command line. Either <see cref="BuiltInScenario"/> or <see cref="ScenarioFile"/> is set.
/// </summary>
public sealed record SippOptions
{
    /// <summary><c>host:port</c> the calls go to; null for a server that only answers.</summary>
    public string? Target { get; init; }

    /// <summary><c>-sn</c>: <c>uac</c> or <c>uas</c>.</summary>
    public string? BuiltInScenario { get; init; }

    /// <summary><c>-sf</c>: a scenario file, usually <see cref="Sipp.Scenario"/>.</summary>
    public string? ScenarioFile { get; init; }

    public string LocalAddress { get; init; } = "127.0.0.1";

    /// <summary><c>-p</c>; 0 picks a free port.</summary>
    public int LocalPort { get; init; }

    public SippTransport Transport { get; init; } = SippTransport.Udp;

    /// <summary><c>-r</c>, new calls per second.</summary>
    public double? Rate { get; init; }

    /// <summary><c>-m</c>: stop after this many calls.</summary>
    public int? Calls { get; init; }

    /// <summary><c>-l</c>: at most this many calls at once.</summary>
    public int? ConcurrentCalls { get; init; }

    /// <summary><c>-d</c>: the length of the built-in uac's pause between ACK and BYE.</summary>
    public TimeSpan? CallDuration { get; init; }

    /// <summary>
    /// <c>-buff_size</c>. The 4 MiB default matters: with the kernel's default socket buffers SIPp loses
    /// datagrams near 2,000 calls/s on loopback and counts them as failed calls (PEERS.md).
    /// </summary>
    public int SocketBufferBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary><c>-s</c>: the user part of the Request-URI (<c>[service]</c>).</summary>
    public string? Service { get; init; }

    /// <summary><c>-au</c> / <c>-ap</c>: what <c>[authentication]</c> answers a 401/407 with.</summary>
    public string? AuthUser { get; init; }
    public string? AuthPassword { get; init; }

    /// <summary><c>-key name value</c>: <c>[name]</c> in the scenario's messages.</summary>
    public IReadOnlyDictionary<string, string> Keys { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// <c>-timeout</c> (with <c>-timeout_error</c>, so running out counts as failure). SIPp itself is also
    /// wrapped in coreutils <c>timeout</c> a little longer than this: a collapsed run can hang past its own limit.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>-recv_timeout</c>: fail a call that waits this long for a message, instead of SIPp's 32 s of UDP retransmissions.</summary>
    public TimeSpan? ReceiveTimeout { get; init; }

    /// <summary><c>-trace_msg</c>: keep every message sent and received in <see cref="SippResult.MessageLog"/>; for debugging, never under load.</summary>
    public bool TraceMessages { get; init; }

    /// <summary>Anything else, appended as given.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>A built-in uac placing <paramref name="calls"/> zero-length calls at <paramref name="rate"/> calls/s.</summary>
    public static SippOptions Uac(string target, int calls = 1, double rate = 10) =>
        new() { Target = target, BuiltInScenario = "uac", Calls = calls, Rate = rate, CallDuration = TimeSpan.Zero };

    /// <summary>One call of a scenario file under tests/EndToEnd/Scenarios (name without .xml).</summary>
    public static SippOptions ForScenario(string name, string target, int calls = 1) =>
        new() { Target = target, ScenarioFile = Sipp.Scenario(name), Calls = calls };
}
