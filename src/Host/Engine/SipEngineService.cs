using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telephony.Sip.Calls;
using Telephony.Sip.UserAgent;

namespace Telephony.Host.Engine;

/// <summary>
/// Runs the SIP engine inside the host. Until media and the IVR land, an inbound call rings for
/// <c>Sip:AnswerAfterMs</c>, is answered and stays up until the caller's BYE. Stopping the host sends BYE
/// to every call in progress.
/// </summary>
public sealed class SipEngineService : IHostedService, IAsyncDisposable
{
    private readonly ILogger<SipEngineService> _log;
    private readonly TimeSpan _answerDelay;

    public SipEngine Engine { get; }

    public SipEngineService(IConfiguration configuration, ILoggerFactory logs)
    {
        _log = logs.CreateLogger<SipEngineService>();
        _answerDelay = SipConfiguration.AnswerDelay(configuration);
        Engine = new SipEngine(SipConfiguration.Read(configuration), SipConfiguration.ReadRtpPorts(configuration),
            SipConfiguration.ReadAccounts(configuration), TimeProvider.System, logs);
        Engine.IncomingCall = AnswerAsync;
    }

    private async Task AnswerAsync(SipCall call)
    {
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
        Engine.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Engine.StopAsync(TimeSpan.FromSeconds(3));

    public ValueTask DisposeAsync() => Engine.DisposeAsync();
}
