using Telephony.Testing;
using Telephony.EndToEnd.Engine;

namespace Telephony.EndToEnd.Engine;

/// <summary>The engine against SIPp on loopback: load, CANCEL, OPTIONS, REGISTER with digest, INVITE without SDP.</summary>
public class SipEngineWithSippTests
{
    [Test]
    public async Task Sipp_uac_places_200_calls_at_50_per_second_and_none_fails()
    {
        await using var engine = await EngineProcess.StartAsync();
        var result = await Sipp.RunAsync(SippOptions.Uac(engine.SipTarget, calls: 200, rate: 50) with { Service = "12345", Timeout = TimeSpan.FromSeconds(60) });
        Assert.That(result.FailedCalls, Is.Zero, result.Describe());
        Assert.That(result.SuccessfulCalls, Is.EqualTo(200), result.Describe());
    }

    [Test]
    public async Task Sipp_uac_over_tcp_completes_calls()
    {
        await using var engine = await EngineProcess.StartAsync();
        var result = await Sipp.RunAsync(SippOptions.Uac(engine.SipTarget, calls: 50, rate: 25) with { Service = "12345", Transport = SippTransport.Tcp, Timeout = TimeSpan.FromSeconds(60) });
        Assert.That(result.FailedCalls, Is.Zero, result.Describe());
        Assert.That(result.SuccessfulCalls, Is.EqualTo(50), result.Describe());
    }

    [Test]
    public async Task Sipp_cancel_while_ringing_ends_in_487()
    {
        await using var engine = await EngineProcess.StartAsync(answerAfterMs: 5000);
        var result = await Sipp.RunAsync(SippOptions.ForScenario("cancel", engine.SipTarget) with { Service = "12345" });
        Assert.That(result.AllSucceeded, Is.True, result.Describe());
    }

    [Test]
    public async Task Sipp_options_gets_200_with_allow()
    {
        await using var engine = await EngineProcess.StartAsync();
        var result = await Sipp.RunAsync(SippOptions.ForScenario("options", engine.SipTarget) with { Service = "12345" });
        Assert.That(result.AllSucceeded, Is.True, result.Describe());
    }

    [Test]
    public async Task Sipp_register_with_md5_digest_is_challenged_then_accepted()
    {
        await using var engine = await EngineProcess.StartAsync();
        var result = await Sipp.RunAsync(SippOptions.ForScenario("register-digest", engine.SipTarget) with
        {
            Service = EngineProcess.AgentUser, AuthUser = EngineProcess.AgentUser, AuthPassword = EngineProcess.AgentPassword,
        });
        Assert.That(result.AllSucceeded, Is.True, result.Describe());
    }

    [Test]
    public async Task Sipp_invite_without_sdp_gets_the_offer_in_200_and_answers_in_ack()
    {
        await using var engine = await EngineProcess.StartAsync();
        var result = await Sipp.RunAsync(SippOptions.ForScenario("invite-no-sdp", engine.SipTarget) with { Service = "12345" });
        Assert.That(result.AllSucceeded, Is.True, result.Describe());
    }
}
