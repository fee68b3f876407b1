using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telephony.Host.Calls;
using Telephony.Sip.Calls;
using Telephony.Sip.UserAgent;

namespace Telephony.Host.Engine;

/// <summary>
/// Runs the SIP engine inside the host, with its RTP ports from the <see cref="MediaEngine"/>. Until the IVR
/// lands, an inbound call rings for <c>Sip:AnswerAfterMs</c>, is answered, hears the greeting, is recorded
/// until the caller stops (<see cref="GreetAndRecordCall"/> over an <see cref="RtpCallChannel"/>), hears a beep
/// and is hung up; <see cref="Flow"/> replaces that flow. Stopping the host
/// sends BYE to every call in progress.
/// </summary>
public sealed class SipEngineService : IHostedService, IAsyncDisposable
{
    private readonly ILogger<SipEngineService> _log;
    private readonly TimeSpan _answerDelay;
    private readonly MediaEngine _media;
    private readonly CallFlowOptions _flow;
    private readonly ILoggerFactory _logs;

    public SipEngine Engine { get; }

    public SipEngineService(IConfiguration configuration, ILoggerFactory logs, MediaEngine media)
    {
        _log = logs.CreateLogger<SipEngineService>();
        _logs = logs;
        _media = media;
        _answerDelay = SipConfiguration.AnswerDelay(configuration);
        _flow = MediaConfiguration.ReadCallFlow(configuration);
        SipConfiguration.ReadRtpPorts(configuration); // validates Rtp:PortMin/PortMax with the SIP section's messages
        Engine = new SipEngine(SipConfiguration.Read(configuration), media.PortProvider,
            SipConfiguration.ReadAccounts(configuration), TimeProvider.System, logs);
        Engine.IncomingCall = AnswerAsync;
        Flow = GreetAndRecordCall.Flow(_flow, media.Time, logs);
    }

    /// <summary>
    /// What runs on every answered call: greet and record by default. The seam for the IVR: set it to a
    /// flow that runs the IVR's flow runner over <see cref="AnsweredCall.Channel"/> (an ICallChannel).
    /// </summary>
    public CallFlow Flow { get; set; }

    /// <summary>Who hears each recording as it is made (the IVR sets speech's speculative transcription); null: nobody.</summary>
    public Func<string, int, CancellationToken, Telephony.Host.Speech.IRecordingListener?>? RecordingListener { get; set; }

    private async Task AnswerAsync(SipCall call)
    {
        CallRunner.Attach(call, _media, RtpCallChannelOptions.From(_flow) with { RecordingListener = RecordingListener }, Flow, _logs);
        call.Ring();
        if (_answerDelay > TimeSpan.Zero)
        {
            var ended = await Task.WhenAny(call.Completion, Task.Delay(_answerDelay));
            if (ended == call.Completion) return;
        }
        call.Answer();
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _media.Start();
        Engine.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Engine.StopAsync(TimeSpan.FromSeconds(3));

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        _media.Dispose();
    }
}
