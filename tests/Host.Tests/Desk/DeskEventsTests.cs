using System.Net.Http.Json;
using System.Text.Json;

namespace Telephony.Host.Tests.Desk;

public class DeskEventsTests
{
    private DeskHost host = null!;

    [SetUp]
    public async Task Start() => host = await DeskHost.StartAsync(wrapUpSeconds: 30);

    [TearDown]
    public async Task Stop() => await host.DisposeAsync();

    /// <summary>Reads "event:"/"data:" pairs of a server-sent event stream until <paramref name="until"/> holds.</summary>
    private static async Task<List<(string Event, JsonElement Data)>> ReadAsync(StreamReader reader, Func<List<(string Event, JsonElement Data)>, bool> until)
    {
        var events = new List<(string, JsonElement)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        string? name = null;
        while (!until(events))
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("the stream ended");
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) events.Add((name ?? "message", JsonDocument.Parse(line[6..]).RootElement.Clone()));
        }
        return events;
    }

    [Test]
    public async Task Agent_stream_carries_state_offer_answer_and_wrap_up_timer_of_that_agent_only()
    {
        using var agent = await host.LoginAsync();
        using var response = await agent.GetAsync("/api/desk/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/event-stream"));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await ReadAsync(reader, e => e.Count >= 1);
        Assert.That(first[0].Event, Is.EqualTo("state"));
        Assert.That(first[0].Data.GetProperty("state").GetString(), Is.EqualTo("Offline"));

        // Another agent's change does not reach this stream.
        using var other = await host.LoginAsync(DeskHost.OtherAgentId, DeskHost.OtherPassword);
        await other.PostAsJsonAsync("/api/desk/state", new { state = "Paused", reason = "培训" });
        await agent.PostAsJsonAsync("/api/desk/state", new { state = "Available" });
        var available = await ReadAsync(reader, e => e.Count >= 1);
        Assert.That(available[0].Data.GetProperty("id").GetString(), Is.EqualTo(DeskHost.AgentId));
        Assert.That(available[0].Data.GetProperty("state").GetString(), Is.EqualTo("Available"));

        var call = await host.QueueCallAsync("call-sse-1", "13812345678", "路灯坏了");
        var offered = await ReadAsync(reader, e => e.Any(x => x.Event == "call"));
        Assert.That(offered.Last().Data.GetProperty("callId").GetString(), Is.EqualTo(call.CallId));
        Assert.That(offered.Last().Data.GetProperty("kind").GetString(), Is.EqualTo("Offered"));
        Assert.That(offered.Any(x => x.Event == "state" && x.Data.GetProperty("state").GetString() == "Ringing"), Is.True);

        host.Leg.Answer(call.CallId);
        var answered = await ReadAsync(reader, e => e.Any(x => x.Event == "call"));
        Assert.That(answered.Last().Data.GetProperty("kind").GetString(), Is.EqualTo("Answered"));

        Assert.That(host.Acd.CallEnded(call.CallId).Ok, Is.True);
        var ended = await ReadAsync(reader, e => e.Any(x => x.Event == "call") && e.Any(x => x.Event == "state"));
        Assert.That(ended.Single(x => x.Event == "call").Data.GetProperty("kind").GetString(), Is.EqualTo("Ended"));
        var wrapUp = ended.Single(x => x.Event == "state").Data;
        Assert.That(wrapUp.GetProperty("state").GetString(), Is.EqualTo("WrapUp"));
        Assert.That(wrapUp.GetProperty("wrapUpSecondsLeft").GetDouble(), Is.InRange(25, 30));
        Assert.That(wrapUp.GetProperty("wrapUpEndsAt").GetDateTimeOffset(), Is.GreaterThan(wrapUp.GetProperty("serverNow").GetDateTimeOffset()));
    }

    [Test]
    public async Task A_reconnected_stream_pops_the_open_call_again()
    {
        using var agent = await host.LoginAsync();
        await agent.PostAsJsonAsync("/api/desk/state", new { state = "Available" });
        var call = await host.QueueCallAsync("call-sse-2", "13812345678", "路灯坏了");
        await DeskHost.WaitUntilAsync(() => host.Leg.Offers.Any(o => o.CallId == call.CallId), "the offer");
        host.Leg.Answer(call.CallId);
        await DeskHost.WaitUntilAsync(() => host.Acd.Agent(DeskHost.AgentId)!.State == Telephony.Agents.Model.AgentState.OnCall, "the answer");

        using var response = await agent.GetAsync("/api/desk/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = await ReadAsync(reader, e => e.Count >= 2);
        Assert.That(events[0].Data.GetProperty("state").GetString(), Is.EqualTo("OnCall"));
        Assert.That(events[1].Event, Is.EqualTo("call"));
        Assert.That(events[1].Data.GetProperty("callId").GetString(), Is.EqualTo(call.CallId));
        Assert.That(events[1].Data.GetProperty("kind").GetString(), Is.EqualTo("Answered"));
    }
}
