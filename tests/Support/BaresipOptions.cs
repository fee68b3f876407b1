namespace Telephony.Testing;

public enum BaresipAnswerMode
{
    /// <summary>Rings (180) until told <c>accept</c>: a caller's CANCEL, or an agent who picks up late.</summary>
    Manual,
    /// <summary>Answers at once.</summary>
    Auto,
}

/// <summary>The one SIP account of a baresip instance (a line of its <c>accounts</c> file).</summary>
public sealed record BaresipAccount
{
    public required string User { get; init; }
    public string? Password { get; init; }

    /// <summary>
    /// <c>host:port</c> of the registrar (our engine, Kamailio). Null: no registration, the account's AOR
    /// is on baresip's own address, and peers call it directly at <see cref="Baresip.DirectUri"/>.
    /// </summary>
    public string? Registrar { get; init; }

    public BaresipAnswerMode AnswerMode { get; init; } = BaresipAnswerMode.Auto;

    /// <summary><c>regint</c> in seconds; 0 registers never. Ignored without a registrar.</summary>
    public int RegisterIntervalSeconds { get; init; } = 300;

    /// <summary><c>audio_codecs</c>, in order of preference (module names g711/g722 are always loaded).</summary>
    public IReadOnlyList<string> AudioCodecs { get; init; } = ["PCMU", "PCMA"];
}

/// <summary>A headless baresip 1.0 softphone for a test: caller, agent, or callee.</summary>
public sealed record BaresipOptions
{
    public required BaresipAccount Account { get; init; }

    /// <summary><c>sip_listen</c> port; 0 picks a free one (and checks port + 1, which baresip binds for TLS).</summary>
    public int SipPort { get; init; }

    /// <summary><c>ctrl_tcp_listen</c> port; 0 picks a free one.</summary>
    public int ControlPort { get; init; }

    /// <summary>
    /// What the phone says: any WAV, converted with sox to 8 kHz mono S16LE and padded, because baresip
    /// hangs up when the file ends. Null: silence.
    /// </summary>
    public string? AudioSource { get; init; }

    /// <summary>
    /// The rate the source WAV is converted to: baresip's aufile must match the codec's (8000 for G.711,
    /// 16000 for G.722, which it otherwise refuses with "must have sample-rate 16000 Hz").
    /// </summary>
    public int AudioSampleRate { get; init; } = 8000;

    /// <summary>Silence added after <see cref="AudioSource"/>, or the length of the silence; calls must end before it runs out.</summary>
    public TimeSpan AudioPadding { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>rtp_ports</c>: below <see cref="FreePorts"/>' 20000-59000, below the kernel's ephemeral range and
    /// the engine's default 30000-39999, so RTP never takes a port a test handed to another peer.
    /// </summary>
    public string RtpPorts { get; init; } = "10000-19999";

    /// <summary><c>call_max_calls</c>; above about 250 calls one baresip answers 500 (PEERS.md).</summary>
    public int MaxCalls { get; init; } = 100;

    /// <summary>Record what each call heard (sndfile module) into <see cref="Baresip.RecordingDirectory"/>.</summary>
    public bool Record { get; init; } = true;

    /// <summary>Where recordings go; null: inside baresip's scratch directory, deleted with it on dispose.</summary>
    public string? RecordingDirectory { get; init; }
}
