using System.Text.Json;
using System.Text.Json.Serialization;

namespace Telephony.Host.Calls;

/// <summary>
/// The JSON file kept beside a call's recording (<c>NAME.json</c> next to <c>NAME.wav</c>): who called whom
/// (the caller masked: the recording folder is read by more people than the call log), the codec, the
/// times and why the call and the recording ended.
/// </summary>
public sealed record RecordingSidecar
{
    public required string CallId { get; init; }
    public required string Caller { get; init; }
    public required string Callee { get; init; }
    public required string Codec { get; init; }
    public required int SampleRate { get; init; }
    public required string Recording { get; init; }
    public DateTimeOffset? AnsweredAt { get; init; }
    public DateTimeOffset? RecordingStartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public double RecordingSeconds { get; init; }
    /// <summary>Why the recording stopped: EndOfSpeech, NoSpeech, MaxLength, CallEnded.</summary>
    public string? RecordingEnd { get; init; }
    /// <summary>The call's end (Sip's CallEndReason).</summary>
    public string? EndReason { get; init; }
    /// <summary>Why the engine hung up on its own, when it did: <c>RtpTimeout</c> (no RTP for Calls:RtpTimeoutSeconds).</summary>
    public string? HangupCause { get; init; }
    /// <summary>Keys received during the call, in order (RFC 4733 and SIP INFO).</summary>
    public string Dtmf { get; init; } = "";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes to a temporary name and renames, so a reader never sees half a file.</summary>
    public void Write(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }

    public static RecordingSidecar? Read(string path) => JsonSerializer.Deserialize<RecordingSidecar>(File.ReadAllText(path), Json);
}
