using Microsoft.Extensions.DependencyInjection;
using Telephony.Agents.Offers;
using Telephony.Host.Agents;
using Telephony.Host.Tests.Trunk;
using Telephony.Host.Trunk;

namespace Telephony.Host.Tests.Agents;

/// <summary>How <c>serve</c> wires callbacks: offered only with a trunk to call back over, the SIP leg handing callbacks to the trunk's dialer.</summary>
public class CallbackWiringTests
{
    [Test]
    public async Task With_a_trunk_and_callbacks_on_the_waiting_caller_is_offered_one_after_the_configured_wait()
    {
        await using var app = TrunkWiringTests.Build(("Trunk:Uri", "sip:127.0.0.1:5999"), ("Agents:Callback:Enabled", "true"), ("Agents:Callback:OfferAfterSeconds", "45"));
        var transfer = app.Services.GetRequiredService<AcdQueueTransfer>();
        Assert.Multiple(() =>
        {
            Assert.That(transfer.Callback, Is.EqualTo(new CallbackOptions(true, TimeSpan.FromSeconds(45))));
            Assert.That(app.Services.GetRequiredService<IAgentLeg>(), Is.InstanceOf<SipAgentLeg>());
            Assert.That(app.Services.GetRequiredService<ICallbackDialer>(), Is.InstanceOf<TrunkCallbackDialer>());
        });
    }

    [Test]
    public async Task Callbacks_are_off_by_default_and_switched_off_without_a_trunk()
    {
        await using (var byDefault = TrunkWiringTests.Build(("Trunk:Uri", "sip:127.0.0.1:5999")))
            Assert.That(byDefault.Services.GetRequiredService<AcdQueueTransfer>().Callback.Enabled, Is.False, "off unless asked for");
        await using var noTrunk = TrunkWiringTests.Build(("Agents:Callback:Enabled", "true"));
        Assert.That(noTrunk.Services.GetRequiredService<AcdQueueTransfer>().Callback.Enabled, Is.False, "nothing to call back over");
    }

    [Test]
    public async Task Without_a_trunk_a_callback_dial_fails_at_once_saying_so()
    {
        await using var app = TrunkWiringTests.Build();
        var dial = await app.Services.GetRequiredService<ICallbackDialer>().DialAsync("call-1", "13812345678", CancellationToken.None);
        Assert.That(dial.Citizen, Is.Null);
        Assert.That(dial.Failure, Does.Contain("no trunk is configured"));
    }

    [TestCase("Agents:Callback:Enabled", "yes")]
    [TestCase("Agents:Callback:OfferAfterSeconds", "0")]
    [TestCase("Agents:Callback:OfferAfterSeconds", "soon")]
    [TestCase("Agents:Callback:MaxAttempts", "0")]
    [TestCase("Agents:Callback:MaxAttempts", "11")]
    [TestCase("Agents:Callback:RetryAfterSeconds", "29")]
    [TestCase("Agents:Callback:RetryAfterSeconds", "86401")]
    [TestCase("Agents:Callback:RetryAfterSeconds", "later")]
    public async Task A_bad_callback_setting_is_an_error_naming_the_key(string key, string value)
    {
        await using var app = TrunkWiringTests.Build(("Trunk:Uri", "sip:127.0.0.1:5999"), (key, value));
        var error = Assert.Throws<InvalidOperationException>(() => app.Services.GetRequiredService<AcdQueueTransfer>());
        Assert.That(error!.Message, Does.Contain(key));
        var placing = Assert.Throws<InvalidOperationException>(() => app.Services.GetRequiredService<CallbackCalls>());
        Assert.That(placing!.Message, Does.Contain(key), "the callback's placing reads the same settings");
    }

    [Test]
    public async Task Retries_default_to_3_attempts_10_minutes_apart_and_follow_the_configuration()
    {
        await using (var byDefault = TrunkWiringTests.Build(("Trunk:Uri", "sip:127.0.0.1:5999")))
        {
            var options = byDefault.Services.GetRequiredService<CallbackCalls>().Options;
            Assert.That((options.MaxAttempts, options.RetryAfter), Is.EqualTo((3, TimeSpan.FromMinutes(10))));
        }
        await using var configured = TrunkWiringTests.Build(("Trunk:Uri", "sip:127.0.0.1:5999"), ("Agents:Callback:MaxAttempts", "5"),
            ("Agents:Callback:RetryAfterSeconds", "120"));
        var set = configured.Services.GetRequiredService<CallbackCalls>().Options;
        Assert.That((set.MaxAttempts, set.RetryAfter), Is.EqualTo((5, TimeSpan.FromSeconds(120))));
    }
}
