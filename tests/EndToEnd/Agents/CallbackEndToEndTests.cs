using Microsoft.Extensions.DependencyInjection;
using Telephony.Agents.Acd;
using Telephony.Agents.Model;
using Telephony.EndToEnd.Media;
using Telephony.Host.Agents;
using Telephony.Media.Audio;
using Telephony.Testing;

namespace Telephony.EndToEnd.Agents;

/// <summary>
/// A callback from start to end (issue 9), with real phones: the hotline in process runs <c>callback-e2e.json</c> (the
/// queue transfer on its own) with callbacks on after 1 s; the citizen's baresip dials 12345, waits, hears the offer and
/// presses 1 (RFC 4733), hears the confirmation and is hung up. The agent's baresip (registered with digest, answering
/// by hand) rings for the callback and answers; the hotline then calls the citizen's number over the trunk, where a
/// second baresip stands in for the citizen's phone and answers. The test checks the citizen's phone hears the agent
/// (normalized cross-correlation ≥ 0.9), the agent's finalize reads the code to the citizen's phone (the log lists the
/// prompts), the citizen's hang-up ends the agent's call and puts the agent in wrap-up, the desk call is gone at the end,
/// and the log masks the number. A citizen's phone that refuses the callback (486) gets the agent hung up and freed
/// without blame and the call tried again after the retry time (the agent's phone rings again); refused on the last
/// attempt, the call is abandoned as <c>CallbackUnreachable</c>.
/// </summary>
[NonParallelizable]
public class CallbackEndToEndTests() : AgentCallFixture("callback-e2e")
{
    private const string AgentPassword = "agent1-callback-secret";
    private const string AgentSays = "nin2 hao3, zhe4 li3 shi4 yao1 er4 san1 si4 wu3, wo3 men5 hui2 bo1 nin2 de5 lai2 dian4";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    /// <summary>The parties of a callback test, stopped in reverse order of their start whatever happened.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly List<IAsyncDisposable> _started = [];
        public Baresip CitizenPhone = null!, Agent = null!, Caller = null!;
        public InProcessHotline Hotline = null!;
        public AcdEngine Acd = null!;
        public CallDesk Desk = null!;
        public string CallId = "";
        public string Log() => TextTail.Of(Hotline.Log, 12000);

        public async Task<T> Keep<T>(Task<T> starting) where T : IAsyncDisposable
        {
            var started = await starting;
            _started.Add(started);
            return started;
        }

        public async ValueTask DisposeAsync()
        {
            for (var i = _started.Count - 1; i >= 0; i--) await _started[i].DisposeAsync();
        }
    }

    /// <summary>
    /// Up to the callback ringing the agent: the citizen's phone behind the trunk (<paramref name="citizenPhone"/>), the
    /// hotline, the agent's phone (available, answering by hand, talking from <paramref name="agentWav"/>), and the caller,
    /// who dials 12345, presses 1 after the offer, is confirmed and hung up; the agent's phone has rung for the live call
    /// (cancelled) and now rings for the callback.
    /// </summary>
    private async Task<Rig> CallbackRingingAsync(BaresipOptions citizenPhone, string? agentWav)
    {
        var prompts = Telephony.Media.Prompts.PromptLibrary.Load(Path.Combine(RepositoryPaths.Root, "prompts"), 8000);
        if (!prompts.TryGet(CallbackOptions.OfferPrompt, out _) || !prompts.TryGet(CallbackOptions.ConfirmPrompt, out _))
            Assert.Fail("The prompts are not synthesized: run ./hotline setup (scripts/setup.d/40-prompts.sh).");
        var seeds = Path.Combine(Scratch, "seeds");
        Directory.CreateDirectory(seeds);
        File.Copy(Path.Combine(RepositoryPaths.Root, "tests/EndToEnd/Agents/callback-e2e.json"), Path.Combine(seeds, "callback-e2e.json"));
        var rig = new Rig();
        try
        {
            rig.CitizenPhone = await rig.Keep(Baresip.StartAsync(citizenPhone));
            var settings = HotlineSettings(AgentPassword);
            settings["Ivr:Flow"] = "callback-e2e";
            settings["Ivr:SeedFlows"] = seeds;
            settings[$"Trunk:Numbers:{CitizenNumber}"] = rig.CitizenPhone.DirectUri;
            settings["Agents:Callback:Enabled"] = "true";
            settings["Agents:Callback:OfferAfterSeconds"] = "1";
            settings["Agents:Callback:MaxAttempts"] = MaxAttempts.ToString();
            settings["Agents:Callback:RetryAfterSeconds"] = RetryAfterSeconds.ToString();
            settings["Agents:Announce:EverySeconds"] = "0";
            rig.Hotline = await rig.Keep(InProcessHotline.StartAsync(settings));
            rig.Agent = await rig.Keep(Baresip.StartAsync(new BaresipOptions
            {
                Account = new BaresipAccount { User = AgentUser, Password = AgentPassword, Registrar = rig.Hotline.SipTarget, AnswerMode = BaresipAnswerMode.Manual },
                AudioSource = agentWav, AudioPadding = TimeSpan.FromSeconds(5), Record = false,
            }));
            await rig.Agent.WaitForRegisteredAsync(Wait);
            rig.Acd = rig.Hotline.App.Services.GetRequiredService<AcdEngine>();
            rig.Desk = rig.Hotline.App.Services.GetRequiredService<CallDesk>();
            Assert.That(rig.Acd.SetAgentState(AgentId, AgentState.Available).Ok, Is.True);

            rig.Caller = await rig.Keep(Baresip.StartAsync(new BaresipOptions
            {
                Account = new BaresipAccount { User = CitizenNumber, AudioCodecs = ["PCMU"] }, Record = false,
            }));
            await rig.Caller.DialAsync($"sip:12345@{rig.Hotline.SipTarget}");
            await rig.Caller.WaitForEventAsync(BaresipEvents.CallEstablished, Wait);
            // The agent's phone rings for the live call (not answered), the offer is made after 1 s.
            await rig.Agent.WaitForEventAsync(BaresipEvents.CallIncoming, Wait);
            await PollAsync(() => rig.Hotline.Log.Contains("offered a callback"), "the callback offer", rig.Log);
            await Task.Delay(500);
            await rig.Caller.SendDtmfAsync("1");
            await rig.Caller.WaitForEventAsync(BaresipEvents.CallClosed, Wait);       // confirmed, then hung up by us
            await rig.Agent.WaitForEventAsync(BaresipEvents.CallClosed, Wait);        // the live call's offer withdrawn (CANCEL)
            rig.CallId = rig.Desk.Calls.Single().CallId;
            Assert.That(rig.Acd.Queues().Single(q => q.Name == "citizen").Callbacks, Is.EqualTo(1), rig.Log());
            await rig.Agent.WaitForEventAsync(BaresipEvents.CallIncoming, Wait);     // the callback rings the agent
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    [Test]
    public async Task Pressing_1_while_waiting_gets_a_callback_the_agent_answers_then_the_citizens_phone_and_they_talk()
    {
        var phrase = await SpeechFiles.SpeakAsync(AgentSays, Path.Combine(Scratch, "agent-phrase.wav"), 8000);
        var agentAudio = Repeat(phrase.Samples, 20, 0.2);
        var agentWav = Path.Combine(Scratch, "agent.wav");
        WavWriter.Write(agentWav, 8000, WavEncoding.Pcm16, agentAudio);
        // The citizen's phone as the trunk reaches it (called directly, answers by itself, records what it hears).
        await using var rig = await CallbackRingingAsync(new BaresipOptions
        {
            Account = new BaresipAccount { User = CitizenNumber, AnswerMode = BaresipAnswerMode.Auto, AudioCodecs = ["PCMA"] },
        }, agentWav);
        var (citizenPhone, agent, acd, desk, hotline, callId) = (rig.CitizenPhone, rig.Agent, rig.Acd, rig.Desk, rig.Hotline, rig.CallId);
        string Log() => rig.Log();

        // The agent answers the callback and the citizen's phone is called over the trunk.
        await agent.AcceptAsync();
        var agentAnsweredAt = DateTime.UtcNow; // the agent's microphone file starts about then
        await citizenPhone.WaitForEventAsync(BaresipEvents.CallEstablished, Wait);
        await PollAsync(() => acd.Agent(AgentId)!.State == AgentState.OnCall, "the agent on the callback", Log);
        var bridgedAt = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(5));
        desk.Finalize(new DeskFinalized(callId, AgentId, "2026120209", "Accepted"));
        // The code is masked in the log like any long number; the read-back line lists its prompts.
        await PollAsync(() => hotline.Log.Contains("read to the caller after the agent finalized"), "the code read to the citizen", Log, 30);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await citizenPhone.HangupAsync();
        await citizenPhone.WaitForEventAsync(BaresipEvents.CallClosed, Wait);
        await agent.WaitForEventAsync(BaresipEvents.CallClosed, Wait);        // the citizen's BYE ends the agent's leg
        await PollAsync(() => acd.Agent(AgentId)!.State == AgentState.WrapUp, "wrap-up", Log);

        var heard = await RecordingAsync(citizenPhone, "the citizen's phone's", Log);
        // What the agent said from 2 s after the bridge (the ringback to the agent and the answer's ACK come first), 3 s of it.
        var from = (int)(((bridgedAt - agentAnsweredAt).TotalSeconds + 2) * 8000);
        var atCitizen = AudioMatch.Find(agentAudio.AsSpan(from, 3 * 8000).ToArray(), heard);
        TestContext.Out.WriteLine($"agent → citizen's phone {atCitizen.Correlation:F4} at {atCitizen.Lag / 8000.0:F2} s");
        var log = hotline.Log;
        Assert.Multiple(() =>
        {
            Assert.That(atCitizen.Correlation, Is.GreaterThanOrEqualTo(MinCorrelation), "the citizen's phone heard the agent (PCMU agent → PCMA citizen)");
            Assert.That(log, Does.Contain("callback requested, place kept in the queue"));
            Assert.That(log, Does.Match(@"calling back ""?138\*\*\*\*5678""? at ""?127.0.0.1""? over the trunk"));
            Assert.That(log, Does.Contain("query_code_is digit_2 digit_0 digit_2 digit_6 digit_1 digit_2 digit_0 digit_2 digit_0 digit_9"), "the code was read to the citizen");
            Assert.That(log, Does.Not.Contain(CitizenNumber), "the log masks the citizen's number");
            Assert.That(desk.Find(callId), Is.Null, "the desk call goes when the callback is over");
            Assert.That(acd.AbandonedCalls(), Is.Empty);
        });
    }

    /// <summary>Two attempts, the shortest retry time allowed: the retry is seen with real phones and the real clock.</summary>
    private const int MaxAttempts = 2;
    private const int RetryAfterSeconds = 30;

    [Test]
    public async Task A_citizen_who_refuses_is_called_again_after_the_retry_time_and_abandoned_as_unreachable_after_the_last_refusal()
    {
        await using var rig = await CallbackRingingAsync(new BaresipOptions
        {
            Account = new BaresipAccount { User = CitizenNumber, AnswerMode = BaresipAnswerMode.Manual }, Record = false,
        }, agentWav: null);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                // Out of the queue until the retry time, then the callback rings the agent again.
                var retry = TimeSpan.FromSeconds(RetryAfterSeconds);
                await rig.Agent.WaitForEventAsync(BaresipEvents.CallIncoming, retry + Wait);
            }
            await rig.Agent.AcceptAsync();
            await rig.CitizenPhone.WaitForEventAsync(BaresipEvents.CallIncoming, Wait);
            await rig.CitizenPhone.HangupAsync();                                        // baresip refuses a ringing call with 486
            await rig.Agent.WaitForEventAsync(BaresipEvents.CallClosed, Wait);           // the agent is hung up
            if (attempt == MaxAttempts) break;
            await PollAsync(() => rig.Hotline.Log.Contains($"attempt {attempt} of {MaxAttempts}"), $"attempt {attempt} logged", rig.Log);
            Assert.Multiple(() =>
            {
                Assert.That(rig.Acd.AbandonedCalls(), Is.Empty, $"attempt {attempt} of {MaxAttempts}: not abandoned");
                Assert.That(rig.Acd.Agent(AgentId)!.State, Is.EqualTo(AgentState.Available), "freed without blame");
                Assert.That(rig.Desk.Find(rig.CallId), Is.Not.Null, "the desk call stays for the next attempt");
            });
        }
        await PollAsync(() => rig.Acd.AbandonedCalls().Count == 1, "the callback abandoned", rig.Log);
        var abandoned = rig.Acd.AbandonedCalls().Single();
        Assert.Multiple(() =>
        {
            Assert.That(abandoned.Reason, Is.EqualTo(Telephony.Agents.Queueing.AbandonReason.CallbackUnreachable));
            Assert.That(abandoned.CallId, Is.EqualTo(rig.CallId));
            Assert.That(rig.Acd.Agent(AgentId)!.State, Is.EqualTo(AgentState.Available), "freed without blame");
            Assert.That(rig.Desk.Find(rig.CallId), Is.Null, "the desk call goes with the call");
            Assert.That(rig.Hotline.Log, Does.Match(@"callback to ""?138\*\*\*\*5678""? not reached \(""?busy \(486\)"), rig.Log());
            Assert.That(rig.Hotline.Log, Does.Contain($"attempt {MaxAttempts} of {MaxAttempts}"), rig.Log());
            Assert.That(rig.Hotline.Log, Does.Not.Contain(CitizenNumber), "the log masks the citizen's number");
        });
    }
}
