using Telephony.Ivr.Flow;
using Telephony.Ivr.Runtime;
using Telephony.Ivr.Simulation;
using Telephony.Ivr.Validation;

namespace Telephony.Ivr.Tests.Simulation;

/// <summary>Sub-flows in the simulator: entered at their start, back after the subflow node on return, sharing the call's variables.</summary>
public class SubflowSimulationTests
{
    private const string Main = """
        { "name": "main", "start": "hello", "onHangup": "kept", "nodes": {
          "hello":   { "type": "play", "prompts": ["greeting"], "next": "survey" },
          "survey":  { "type": "subflow", "flow": "rating", "next": "thanked" },
          "thanked": { "type": "branch", "cases": [ { "when": "digits == '1'", "next": "glad" } ], "else": "sorry" },
          "glad":    { "type": "play", "prompts": ["glad"], "next": "bye" },
          "sorry":   { "type": "play", "prompts": ["sorry"], "next": "bye" },
          "bye":     { "type": "play", "prompts": ["goodbye"], "next": "end" },
          "kept":    { "type": "hangup" },
          "end":     { "type": "hangup" } } }
        """;

    // Rating: one key collected into score (and the built-in digits, which the main flow reads: the validator knows a flow's own collect variables only); 9 enters another sub-flow, 0 ends the call inside.
    private const string Rating = """
        { "name": "rating", "start": "ask", "nodes": {
          "ask":    { "type": "collect", "variable": "score", "prompts": ["rate_us"], "maxDigits": 1, "terminators": "#", "next": "check", "noInput": "back" },
          "check":  { "type": "branch", "cases": [ { "when": "score == '9'", "next": "nested" }, { "when": "score == '0'", "next": "stop" } ], "else": "back" },
          "nested": { "type": "subflow", "flow": "thanks", "next": "back" },
          "stop":   { "type": "hangup" },
          "back":   { "type": "return" } } }
        """;

    private const string Thanks = """
        { "name": "thanks", "start": "say", "nodes": {
          "say":  { "type": "play", "prompts": ["thanks"], "next": "done" },
          "done": { "type": "return" } } }
        """;

    private string _dir = "";

    [SetUp] public void SetUp() => _dir = RepositoryPaths.NewScratchDirectory("ivr-sub");
    [TearDown] public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static FlowDocument Parse(string json)
    {
        var (flow, errors) = FlowParser.ParseAndValidate(json, ValidationContext.Lenient);
        Assert.That(flow, Is.Not.Null, string.Join("; ", errors));
        return flow!;
    }

    private async Task<SimulationResult> Run(string script)
    {
        var (parsed, error) = SimulationScript.Parse(script);
        Assert.That(parsed, Is.Not.Null, error);
        return await Simulator.RunAsync(FlowSnapshot.Of(Parse(Main), 1, Parse(Rating), Parse(Thanks)), parsed!, _dir);
    }

    [Test]
    public async Task Return_comes_back_to_the_node_after_the_subflow_with_the_variable_it_set()
    {
        var r = await Run("press 1");

        // The key barges into the collect prompt, so rate_us is not heard to its end (not listed as played).
        Assert.That(r.Channel.Played, Is.EqualTo(new[] { "greeting", "glad", "goodbye" }));
        Assert.That(r.Run.Trace.Select(t => $"{t.Flow}/{t.Node}"), Is.EqualTo(new[]
        {
            "main/hello", "main/survey", "rating/ask", "rating/check", "rating/back", "main/thanked", "main/glad", "main/bye", "main/end",
        }));
        Assert.That(r.Run.Variables["score"], Is.EqualTo("1"));
        Assert.That(r.Run.Outcome, Is.EqualTo(RunOutcome.Completed));
    }

    [Test]
    public async Task A_subflow_inside_a_subflow_returns_level_by_level()
    {
        var r = await Run("press 9");

        Assert.That(r.Channel.Played, Is.EqualTo(new[] { "greeting", "thanks", "sorry", "goodbye" }));
        Assert.That(r.Run.Trace.Select(t => t.Flow).Distinct(), Is.EqualTo(new[] { "main", "rating", "thanks" }));
        Assert.That(r.Run.Trace.Select(t => $"{t.Flow}/{t.Node}").SkipWhile(n => n != "thanks/done").Take(3),
            Is.EqualTo(new[] { "thanks/done", "rating/back", "main/thanked" }));
    }

    [Test]
    public async Task A_hangup_node_in_a_subflow_ends_the_whole_call()
    {
        var r = await Run("press 0");

        Assert.That(r.Channel.Played, Is.EqualTo(new[] { "greeting" }));
        Assert.That(r.Run.Trace.Last().Node, Is.EqualTo("stop"));
        Assert.That(r.Channel.HungUpByFlow, Is.True);
    }

    [Test]
    public async Task A_caller_hanging_up_in_a_subflow_goes_to_the_main_flows_onHangup()
    {
        var r = await Run("hangup");

        Assert.That(r.Run.Outcome, Is.EqualTo(RunOutcome.HungUp));
        Assert.That(r.Run.Trace.Last().Flow + "/" + r.Run.Trace.Last().Node, Is.EqualTo("main/kept"));
    }

    [Test]
    public async Task No_answer_in_the_subflow_takes_its_noInput_exit_and_returns()
    {
        var r = await Run("wait");

        // One retry by default: the question is asked twice, then noInput returns to the main flow.
        Assert.That(r.Channel.Played, Is.EqualTo(new[] { "greeting", "rate_us", "rate_us", "sorry", "goodbye" }));
    }
}
