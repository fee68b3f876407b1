using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Telephony.Host.Commands;
using Telephony.Host.Configuration;
using Telephony.Host.Ivr;
using Telephony.Host.Tests.Agents;
using Telephony.Host.Trunk;
using Telephony.Ivr.Services;

namespace Telephony.Host.Tests.Trunk;

/// <summary>How <c>serve</c> wires the external transfer: the trunk when one is configured, today's answer otherwise.</summary>
public class TrunkWiringTests
{
    /// <summary>The app as <c>serve</c> builds it from the repository's appsettings.json and <paramref name="pairs"/>, not started.</summary>
    internal static Microsoft.AspNetCore.Builder.WebApplication Build(params (string Key, string Value)[] pairs)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryLayout.Root, "appsettings.json"))
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Sip:Listen:0"] = "udp:127.0.0.1:0", ["Sip:Listen:1"] = "", ["Sip:Listen:2"] = "", ["Sip:Listen:3"] = "",
            })
            .AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)))
            .Build();
        return ServeCommand.BuildApp(configuration);
    }

    [Test]
    public async Task Without_a_trunk_the_transfer_answers_unavailable_and_says_no_trunk_is_configured()
    {
        await using var app = Build();
        var external = app.Services.GetRequiredService<IvrServices>().External;
        var result = await external.TransferToNumberAsync(new FakeCallChannel(), "119", CancellationToken.None);
        Assert.That(external, Is.InstanceOf<NoExternalTrunk>());
        Assert.That(result.Outcome, Is.EqualTo(TransferOutcome.Unavailable));
        Assert.That(result.Reason, Does.Contain("no outside trunk"));
    }

    [Test]
    public async Task With_a_trunk_the_transfer_goes_over_it_and_a_number_without_a_route_is_unavailable()
    {
        await using var app = Build(("Trunk:Numbers:119", "sip:119@127.0.0.1:5999"));
        var external = app.Services.GetRequiredService<IvrServices>().External;
        var result = await external.TransferToNumberAsync(new FakeCallChannel(), "110", CancellationToken.None);
        Assert.That(external, Is.InstanceOf<SipTrunkTransfer>());
        Assert.That(result.Outcome, Is.EqualTo(TransferOutcome.Unavailable));
        Assert.That(result.Reason, Does.Contain("no route"));
    }

    [Test]
    public async Task A_target_that_is_not_a_number_fails_without_a_call()
    {
        await using var app = Build(("Trunk:Uri", "sip:127.0.0.1:5999"));
        var result = await app.Services.GetRequiredService<IvrServices>().External
            .TransferToNumberAsync(new FakeCallChannel(), "{emergencyService}", CancellationToken.None);
        Assert.That(result.Outcome, Is.EqualTo(TransferOutcome.Failed));
    }

    [Test]
    public void A_bad_trunk_setting_stops_serve_naming_the_key()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(("Trunk:Uri", "10.0.0.5")));
        Assert.That(error!.Message, Does.StartWith("Trunk:Uri"));
    }
}
