namespace Telephony.Host.Calls;

/// <summary>What <c>serve</c> does with an answered call until the IVR lands (section <c>Calls</c>).</summary>
public sealed record CallFlowOptions
{
    /// <summary>The prompt played on answer (a name in <c>prompts/</c>).</summary>
    public string Greeting { get; init; } = "greeting";
    /// <summary>Where each call's WAV and JSON sidecar go (<c>Paths:Recordings</c>).</summary>
    public required string RecordingsFolder { get; init; }
    /// <summary>Silence after speech that ends the recording.</summary>
    public TimeSpan EndSilence { get; init; } = TimeSpan.FromMilliseconds(800);
    /// <summary>The longest recording.</summary>
    public TimeSpan MaxRecording { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>How long to wait for the caller to start speaking.</summary>
    public TimeSpan NoSpeechTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>A 20 ms frame louder than this (RMS, dB relative to full scale) counts as speech.</summary>
    public double SpeechThresholdDbfs { get; init; } = -40;
    /// <summary>No RTP from the peer for this long (not on hold) hangs the call up; zero never does.</summary>
    public TimeSpan RtpTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
