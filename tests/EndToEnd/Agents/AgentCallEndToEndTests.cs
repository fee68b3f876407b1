using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telephony.Agents.Acd;
using Telephony.Agents.Model;
using Telephony.EndToEnd.Media;
using Telephony.Host.Agents;
using Telephony.Media.Audio;
using Telephony.Media.Prompts;
using Telephony.Testing;

namespace Telephony.EndToEnd.Agents;

/// <summary>
/// A citizen reaches a person (issue 9): the hotline (in process, as <c>serve</c> builds it) with one agent seat; the
/// agent's baresip registers with digest and answers automatically; the citizen's baresip says a request after the
/// greeting and goes on talking. The default flow records, transcribes (whisper.cpp's tiny test model), classifies,
/// creates the draft and transfers the call to queue <c>citizen</c>; the ACD rings the agent over SIP; the call is
/// bridged both ways (each side must hear the other at a normalized cross-correlation ≥ 0.9). The agent accepts the
/// draft in the store (what the desktop's finalize does) and the desk reports it: the citizen hears the query code.
/// The agent hangs up, which ends the citizen's call.
/// </summary>
[NonParallelizable]
public class AgentCallEndToEndTests() : AgentCallFixture("agent-e2e")
{
    private const string AgentPassword = "agent1-e2e-secret";

    [Test]
    public async Task Caller_goes_through_the_flow_to_a_registered_agent_both_hear_each_other_and_the_caller_hears_the_code_after_finalize()
    {
        var (prompts, citizenAudio, citizenWav, agentAudio, agentWav) = await VoicesAsync(talkRepeats: 25);
        await using var hotline = await InProcessHotline.StartAsync(HotlineSettings(AgentPassword));
        var services = hotline.App.Services;
        var acd = services.GetRequiredService<AcdEngine>();
        var desk = services.GetRequiredService<CallDesk>();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{hotline.HttpPort}") };
        string Log() => TextTail.Of(hotline.Log, 12000);

        await using var agent = await Baresip.StartAsync(new BaresipOptions
        {
            Account = new BaresipAccount { User = AgentUser, Password = AgentPassword, Registrar = hotline.SipTarget, AnswerMode = BaresipAnswerMode.Auto, AudioCodecs = ["PCMU"] },
            AudioSource = agentWav, AudioPadding = TimeSpan.FromSeconds(5),
        });
        await agent.WaitForRegisteredAsync(TimeSpan.FromSeconds(10));
        Assert.That(acd.SetAgentState(AgentId, AgentState.Available).Ok, Is.True, "the agent logs in");

        await using var citizen = await Baresip.StartAsync(new BaresipOptions
        {
            Account = new BaresipAccount { User = CitizenNumber, AudioCodecs = ["PCMU"] },
            AudioSource = citizenWav, AudioPadding = TimeSpan.FromSeconds(5),
        });
        await citizen.DialAsync($"sip:12345@{hotline.SipTarget}");
        await citizen.WaitForEventAsync(BaresipEvents.CallEstablished, TimeSpan.FromSeconds(10));
        var citizenStart = DateTime.UtcNow;
        try
        {
            // Greeting, request, whisper on a loaded machine, draft, queue: the agent's phone rings and answers.
            await agent.WaitForEventAsync(BaresipEvents.CallEstablished, TimeSpan.FromSeconds(120));
        }
        catch (AssertionException) { TestContext.Out.WriteLine($"The agent's phone was never answered. Hotline log:\n{Log()}"); throw; }
        var bridgedAt = (DateTime.UtcNow - citizenStart).TotalSeconds;
        var deskCall = desk.Calls.SingleOrDefault();
        Assert.That(deskCall, Is.Not.Null, $"the call is on the desk for the screen pop. Log:\n{Log()}");
        // baresip reports the call established on its 200; the ACD hears of the answer with the ACK, a moment later.
        await PollAsync(() => acd.Agent(AgentId)!.State == AgentState.OnCall, "the agent on the call", Log);

        // Both talk for a while over the bridge.
        await Task.Delay(TimeSpan.FromSeconds(7));

        // The agent finalizes: the desktop accepts the draft in the store, then tells the call side through the desk.
        var ticket = await OnlyTicketAsync(http, Log);
        var code = ticket.GetProperty("code").GetString()!;
        Assert.That(deskCall!.DraftCode, Is.EqualTo(code), "the desk call carries the draft's query code");
        var accepted = await http.PostAsJsonAsync($"/api/tickets/{ticket.GetProperty("id").GetInt64()}/transitions",
            new { to = "Accepted", expectedVersion = ticket.GetProperty("version").GetInt32(), actor = AgentId });
        Assert.That(accepted.IsSuccessStatusCode, Is.True, await accepted.Content.ReadAsStringAsync());
        desk.Finalize(new DeskFinalized(deskCall.CallId, AgentId, code, "Accepted"));
        var readBack = prompts.Get("query_code_is").ToArray().Concat(code.SelectMany(d => prompts.Get($"digit_{d}").ToArray())).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(readBack.Length / 8000.0 + 2));

        await agent.HangupAsync();
        await agent.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(10));
        await citizen.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(10));

        var citizenHeard = await RecordingAsync(citizen, "the citizen's", Log);
        var agentHeard = await RecordingAsync(agent, "the agent's", Log);
        // What each sent while bridged: the agent's talk from 2 s after its answer (the bridge is up by then even on a
        // loaded machine: the ACK, the ACD's report and the end of the ringback come first); the citizen's likewise.
        var agentSaid = agentAudio.AsSpan(2 * 8000, 3 * 8000).ToArray();
        var citizenSaid = citizenAudio.AsSpan((int)((bridgedAt + 1.5) * 8000), 3 * 8000).ToArray();
        var atCitizen = AudioMatch.Find(agentSaid, citizenHeard);
        var atAgent = AudioMatch.Find(citizenSaid, agentHeard);
        var code8k = AudioMatch.Find(readBack, citizenHeard);
        TestContext.Out.WriteLine($"bridged {bridgedAt:F1} s into the call; code {code}; citizen heard {citizenHeard.Length / 8000.0:F1} s, agent {agentHeard.Length / 8000.0:F1} s");
        TestContext.Out.WriteLine($"agent → citizen {atCitizen.Correlation:F4} at {atCitizen.Lag / 8000.0:F2} s; citizen → agent {atAgent.Correlation:F4} at {atAgent.Lag / 8000.0:F2} s; " +
            $"code read-back {code8k.Correlation:F4} at {code8k.Lag / 8000.0:F2} s");

        TestContext.Out.WriteLine(string.Join("\n", hotline.Log.Split('\n').Where(l => l.Contains("bridge to agent") || l.Contains("RTP packets") || l.Contains("RTP closed"))));
        var stored = await OnlyTicketAsync(http, Log);
        await PollAsync(() => acd.Agent(AgentId)!.State is AgentState.WrapUp or AgentState.Available, "the agent in wrap-up", Log);
        Assert.Multiple(() =>
        {
            Assert.That(atCitizen.Correlation, Is.GreaterThanOrEqualTo(MinCorrelation), "the citizen heard the agent");
            Assert.That(atAgent.Correlation, Is.GreaterThanOrEqualTo(MinCorrelation), "the agent heard the citizen");
            Assert.That(code8k.Correlation, Is.GreaterThanOrEqualTo(MinCorrelation), "the citizen heard the query code read digit by digit");
            Assert.That(code8k.Lag / 8000.0, Is.GreaterThan(atCitizen.Lag / 8000.0), "the code came after the agent had spoken");
            Assert.That(stored.GetProperty("status").GetString(), Is.EqualTo("Accepted"), "the order is in the store");
            Assert.That(stored.GetProperty("callerPhone").GetString(), Is.EqualTo(CitizenNumber));
            Assert.That(acd.Queues().Single(q => q.Name == "citizen").Answered, Is.EqualTo(1));
            Assert.That(desk.Calls, Is.Empty, "the desk call is removed when the call ends");
            Assert.That(hotline.Log, Does.Not.Contain(CitizenNumber), "the log masks the citizen's number");
        });
    }

    [Test]
    public async Task Zero_at_the_greeting_queues_the_caller_at_once_and_hanging_up_while_the_agent_rings_cancels_it_and_abandons_the_call()
    {
        var model = RepositoryPaths.RequireShared("models/test/for-tests-ggml-tiny.bin");
        await using var hotline = await InProcessHotline.StartAsync(new Dictionary<string, string?>
        {
            ["Accounts:0:User"] = AgentUser, ["Accounts:0:Password"] = AgentPassword,
            ["Ivr:Enabled"] = "true",
            ["Ivr:FlowsFolder"] = Path.Combine(Scratch, "flows"),
            ["Paths:Recordings"] = Path.Combine(Scratch, "recordings"),
            ["Speech:Model"] = model,
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(Scratch, "tickets.db")}",
        });
        var acd = hotline.App.Services.GetRequiredService<AcdEngine>();
        var desk = hotline.App.Services.GetRequiredService<CallDesk>();
        string Log() => TextTail.Of(hotline.Log, 8000);
        await using var agent = await Baresip.StartAsync(new BaresipOptions
        {
            Account = new BaresipAccount { User = AgentUser, Password = AgentPassword, Registrar = hotline.SipTarget, AnswerMode = BaresipAnswerMode.Manual },
            Record = false,
        });
        await agent.WaitForRegisteredAsync(TimeSpan.FromSeconds(10));
        acd.SetAgentState(AgentId, AgentState.Available);
        await using var citizen = await Baresip.StartAsync(new BaresipOptions
        {
            Account = new BaresipAccount { User = CitizenNumber, AudioCodecs = ["PCMU"] }, Record = false, AudioPadding = TimeSpan.FromSeconds(30),
        });
        await citizen.DialAsync($"sip:12345@{hotline.SipTarget}");
        await citizen.WaitForEventAsync(BaresipEvents.CallEstablished, TimeSpan.FromSeconds(10));
        await Task.Delay(1000);
        await citizen.SendDtmfAsync("0");
        try { await agent.WaitForEventAsync(BaresipEvents.CallIncoming, TimeSpan.FromSeconds(10)); }
        catch (AssertionException) { TestContext.Out.WriteLine($"The agent's phone never rang. Hotline log:\n{Log()}"); throw; }
        var deskCall = desk.Calls.Single();
        await citizen.HangupAsync();
        await agent.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(10)); // CANCEL
        await PollAsync(() => acd.AbandonedCalls().Count == 1, "the abandoned call", Log);
        var abandoned = acd.AbandonedCalls().Single();
        Assert.Multiple(() =>
        {
            Assert.That(abandoned.CallId, Is.EqualTo(deskCall.CallId));
            Assert.That(abandoned.Reason, Is.EqualTo(Telephony.Agents.Queueing.AbandonReason.CallerHungUp));
            Assert.That(deskCall.DraftCode, Is.Null, "0 at the greeting: no draft yet, the agent would write the order");
            Assert.That(acd.Agent(AgentId)!.State, Is.EqualTo(AgentState.Available), "the agent is not blamed");
            Assert.That(desk.Calls, Is.Empty);
        });
    }

    private static async Task<JsonElement> OnlyTicketAsync(HttpClient http, Func<string> log)
    {
        var page = await http.GetFromJsonAsync<JsonElement>($"/api/tickets?phone={CitizenNumber}");
        var items = page.GetProperty("items");
        Assert.That(items.GetArrayLength(), Is.EqualTo(1), $"one work order for the caller. Log:\n{log()}");
        return items[0];
    }
}
