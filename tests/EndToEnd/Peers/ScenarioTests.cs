using NUnit.Framework;
using Telephony.Testing;

namespace Telephony.EndToEnd.Peers;

/// <summary>
/// Each scenario under tests/EndToEnd/Scenarios run against a real peer that implements the behaviour,
/// so a failure against our engine is the engine's, not the scenario's.
/// </summary>
public class ScenarioTests
{
    [Test]
    public async Task Options_scenario_passes_against_baresip()
    {
        await using var phone = await Baresip.StartAsync(new() { Account = new() { User = "phone" } });

        var result = await Sipp.RunAsync(SippOptions.ForScenario("options", $"127.0.0.1:{phone.SipPort}") with { Service = "phone" });

        Assert.That(result.AllSucceeded, result.Describe());
    }

    [Test]
    public async Task Options_scenario_passes_against_kamailio()
    {
        using var kamailio = await Kamailio.StartAsync(PeerConfigs.KamailioRegistrar, defines: PeerConfigs.RegistrarDefines);

        var result = await Sipp.RunAsync(SippOptions.ForScenario("options", kamailio.Endpoint));

        Assert.That(result.AllSucceeded, result.Describe());
    }

    [Test]
    public async Task Cancel_scenario_passes_against_a_ringing_baresip()
    {
        await using var phone = await Baresip.StartAsync(new() { Account = new() { User = "agent", AnswerMode = BaresipAnswerMode.Manual } });

        var result = await Sipp.RunAsync(SippOptions.ForScenario("cancel", $"127.0.0.1:{phone.SipPort}") with { Service = "agent" });

        Assert.That(result.AllSucceeded, result.Describe());
        await phone.WaitForEventAsync(BaresipEvents.CallClosed);
    }

    [Test]
    public async Task Cancel_scenario_accepts_the_487_before_the_200_to_the_cancel()
    {
        using var callee = await Sipp.StartServerAsync(new() { ScenarioFile = PeerConfigs.Path("uas-487-before-cancel-200.xml") });

        var result = await Sipp.RunAsync(SippOptions.ForScenario("cancel", callee.Endpoint) with { TraceMessages = true });

        Assert.That(result.AllSucceeded, result.Describe());
        Assert.That(result.MessageLog.IndexOf("SIP/2.0 487", StringComparison.Ordinal),
            Is.LessThan(result.MessageLog.IndexOf("SIP/2.0 200", StringComparison.Ordinal)), "the 487 should have come first\n" + result.Describe());
        var served = await callee.StopAsync();
        Assert.That(served.SuccessfulCalls, Is.EqualTo(1), served.Describe());
    }

    [Test]
    public async Task Invite_without_sdp_scenario_passes_against_baresip()
    {
        await using var phone = await Baresip.StartAsync(new() { Account = new() { User = "phone", AnswerMode = BaresipAnswerMode.Auto } });

        var result = await Sipp.RunAsync(SippOptions.ForScenario("invite-no-sdp", $"127.0.0.1:{phone.SipPort}") with { Service = "phone" });

        Assert.That(result.AllSucceeded, result.Describe());
        await phone.WaitForEventAsync(BaresipEvents.CallEstablished);
        await phone.WaitForEventAsync(BaresipEvents.CallClosed);
    }

    [Test]
    public async Task Register_digest_scenario_passes_against_kamailio_registrar()
    {
        using var registrar = await Kamailio.StartAsync(PeerConfigs.KamailioRegistrar, defines: PeerConfigs.RegistrarDefines);

        var result = await Sipp.RunAsync(SippOptions.ForScenario("register-digest", registrar.Endpoint) with
        {
            Service = "agent1", AuthUser = "agent1", AuthPassword = PeerConfigs.RegistrarPassword,
        });

        Assert.That(result.AllSucceeded, result.Describe());
    }

    [Test]
    public async Task Register_digest_scenario_fails_on_a_wrong_password()
    {
        using var registrar = await Kamailio.StartAsync(PeerConfigs.KamailioRegistrar, defines: PeerConfigs.RegistrarDefines);

        var result = await Sipp.RunAsync(SippOptions.ForScenario("register-digest", registrar.Endpoint) with
        {
            Service = "agent1", AuthUser = "agent1", AuthPassword = "wrong",
        });

        // The registrar challenges again; the scenario wanted 200, so SIPp logs the 401 as unexpected.
        Assert.That(result.ExitCode, Is.EqualTo(1), result.Describe());
        Assert.That(result.FailedCalls, Is.EqualTo(1), result.Describe());
        Assert.That(result.Statistics!.FailureReasons(), Does.Contain("FailedUnexpectedMessage=1"), result.Describe());
        Assert.That(result.ErrorLog, Does.Contain("401"), result.Describe());
    }
}
