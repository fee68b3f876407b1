using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Telephony.Media.Clock;
using Telephony.Media.Codecs;
using Telephony.Media.Prompts;
using Telephony.Media.Rtp;
using Telephony.Sip.Calls;

namespace Telephony.Host.Engine;

/// <summary>
/// The media side of the engine: one RTP port allocator (handed to Sip as its port provider), one media
/// clock pacing every call's stream, and the prompts loaded once at 8 and 16 kHz. Opens the RTP session of
/// an answered call from its negotiated <see cref="CallMedia"/> (docs/media-rtp.md, "Wiring").
/// </summary>
public sealed class MediaEngine : IDisposable
{
    private readonly ILoggerFactory _logs;
    private readonly string _cname;
    private readonly Func<int, PromptLibrary> _loadPrompts;
    private readonly Lock _reload = new();
    private readonly ILogger _clockLog;
    private Lazy<PromptLibrary> _prompts8k;
    private Lazy<PromptLibrary> _prompts16k;

    public RtpPortAllocator Ports { get; }
    public MediaPorts PortProvider { get; }
    public MediaClock Clock { get; }
    public TimeProvider Time { get; }

    /// <summary>No RTP from an outbound leg's far end for this long hangs that leg up (<c>Calls:RtpTimeoutSeconds</c>; zero: never).</summary>
    public TimeSpan RtpTimeout { get; }

    public MediaEngine(IConfiguration configuration, ILoggerFactory logs, TimeProvider? time = null)
    {
        _logs = logs;
        Time = time ?? TimeProvider.System;
        RtpTimeout = MediaConfiguration.ReadCallFlow(configuration).RtpTimeout;
        var (min, max) = MediaConfiguration.RtpPorts(configuration);
        Ports = new RtpPortAllocator(IPAddress.Any, min, max, logs.CreateLogger<RtpPortAllocator>());
        PortProvider = new MediaPorts(Ports);
        var (workers, realtime) = MediaConfiguration.Clock(configuration);
        Clock = new MediaClock(time: Time, logger: logs.CreateLogger<MediaClock>(), workers: workers, realtime: realtime);
        _clockLog = logs.CreateLogger<MediaEngine>();
        _cname = $"telephony@{Dns.GetHostName()}";
        var folder = MediaConfiguration.PromptsFolder(configuration);
        var custom = MediaConfiguration.CustomPromptsFolder(configuration);
        var log = logs.CreateLogger<PromptLibrary>();
        _loadPrompts = rate => PromptLibrary.Load(folder, rate, log, custom);
        _prompts8k = new(() => _loadPrompts(8000));
        _prompts16k = new(() => _loadPrompts(16000));
    }

    /// <summary>
    /// Loads the prompts again after an admin changed one (/api/prompts). A call keeps the library it was given
    /// when answered (its samples are in memory), so a call playing a prompt finishes it, and the next call hears
    /// the new one.
    /// </summary>
    public void ReloadPrompts()
    {
        // One reload at a time: two admins' changes racing could otherwise leave the older load in place.
        lock (_reload)
        {
            var (at8k, at16k) = (_loadPrompts(8000), _loadPrompts(16000));
            Volatile.Write(ref _prompts8k, new Lazy<PromptLibrary>(at8k));
            Volatile.Write(ref _prompts16k, new Lazy<PromptLibrary>(at16k));
        }
    }

    /// <summary>Starts the clock and loads the prompts (so a missing prompt is logged at start, not on the first call).</summary>
    public void Start()
    {
        Clock.Start();
        // The workers set their scheduling as they start; give them a moment before saying what they got.
        _ = Task.Delay(200).ContinueWith(_ => _clockLog.LogInformation("Media clock: {Workers} workers, scheduling {Scheduling}", Clock.Workers, Clock.Scheduling),
            TaskScheduler.Default);
        _ = _prompts8k.Value;
        _ = _prompts16k.Value;
    }

    /// <summary>The prompts at a codec's PCM rate.</summary>
    public PromptLibrary Prompts(int sampleRate) => sampleRate == 16000 ? Volatile.Read(ref _prompts16k).Value : Volatile.Read(ref _prompts8k).Value;

    /// <summary>
    /// The RTP session for <paramref name="media"/>, started on the clock; null (with the reason) when the
    /// codec is not one Media has or the port's sockets are gone.
    /// </summary>
    public RtpSession? Open(CallMedia media, out string? error)
    {
        if (!AudioCodecs.TryCreate(media.Codec, out var encoder) || !AudioCodecs.TryCreate(media.Codec, out var decoder))
        {
            error = $"codec {media.Codec} is not implemented";
            return null;
        }
        if (Ports.Claim(media.LocalRtpPort) is not { } sockets)
        {
            error = $"RTP port {media.LocalRtpPort} is not reserved";
            return null;
        }
        var session = new RtpSession(sockets, new RtpSessionOptions
        {
            Encoder = encoder,
            Decoder = decoder,
            AudioPayloadType = (byte)media.PayloadType,
            TelephoneEventPayloadType = (byte?)media.TelephoneEventPayloadType,
            Remote = media.RemoteRtp,
            Cname = _cname,
        }, Time, _logs.CreateLogger<RtpSession>());
        session.SendEnabled = !media.OnHold;
        error = null;
        return session;
    }

    public void Dispose() => Clock.Dispose();
}
