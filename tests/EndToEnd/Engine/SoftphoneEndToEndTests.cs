using Telephony.Testing;

namespace Telephony.EndToEnd.Engine;

/// <summary>A real softphone (baresip) registers with digest, calls the engine, and hangs up; the log masks the number.</summary>
public class SoftphoneEndToEndTests
{
    private static BaresipOptions Citizen(EngineProcess engine) => new()
    {
        Account = new BaresipAccount
        {
            User = EngineProcess.CitizenUser, Password = EngineProcess.CitizenPassword, Registrar = engine.SipTarget,
        },
        Record = false,
    };

    [Test]
    public async Task Baresip_registers_with_digest_calls_the_engine_and_hangs_up_and_the_log_masks_its_number()
    {
        await using var engine = await EngineProcess.StartAsync();
        await using var phone = await Baresip.StartAsync(Citizen(engine));
        await phone.WaitForRegisteredAsync(TimeSpan.FromSeconds(10));

        await phone.DialAsync($"sip:12345@{engine.SipTarget}");
        await phone.WaitForEventAsync(BaresipEvents.CallEstablished, TimeSpan.FromSeconds(10));
        await Task.Delay(500);
        await phone.HangupAsync();
        await phone.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(10));

        await PollAsync(() => engine.Output.Contains("ended: RemoteHangup"), "the engine logging the end of the call", engine);
        var log = engine.Output;
        Assert.Multiple(() =>
        {
            Assert.That(log, Does.Contain("Registered 138****5678"), "the registration is logged with the number masked");
            Assert.That(log, Does.Contain("from 138****5678 to 12345 over udp:").And.Contain("ended: RemoteHangup"), "the call log line");
            Assert.That(log, Does.Not.Contain(EngineProcess.CitizenUser), "the full number never reaches the log");
        });
    }

    [Test]
    public async Task Stopping_the_engine_hangs_up_a_call_in_progress_with_bye()
    {
        var engine = await EngineProcess.StartAsync();
        await using var _ = engine;
        await using var phone = await Baresip.StartAsync(Citizen(engine) with { Account = Citizen(engine).Account with { Registrar = null } });
        await phone.DialAsync($"sip:12345@{engine.SipTarget}");
        await phone.WaitForEventAsync(BaresipEvents.CallEstablished, TimeSpan.FromSeconds(10));
        var exit = await engine.StopAsync();
        await phone.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(10));
        Assert.That(exit, Is.Zero, engine.Output);
        Assert.That(engine.Output, Does.Contain("ended: Shutdown"));
    }

    private static async Task PollAsync(Func<bool> condition, string what, EngineProcess engine)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail($"timed out waiting for {what}. Engine log:\n{engine.Output}");
    }
}
