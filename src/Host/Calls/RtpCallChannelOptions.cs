namespace Telephony.Host.Calls;

/// <summary>How an <see cref="RtpCallChannel"/> treats its call, from the <c>Calls</c> section.</summary>
public sealed record RtpCallChannelOptions
{
    /// <summary>Where recordings go when <see cref="Telephony.Media.Channel.RecordOptions.Folder"/> is not given.</summary>
    public required string RecordingsFolder { get; init; }

    /// <summary>A 20 ms frame louder than this (RMS, dBFS) counts as speech for the endpointer.</summary>
    public double SpeechThresholdDbfs { get; init; } = -40;

    /// <summary>
    /// No RTP from the peer for this long (not while on hold) hangs the call up (<c>Calls:RtpTimeoutSeconds</c>):
    /// a peer that vanished without BYE would otherwise hold a port pair and a recording forever. Zero: never.
    /// </summary>
    public TimeSpan RtpTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Also look for DTMF tones in the caller's audio (peers that send neither RFC 4733 nor INFO).</summary>
    public bool InbandDtmf { get; init; }

    /// <summary>Told each recorded frame and whether it was speech (speculative transcription, docs/speech.md); null: nobody listens.</summary>
    public Func<string, int, CancellationToken, Telephony.Host.Speech.IRecordingListener?>? RecordingListener { get; init; }

    public static RtpCallChannelOptions From(CallFlowOptions flow) => new()
    {
        RecordingsFolder = flow.RecordingsFolder,
        SpeechThresholdDbfs = flow.SpeechThresholdDbfs,
        RtpTimeout = flow.RtpTimeout,
    };
}
