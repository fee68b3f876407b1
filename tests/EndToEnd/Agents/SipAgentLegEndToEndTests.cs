using Microsoft.Extensions.DependencyInjection;
using Telephony.Agents.Offers;
using Telephony.Agents.Queueing;
using Telephony.Host.Agents;
using Telephony.Testing;

namespace Telephony.EndToEnd.Agents;

/// <summary>
/// The SIP agent leg against a real softphone (baresip registered with digest, answering by hand): what each way an
/// offer can end is reported to the ACD as. The leg is called the way the ACD calls it, with an offer and a token.
/// </summary>
[NonParallelizable]
public class SipAgentLegEndToEndTests
{
    private const string AgentUser = "agent1";
    private const string AgentPassword = "agent1-leg-secret";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private InProcessHotline _hotline = null!;
    private Baresip _phone = null!;
    private IAgentLeg _leg = null!;
    private long _offers;

    [OneTimeSetUp]
    public async Task Start()
    {
        _hotline = await InProcessHotline.StartAsync(new Dictionary<string, string?>
        {
            ["Accounts:0:User"] = AgentUser, ["Accounts:0:Password"] = AgentPassword,
            ["Ivr:Enabled"] = "false",
            ["Database:ConnectionString"] = "Data Source=:memory:", ["Database:MigrateOnStart"] = "false",
        });
        _leg = _hotline.App.Services.GetRequiredService<IAgentLeg>();
        Assert.That(_leg, Is.InstanceOf<SipAgentLeg>(), "serve rings agents over SIP");
        _phone = await Baresip.StartAsync(new BaresipOptions
        {
            Account = new BaresipAccount { User = AgentUser, Password = AgentPassword, Registrar = _hotline.SipTarget, AnswerMode = BaresipAnswerMode.Manual },
            Record = false,
        });
        await _phone.WaitForRegisteredAsync(Wait);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _phone.DisposeAsync();
        await _hotline.DisposeAsync();
    }

    private Offer Offer(string sipUser = AgentUser)
    {
        var id = Interlocked.Increment(ref _offers);
        var now = DateTimeOffset.UtcNow;
        return new Offer(id, $"caller-{id}", "1001", sipUser, "citizen", now, now.AddSeconds(20), false, null,
            new CallRequest { CallId = $"caller-{id}", Queue = "citizen" });
    }

    [Test]
    public async Task An_agent_without_a_registered_phone_is_unreachable()
    {
        var outcome = await _leg.OfferAsync(Offer("agent2"), CancellationToken.None).WaitAsync(Wait);
        Assert.That(outcome, Is.EqualTo(OfferOutcome.Unreachable));
    }

    [Test]
    public async Task A_withdrawn_offer_cancels_the_ringing_phone_and_counts_as_no_answer()
    {
        using var cancel = new CancellationTokenSource();
        var ringing = _leg.OfferAsync(Offer(), cancel.Token);
        await _phone.WaitForEventAsync(BaresipEvents.CallIncoming, Wait);
        cancel.Cancel();
        Assert.That(await ringing.WaitAsync(Wait), Is.EqualTo(OfferOutcome.NoAnswer));
        await _phone.WaitForEventAsync(BaresipEvents.CallClosed, Wait); // the CANCEL reached the phone
    }

    [Test]
    public async Task An_agent_who_rejects_the_call_is_busy()
    {
        var ringing = _leg.OfferAsync(Offer(), CancellationToken.None);
        await _phone.WaitForEventAsync(BaresipEvents.CallIncoming, Wait);
        await _phone.HangupAsync(); // baresip rejects a ringing call with 486
        Assert.That(await ringing.WaitAsync(Wait), Is.EqualTo(OfferOutcome.Busy), _hotline.Log);
        await _phone.WaitForEventAsync(BaresipEvents.CallClosed, Wait);
    }

    [Test]
    public async Task An_answer_is_reported_and_the_phone_is_handed_over_with_its_media()
    {
        var offer = Offer();
        var ringing = _leg.OfferAsync(offer, CancellationToken.None);
        await _phone.WaitForEventAsync(BaresipEvents.CallIncoming, Wait);
        await _phone.AcceptAsync();
        Assert.That(await ringing.WaitAsync(Wait), Is.EqualTo(OfferOutcome.Answered), _hotline.Log);
        var phone = _hotline.App.Services.GetRequiredService<AnsweredAgentCalls>().TryTake(offer.CallId, offer.AgentId);
        Assert.That(phone, Is.InstanceOf<SipAgentCall>(), "parked for the caller's transfer");
        var sip = (SipAgentCall)phone!;
        Assert.That(sip.Sip.Media, Is.Not.Null);
        await _phone.WaitForEventAsync(BaresipEvents.CallEstablished, Wait);
        phone!.Hangup();
        await _phone.WaitForEventAsync(BaresipEvents.CallClosed, Wait); // BYE
        Assert.That(phone.Ended.Wait(Wait), Is.True);
    }

    [Test]
    public async Task An_answer_the_acd_no_longer_wants_is_taken_back_and_hung_up()
    {
        var offer = Offer();
        using var cancel = new CancellationTokenSource();
        var ringing = _leg.OfferAsync(offer, cancel.Token);
        await _phone.WaitForEventAsync(BaresipEvents.CallIncoming, Wait);
        await _phone.AcceptAsync();
        Assert.That(await ringing.WaitAsync(Wait), Is.EqualTo(OfferOutcome.Answered));
        await _phone.WaitForEventAsync(BaresipEvents.CallEstablished, Wait);
        // The offer had timed out in the ACD as the answer came: it ignores the answer and cancels the token.
        cancel.Cancel();
        await _phone.WaitForEventAsync(BaresipEvents.CallClosed, Wait); // BYE from the leg
        Assert.That(_hotline.App.Services.GetRequiredService<AnsweredAgentCalls>().TryTake(offer.CallId), Is.Null, "nothing left parked");
    }
}
