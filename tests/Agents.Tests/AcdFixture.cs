using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Agents.Acd;
using Telephony.Agents.Model;
using Telephony.Agents.Queueing;

namespace Telephony.Agents.Tests;

/// <summary>Builds an ACD on a fake clock with a scripted leg.</summary>
public sealed class AcdFixture
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero));
    public ScriptedLeg Leg { get; } = new();
    public AcdEngine Acd { get; }

    public AcdFixture(IEnumerable<AgentAccount> agents, params QueueOptions[] queues)
    {
        Acd = new AcdEngine(agents, queues.Length == 0 ? [new QueueOptions { Name = "12345" }] : queues, Leg, Clock,
            NullLogger<AcdEngine>.Instance, new AcdOptions { DefaultWrapUp = TimeSpan.FromSeconds(10) });
    }

    public static AgentAccount Agent(string id, string queue = "12345", params (Skill Skill, int Level)[] skills) => new()
    {
        Id = id, Name = $"Agent {id}", SipUser = $"sip{id}", Queues = [queue],
        Skills = skills.ToDictionary(s => s.Skill, s => s.Level),
    };

    public void Advance(double seconds)
    {
        Clock.Advance(TimeSpan.FromSeconds(seconds));
        Acd.Tick();
    }

    public void Available(params string[] ids)
    {
        foreach (var id in ids) Assert.That(Acd.SetAgentState(id, AgentState.Available).Ok, Is.True, id);
    }

    public void Enqueue(string callId, CallPriority priority = CallPriority.Normal, string queue = "12345", params SkillRequirement[] skills) =>
        Assert.That(Acd.Enqueue(new CallRequest { CallId = callId, Queue = queue, Priority = priority, Skills = skills, Caller = "13812345678" }).Ok, Is.True);

    public AgentState StateOf(string id) => Acd.Agent(id)!.State;
}
