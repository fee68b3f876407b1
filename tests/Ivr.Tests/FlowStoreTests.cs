using Telephony.Ivr.Flow;
using Telephony.Ivr.Runtime;
using Telephony.Ivr.Simulation;
using Telephony.Ivr.Store;
using Telephony.Ivr.Validation;

namespace Telephony.Ivr.Tests;

public class FlowStoreTests
{
    private string _dir = "";
    private FlowStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = RepositoryPaths.NewScratchDirectory("ivr-store");
        _store = new FlowStore(Path.Combine(_dir, "flows"), () => new ValidationContext(new HashSet<string> { "v1", "v2", "hello" }, _ => false));
    }

    [TearDown] public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static string Flow(string prompt, string name = "main") => $$"""
        { "name": "{{name}}", "start": "a", "nodes": {
          "a": { "type": "play", "prompts": ["{{prompt}}"], "next": "r" },
          "r": { "type": "record", "next": "b" },
          "b": { "type": "play", "prompts": ["{{prompt}}"], "next": "z" },
          "z": { "type": "hangup" } } }
        """;

    [Test]
    public void Save_adds_versions_activate_and_roll_back_move_the_pointer()
    {
        Assert.That(_store.Save(Flow("v1"), activate: true).Version, Is.EqualTo(1));
        Assert.That(_store.Save(Flow("v2")).Version, Is.EqualTo(2));
        Assert.That(_store.Info("main")!.Active, Is.EqualTo(1), "saving does not activate");
        Assert.That(_store.Activate("main", 2).Ok, Is.True);
        Assert.That(_store.Snapshot("main")!.Main.Nodes["a"].Prompts, Is.EqualTo(new[] { "v2" }));
        Assert.That(_store.RollBack("main").Version, Is.EqualTo(1));
        Assert.That(File.ReadAllText(Path.Combine(_dir, "flows", "main", "active")), Is.EqualTo("1"));
        Assert.That(_store.List().Single(), Has.Property("Versions").EqualTo(new[] { 1, 2 }));
        Assert.That(Directory.GetFiles(Path.Combine(_dir, "flows", "main"), "*.tmp"), Is.Empty);
    }

    [Test]
    public void Invalid_flow_is_not_saved_and_changes_nothing()
    {
        _store.Save(Flow("v1"), activate: true);
        var result = _store.Save(Flow("not_in_catalogue"));
        Assert.That(result.Ok, Is.False);
        Assert.That(result.Errors.First(), Has.Property("Kind").EqualTo(FlowErrorKind.MissingPrompt).And.Property("Node").EqualTo("a"));
        Assert.That(_store.Info("main")!.Versions, Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void Roll_back_with_no_older_version_is_refused()
    {
        _store.Save(Flow("v1"), activate: true);
        Assert.That(_store.RollBack("main").Ok, Is.False);
        Assert.That(_store.Activate("main", 7).Errors.Single().Reason, Does.Contain("no version 7"));
    }

    [Test]
    public async Task A_call_in_progress_finishes_on_the_version_it_started_on()
    {
        _store.Save(Flow("v1"), activate: true);
        var snapshot = _store.Snapshot("main")!;
        // The call is mid-record when an admin activates v2: the channel activates it during the recording.
        var (script, _) = SimulationScript.Parse("say 路灯坏了");
        var channel = new ActivatingChannel(new ScriptedCallChannel(script!, _dir), () =>
        {
            Assert.That(_store.Save(Flow("v2"), activate: true).Ok, Is.True);
        });
        var services = new Telephony.Ivr.Services.IvrServices(new FakeSpeechToText(channel.Inner, false), new FakeClassifier(false), new FakeTextToSpeech(),
            new FakeWorkOrders(new Dictionary<string, string>(), new HashSet<string>()), new UnavailableTransfers(), new UnavailableTransfers(),
            new Telephony.Ivr.Services.WeekendOnlyCalendar(), TimeProvider.System);
        var run = await new FlowRunner(services, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).RunAsync(channel, snapshot);

        Assert.That(run.Played, Is.EqualTo(new[] { "v1", "v1" }), "both prompts from v1 although v2 became active mid-call");
        Assert.That(run.FlowVersion, Is.EqualTo(1));
        Assert.That(_store.Snapshot("main")!.Version, Is.EqualTo(2), "the next call gets v2");
        Assert.That(_store.Snapshot("main")!.Main.Nodes["b"].Prompts, Is.EqualTo(new[] { "v2" }));
    }

    /// <summary>Runs an action when the flow starts recording, then delegates.</summary>
    private sealed class ActivatingChannel(ScriptedCallChannel inner, Action onRecord) : Telephony.Media.Channel.ICallChannel
    {
        public ScriptedCallChannel Inner => inner;
        public string CallId => inner.CallId;
        public string Caller => inner.Caller;
        public string Callee => inner.Callee;
        public int SampleRate => inner.SampleRate;
        public CancellationToken Ended => inner.Ended;
        public event Action<char>? Digit { add => inner.Digit += value; remove => inner.Digit -= value; }
        public string PendingDigits => inner.PendingDigits;
        public void ClearDigits() => inner.ClearDigits();
        public Task<Telephony.Media.Channel.PlayResult> PlayAsync(IReadOnlyList<Telephony.Media.Channel.AudioItem> items, Telephony.Media.Channel.PlayOptions options, CancellationToken c = default) => inner.PlayAsync(items, options, c);
        public Task<Telephony.Media.Channel.DigitsResult> CollectDigitsAsync(Telephony.Media.Channel.DigitOptions options, CancellationToken c = default) => inner.CollectDigitsAsync(options, c);
        public Task<Telephony.Media.Channel.RecordResult> RecordAsync(Telephony.Media.Channel.RecordOptions options, CancellationToken c = default) { onRecord(); return inner.RecordAsync(options, c); }
        public Task HangupAsync() => inner.HangupAsync();
    }
}
