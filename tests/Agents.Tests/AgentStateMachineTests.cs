using Telephony.Agents.Model;

namespace Telephony.Agents.Tests;

public class AgentStateMachineTests
{
    [TestCase(AgentState.Offline, AgentState.Available)]
    [TestCase(AgentState.Available, AgentState.Paused)]
    [TestCase(AgentState.Paused, AgentState.Available)]
    [TestCase(AgentState.WrapUp, AgentState.Available)]
    [TestCase(AgentState.Available, AgentState.Offline)]
    public void Agent_may_make_the_everyday_changes(AgentState from, AgentState to) =>
        Assert.That(AgentStateMachine.Check(from, to, StateActor.Agent), Is.Null);

    [TestCase(AgentState.Available, AgentState.Ringing)]
    [TestCase(AgentState.Ringing, AgentState.OnCall)]
    [TestCase(AgentState.OnCall, AgentState.WrapUp)]
    public void Ringing_on_call_and_wrap_up_are_set_by_the_acd_only(AgentState from, AgentState to)
    {
        Assert.That(AgentStateMachine.Check(from, to, StateActor.Agent), Does.Contain("ACD"));
        Assert.That(AgentStateMachine.Check(from, to, StateActor.Acd), Is.Null);
    }

    [TestCase(AgentState.OnCall, AgentState.Offline)]
    [TestCase(AgentState.OnCall, AgentState.Paused)]
    [TestCase(AgentState.Ringing, AgentState.Paused)]
    [TestCase(AgentState.Offline, AgentState.WrapUp)]
    [TestCase(AgentState.Offline, AgentState.Offline)]
    public void Illegal_changes_are_rejected_with_a_reason(AgentState from, AgentState to) =>
        Assert.That(AgentStateMachine.Check(from, to, StateActor.Agent), Is.Not.Null.And.Not.Empty);

    [Test]
    public void Engine_refuses_an_illegal_change_and_keeps_the_state()
    {
        var f = new AcdFixture([AcdFixture.Agent("a1")]);
        var result = f.Acd.SetAgentState("a1", AgentState.OnCall);
        Assert.That(result.Ok, Is.False);
        Assert.That(result.Error, Does.Contain("ACD"));
        Assert.That(f.StateOf("a1"), Is.EqualTo(AgentState.Offline));
    }

    [Test]
    public void Pause_needs_a_reason_and_keeps_it()
    {
        var f = new AcdFixture([AcdFixture.Agent("a1")]);
        f.Available("a1");
        Assert.That(f.Acd.SetAgentState("a1", AgentState.Paused).Ok, Is.False);
        Assert.That(f.Acd.SetAgentState("a1", AgentState.Paused, "lunch").Ok, Is.True);
        var view = f.Acd.Agent("a1")!;
        Assert.That(view.State, Is.EqualTo(AgentState.Paused));
        Assert.That(view.PauseReason, Is.EqualTo("lunch"));
    }

    [Test]
    public void History_records_every_change_with_its_time_for_statistics()
    {
        var f = new AcdFixture([AcdFixture.Agent("a1")]);
        f.Available("a1");
        f.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.That(f.Acd.SetAgentState("a1", AgentState.Paused, "meeting").Ok, Is.True);
        var history = f.Acd.Agent("a1")!.RecentHistory;
        Assert.That(history.Select(h => h.To), Is.EqualTo(new[] { AgentState.Available, AgentState.Paused }));
        Assert.That(history[1].At - history[0].At, Is.EqualTo(TimeSpan.FromMinutes(5)));
        Assert.That(history[1].Reason, Is.EqualTo("meeting"));
    }

    [Test]
    public void Unknown_agent_is_an_error() =>
        Assert.That(new AcdFixture([AcdFixture.Agent("a1")]).Acd.SetAgentState("nobody", AgentState.Available).Error, Does.Contain("nobody"));
}
