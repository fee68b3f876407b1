using Microsoft.Extensions.Configuration;
using Telephony.Host.Calls;
using Telephony.Host.Configuration;

namespace Telephony.Host.Engine;

/// <summary>Reads <c>Paths:Prompts</c>, <c>Paths:Recordings</c> and the <c>Calls</c> section, failing with a clear message.</summary>
public static class MediaConfiguration
{
    public static string PromptsFolder(IConfiguration configuration) =>
        RepositoryLayout.Resolve(configuration["Paths:Prompts"] is { Length: > 0 } p ? p : "prompts");

    /// <summary>The admin's prompt replacements (/api/prompts), <c>Paths:CustomPrompts</c> (default data/prompts); they beat <see cref="PromptsFolder"/>.</summary>
    public static string CustomPromptsFolder(IConfiguration configuration) =>
        RepositoryLayout.Resolve(configuration["Paths:CustomPrompts"] is { Length: > 0 } p ? p : "data/prompts");

    /// <summary>Rtp:PortMin-PortMax (SipConfiguration.ReadRtpPorts checks the same rules).</summary>
    public static (int Min, int Max) RtpPorts(IConfiguration configuration)
    {
        var rtp = configuration.GetSection("Rtp");
        var min = Int(rtp, "PortMin", 30000, 1024, 65534);
        var max = Int(rtp, "PortMax", 39999, 1025, 65535);
        if (max <= min) throw new InvalidOperationException($"Rtp:PortMax ({max}) must be above Rtp:PortMin ({min})");
        return (min, max);
    }

    public static CallFlowOptions ReadCallFlow(IConfiguration configuration)
    {
        var calls = configuration.GetSection("Calls");
        var threshold = calls["SpeechThresholdDbfs"];
        double dbfs = -40;
        if (!string.IsNullOrWhiteSpace(threshold) &&
            (!double.TryParse(threshold, System.Globalization.CultureInfo.InvariantCulture, out dbfs) || dbfs is > -10 or < -80))
            throw new InvalidOperationException($"Calls:SpeechThresholdDbfs must be a number from -80 to -10, not '{threshold}'");
        return new CallFlowOptions
        {
            Greeting = calls["Greeting"] is { Length: > 0 } g ? g : "greeting",
            RecordingsFolder = RepositoryLayout.Resolve(configuration["Paths:Recordings"] is { Length: > 0 } r ? r : "data/recordings"),
            EndSilence = TimeSpan.FromMilliseconds(Int(calls, "EndSilenceMs", 800, 100, 10000)),
            MaxRecording = TimeSpan.FromSeconds(Int(calls, "MaxRecordingSeconds", 60, 1, 3600)),
            NoSpeechTimeout = TimeSpan.FromSeconds(Int(calls, "NoSpeechTimeoutSeconds", 10, 1, 600)),
            SpeechThresholdDbfs = dbfs,
            // 0 turns the check off; otherwise at least a few seconds, so a short network hiccup never ends a call.
            RtpTimeout = TimeSpan.FromSeconds(Int(calls, "RtpTimeoutSeconds", 30, 0, 3600) is var t && t is > 0 and < 5
                ? throw new InvalidOperationException($"Calls:RtpTimeoutSeconds must be 0 (off) or from 5 to 3600, not '{t}'") : t),
        };
    }

    /// <summary>Media:Workers (threads of the media clock: one per core by default) and Media:RealtimeScheduling (true).</summary>
    public static (int Workers, bool Realtime) Clock(IConfiguration configuration)
    {
        var media = configuration.GetSection("Media");
        var workers = Int(media, "Workers", Math.Clamp(Environment.ProcessorCount, 1, 8), 1, 64);
        var text = media["RealtimeScheduling"];
        var realtime = true;
        if (!string.IsNullOrWhiteSpace(text) && !bool.TryParse(text, out realtime))
            throw new InvalidOperationException($"Media:RealtimeScheduling must be true or false, not '{text}'");
        return (workers, realtime);
    }

    private static int Int(IConfigurationSection section, string key, int fallback, int min, int max)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (!int.TryParse(text, out var value) || value < min || value > max)
            throw new InvalidOperationException($"{section.Path}:{key} must be a whole number from {min} to {max}, not '{text}'");
        return value;
    }
}
