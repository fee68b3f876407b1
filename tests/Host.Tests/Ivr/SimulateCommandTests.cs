using Telephony.Host.Commands;
using Telephony.Testing;

namespace Telephony.Host.Tests.Ivr;

/// <summary><c>simulate</c> checks and runs a flow against the prompts a real call would have: the defaults and the admin's additions.</summary>
public class SimulateCommandTests
{
    private string dir = "";

    [SetUp]
    public void SetUp() => dir = RepositoryPaths.NewScratchDirectory("simulate");

    [TearDown]
    public void TearDown() => Directory.Delete(dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string FlowPlaying(string prompt) => Write("notice.json", $$"""
        { "name": "notice", "start": "say", "nodes": {
            "say": { "type": "play", "prompts": ["greeting", "{{prompt}}"], "next": "bye" },
            "bye": { "type": "hangup" } } }
        """);

    private string ConfigWithCustomPrompts() =>
        Write("config.json", $$"""{ "Paths": { "CustomPrompts": "{{Path.Combine(dir, "custom").Replace("\\", "\\\\")}}" } }""");

    private async Task<(int Exit, string Output, string Errors)> SimulateAsync(string flow, string? config)
    {
        var script = Write("script.txt", "# nothing to say\nhangup\n");
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await SimulateCommand.RunAsync(flow, script, output, errors, config);
        return (exit, output.ToString(), errors.ToString());
    }

    [Test]
    public async Task A_prompt_uploaded_by_the_admin_is_known_to_the_simulator()
    {
        Directory.CreateDirectory(Path.Combine(dir, "custom"));
        WavFile.WriteSilence(Path.Combine(dir, "custom", "holiday_notice.wav"), TimeSpan.FromSeconds(1), 16000);
        var (exit, output, errors) = await SimulateAsync(FlowPlaying("holiday_notice"), ConfigWithCustomPrompts());
        Assert.That(exit, Is.EqualTo(0), errors);
        Assert.That(output, Does.Contain("holiday_notice"), "the trace shows the uploaded prompt played");
    }

    [Test]
    public async Task A_prompt_nobody_uploaded_is_rejected_naming_the_node()
    {
        var (exit, _, errors) = await SimulateAsync(FlowPlaying("holiday_notice"), ConfigWithCustomPrompts());
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("say").And.Contain("holiday_notice"));
    }
}
