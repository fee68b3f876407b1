using NUnit.Framework;
using Telephony.Testing;

namespace Telephony.EndToEnd.Peers;

/// <summary>The baresip driver against real baresip processes, without our engine.</summary>
public class BaresipHarnessTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Baresip_calls_another_baresip_directly_and_both_see_the_call_established_and_closed()
    {
        await using var callee = await Baresip.StartAsync(new() { Account = new() { User = "callee", AnswerMode = BaresipAnswerMode.Auto } });
        await using var caller = await Baresip.StartAsync(new() { Account = new() { User = "caller" } });

        await caller.DialAsync(callee.DirectUri);

        var outgoing = await caller.WaitForEventAsync(BaresipEvents.CallEstablished, Wait);
        var incoming = await callee.WaitForEventAsync(BaresipEvents.CallEstablished, Wait);
        Assert.That(outgoing.Direction, Is.EqualTo("outgoing"));
        Assert.That(incoming.Direction, Is.EqualTo("incoming"));
        Assert.That(incoming.PeerUri, Does.StartWith("sip:caller@127.0.0.1"));

        await caller.HangupAsync();

        await caller.WaitForEventAsync(BaresipEvents.CallClosed, Wait);
        await callee.WaitForEventAsync(BaresipEvents.CallClosed, Wait);
    }

    [Test]
    public async Task Dtmf_sent_with_sndcode_reaches_the_other_phone_as_telephone_events()
    {
        await using var callee = await Baresip.StartAsync(new() { Account = new() { User = "callee" } });
        await using var caller = await Baresip.StartAsync(new() { Account = new() { User = "caller" } });
        await caller.DialAsync(callee.DirectUri);
        await callee.WaitForEventAsync(BaresipEvents.CallEstablished, Wait);
        await caller.WaitForEventAsync(BaresipEvents.CallEstablished, Wait);
        // The callee must have media before a telephone-event can arrive.
        await callee.WaitForEventAsync(BaresipEvents.CallRtpEstablished, Wait);

        await caller.SendDtmfAsync("1#");

        Assert.That((await callee.WaitForEventAsync(BaresipEvents.CallDtmfStart, Wait)).Param, Is.EqualTo("1"));
        Assert.That((await callee.WaitForEventAsync(BaresipEvents.CallDtmfStart, Wait)).Param, Is.EqualTo("#"));
        await caller.HangupAsync();
        await callee.WaitForEventAsync(BaresipEvents.CallClosed, Wait);
    }

    [Test]
    public async Task Manual_answer_rings_until_accepted()
    {
        await using var callee = await Baresip.StartAsync(new() { Account = new() { User = "agent", AnswerMode = BaresipAnswerMode.Manual } });
        await using var caller = await Baresip.StartAsync(new() { Account = new() { User = "caller" } });

        await caller.DialAsync(callee.DirectUri);
        await callee.WaitForEventAsync(BaresipEvents.CallIncoming, Wait);
        await caller.WaitForEventAsync(BaresipEvents.CallRinging, Wait);
        await callee.AcceptAsync();

        await caller.WaitForEventAsync(BaresipEvents.CallEstablished, Wait);
        await callee.HangupAsync();
        await caller.WaitForEventAsync(BaresipEvents.CallClosed, Wait);
    }

    [Test]
    public async Task Baresip_registers_with_digest_at_kamailio()
    {
        using var registrar = await Kamailio.StartAsync(PeerConfigs.KamailioRegistrar, defines: PeerConfigs.RegistrarDefines);
        await using var phone = await Baresip.StartAsync(new()
        {
            Account = new() { User = "agent1", Password = PeerConfigs.RegistrarPassword, Registrar = registrar.Endpoint, RegisterIntervalSeconds = 60 },
        });

        await phone.WaitForRegisteredAsync(Wait);

        Assert.That(await phone.RegistrationInfoAsync(), Does.Contain("agent1@127.0.0.1"));
    }
}
