using Microsoft.Extensions.Logging;
using Telephony.Host.Logging;
using Telephony.Media.Channel;
using Telephony.Media.Prompts;
using Telephony.Sip.Calls;

namespace Telephony.Host.Calls;

/// <summary>
/// What <c>serve</c> does with a call until the IVR lands, as a flow over <see cref="ICallChannel"/>: the
/// greeting, then a recording (beep first) until <see cref="CallFlowOptions.EndSilence"/> of silence after
/// speech (or the maximum length, or no speech at all), a beep and hang-up. When the call has ended, a JSON
/// sidecar (<see cref="RecordingSidecar"/>) is written beside the WAV with who called, the codec, the times,
/// the DTMF received and why the recording and the call ended.
/// </summary>
public static class GreetAndRecordCall
{
    /// <summary>The flow for <see cref="CallRunner"/> with these options.</summary>
    public static CallFlow Flow(CallFlowOptions options, TimeProvider time, ILoggerFactory logs)
    {
        var log = logs.CreateLogger(typeof(GreetAndRecordCall));
        return call => RunAsync(call, options, time, log);
    }

    public static async Task RunAsync(AnsweredCall call, CallFlowOptions options, TimeProvider time, ILogger log)
    {
        var channel = call.Channel;
        RecordResult? recording = null;
        DateTimeOffset? recordingStartedAt = null;
        log.LogInformation("Call {CallId}: playing {Prompt}", channel.CallId, options.Greeting);
        var greeting = await channel.PlayAsync([new AudioItem.Prompt(options.Greeting)], PlayOptions.Default).ConfigureAwait(false);
        if (greeting.Outcome != PlayOutcome.HungUp)
        {
            recording = await channel.RecordAsync(new RecordOptions
            {
                Beep = true,
                EndSilence = options.EndSilence,
                NoSpeechTimeout = options.NoSpeechTimeout,
                MaxLength = options.MaxRecording,
                Folder = options.RecordingsFolder,
            }).ConfigureAwait(false);
            recordingStartedAt = time.GetUtcNow() - recording.Duration;
            if (recording.Outcome != RecordOutcome.HungUp)
            {
                await channel.PlayAsync([new AudioItem.Prompt(PromptLibrary.Beep)], PlayOptions.Default).ConfigureAwait(false);
                await channel.HangupAsync().ConfigureAwait(false);
            }
        }
        // The sidecar carries Sip's end reason; the BYE (ours or theirs) has been handled by now or very soon.
        var sip = call.Sip;
        await Task.WhenAny(sip.Completion, Task.Delay(TimeSpan.FromSeconds(10), time)).ConfigureAwait(false);
        var sidecar = new RecordingSidecar
        {
            CallId = channel.CallId,
            Caller = PhoneMasking.MaskNumber(channel.Caller),
            Callee = channel.Callee,
            Codec = call.Codec,
            SampleRate = channel.SampleRate,
            // Hung up during the greeting: no WAV, the sidecar still tells the call happened.
            Recording = recording?.Path is { } p ? Path.GetFileName(p) : "",
            AnsweredAt = sip.AnsweredAt,
            RecordingStartedAt = recordingStartedAt,
            EndedAt = sip.EndedAt,
            RecordingSeconds = Math.Round(recording?.Duration.TotalSeconds ?? 0, 2),
            RecordingEnd = recording is null ? "NotStarted" : recording.Outcome == RecordOutcome.HungUp ? "CallEnded" : recording.Outcome.ToString(),
            EndReason = sip.EndReason?.ToString(),
            HangupCause = channel.HangupCause,
            Dtmf = channel.DigitsReceived,
        };
        var stamp = (sip.AnsweredAt ?? time.GetUtcNow()).UtcDateTime.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var path = recording?.Path is { } wav ? Path.ChangeExtension(wav, ".json")
            : Path.Combine(options.RecordingsFolder, $"{stamp}-{RtpCallChannel.SafeFileName(channel.CallId)}.json");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            sidecar.Write(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogError("Call {CallId}: cannot write the recording's metadata: {Error}", channel.CallId, e.Message);
        }
    }
}
