using Telephony.Ivr.Flow;
using Telephony.Ivr.Validation;

namespace Telephony.Ivr.Tests;

public class FlowValidatorTests
{
    private static readonly ValidationContext Context = new(new HashSet<string> { "greeting", "goodbye", "menu" }, n => n == "progress");

    private static IReadOnlyList<FlowError> Errors(string nodes, string extra = "")
    {
        var json = $$"""{ "name": "t", "start": "a", {{extra}} "nodes": { {{nodes}} } }""";
        var (flow, errors) = FlowParser.ParseAndValidate(json, Context);
        Assert.That(flow is null, Is.EqualTo(errors.Count > 0));
        return errors;
    }

    [Test]
    public void A_good_flow_has_no_errors() =>
        Assert.That(Errors("""
            "a": { "type": "play", "prompts": ["greeting"], "next": "b" },
            "b": { "type": "branch", "cases": [ { "when": "hour >= 8 && !holiday", "next": "c" } ], "else": "c" },
            "c": { "type": "hangup" }
            """), Is.Empty);

    [Test]
    public void Unknown_node_type_is_rejected_naming_the_node()
    {
        var errors = Errors("""
            "a": { "type": "dance", "next": "b" },
            "b": { "type": "hangup" }
            """);
        Assert.That(errors.Any(e => e.Kind == FlowErrorKind.UnknownNodeType && e.Node == "a" && e.Reason.Contains("dance")), Is.True, string.Join("; ", errors));
    }

    [Test]
    public void Unreachable_node_is_rejected()
    {
        var errors = Errors("""
            "a": { "type": "hangup" },
            "orphan": { "type": "hangup" }
            """);
        Assert.That(errors.Single(), Is.EqualTo(new FlowError(FlowErrorKind.UnreachableNode, "orphan", errors.Single().Reason)));
    }

    [Test]
    public void Dangling_exit_is_rejected_naming_exit_and_target()
    {
        var errors = Errors("""
            "a": { "type": "transcribe", "next": "b", "error": "nowhere" },
            "b": { "type": "hangup" }
            """);
        Assert.That(errors.Single(e => e.Kind == FlowErrorKind.DanglingExit).Reason, Does.Contain("'error'").And.Contain("nowhere"));
        Assert.That(errors.Single(e => e.Kind == FlowErrorKind.DanglingExit).Node, Is.EqualTo("a"));
    }

    [Test]
    public void Missing_next_is_a_dangling_exit()
    {
        var errors = Errors("""
            "a": { "type": "play", "prompts": ["greeting"] }
            """);
        Assert.That(errors.Any(e => e.Kind == FlowErrorKind.DanglingExit && e.Node == "a" && e.Reason.Contains("goes nowhere")), Is.True, string.Join("; ", errors));
    }

    [Test]
    public void Loop_without_exit_is_rejected()
    {
        var errors = Errors("""
            "a": { "type": "play", "prompts": ["greeting"], "next": "b" },
            "b": { "type": "play", "prompts": ["goodbye"], "next": "a" }
            """);
        Assert.That(errors.Where(e => e.Kind == FlowErrorKind.LoopWithoutExit).Select(e => e.Node), Is.EquivalentTo(new[] { "a", "b" }));
    }

    [Test]
    public void A_loop_with_a_way_out_is_accepted() =>
        Assert.That(Errors("""
            "a": { "type": "menu", "prompts": ["menu"], "choices": { "1": "a", "9": "z" } },
            "z": { "type": "hangup" }
            """), Is.Empty);

    [Test]
    public void Missing_prompt_is_rejected_against_the_catalogue()
    {
        var errors = Errors("""
            "a": { "type": "play", "prompts": ["greeting", "not_recorded"], "next": "b" },
            "b": { "type": "hangup" }
            """);
        Assert.That(errors.Single(), Has.Property("Kind").EqualTo(FlowErrorKind.MissingPrompt).And.Property("Node").EqualTo("a"));
        Assert.That(errors.Single().Reason, Does.Contain("not_recorded"));
    }

    [Test]
    public void Say_digits_needs_the_digit_prompts()
    {
        var errors = Errors("""
            "a": { "type": "sayDigits", "variable": "queryCode", "next": "b" },
            "b": { "type": "hangup" }
            """);
        Assert.That(errors.Where(e => e.Kind == FlowErrorKind.MissingPrompt).Select(e => e.Reason), Has.Some.Contains("digit_0").And.Some.Contains("digit_9"));
    }

    [TestCase("emergency &&", "ends too early")]
    [TestCase("category == '路灯", "unterminated string")]
    [TestCase("(hour > 8", "missing ')'")]
    [TestCase("colour == 'red'", "unknown variable 'colour'")]
    [TestCase("exec('rm')", "unknown function 'exec'")]
    [TestCase("contains(transcript)", "takes 2 arguments")]
    public void Bad_expression_is_rejected_with_the_reason(string expression, string reason)
    {
        var errors = Errors($$"""
            "a": { "type": "branch", "cases": [ { "when": "{{expression.Replace("'", "\\u0027")}}", "next": "b" } ], "else": "b" },
            "b": { "type": "hangup" }
            """);
        Assert.That(errors.Single(), Has.Property("Kind").EqualTo(FlowErrorKind.BadExpression).And.Property("Node").EqualTo("a"));
        Assert.That(errors.Single().Reason, Does.Contain(reason));
    }

    [Test]
    public void Subflow_not_found_is_rejected()
    {
        var errors = Errors("""
            "a": { "type": "subflow", "flow": "progress", "next": "b" },
            "b": { "type": "subflow", "flow": "missing", "next": "c" },
            "c": { "type": "hangup" }
            """);
        Assert.That(errors.Single(), Has.Property("Kind").EqualTo(FlowErrorKind.SubflowNotFound).And.Property("Node").EqualTo("b"));
    }

    [Test]
    public void A_document_that_breaks_the_schema_is_rejected_naming_the_node()
    {
        var errors = Errors("""
            "a": { "type": "record", "maxSeconds": "long", "next": "b" },
            "b": { "type": "hangup" }
            """);
        Assert.That(errors.First(), Has.Property("Kind").EqualTo(FlowErrorKind.Malformed).And.Property("Node").EqualTo("a"));
    }

    [Test]
    public void Not_json_is_rejected_without_throwing()
    {
        var (flow, errors) = FlowParser.ParseAndValidate("{ \"name\": ", Context);
        Assert.That(flow, Is.Null);
        Assert.That(errors.Single().Kind, Is.EqualTo(FlowErrorKind.Malformed));
    }

    [Test]
    public void The_default_12345_flow_is_valid_against_the_prompt_catalogue()
    {
        var prompts = PromptCatalog.Load(Path.Combine(RepositoryPaths.Root, "prompts", "prompts.tsv"));
        var (flow, errors) = FlowParser.ParseAndValidate(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "flows", "12345.json")), new ValidationContext(prompts, _ => false));
        Assert.That(errors, Is.Empty, string.Join("; ", errors));
        Assert.That(flow!.GlobalKeys.Keys, Is.EquivalentTo(new[] { "0", "2" }));
    }
}
