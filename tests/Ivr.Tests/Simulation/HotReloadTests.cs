using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Ivr.Runtime;
using Telephony.Ivr.Services;
using Telephony.Ivr.Simulation;
using Telephony.Ivr.Store;
using Telephony.Ivr.Validation;
using Telephony.Media.Channel;

namespace Telephony.Ivr.Tests.Simulation;

/// <summary>
/// Hot reload with calls in progress, as serve does it (src/Host/Ivr/IvrCalls.cs): each call takes the store's snapshot
/// when it is answered. A call held mid-recording while an admin activates a new version (of the flow or of a sub-flow)
/// finishes on the version it started on; a call answered meanwhile runs the new one.
/// </summary>
public class HotReloadTests
{
    private string _dir = "";
    private FlowStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = RepositoryPaths.NewScratchDirectory("ivr-reload");
        _store = new FlowStore(Path.Combine(_dir, "flows"), () => new ValidationContext(
            new HashSet<string> { "main_v1", "main_v2", "sub_v1", "sub_v2" }, _ => false));
    }

    [TearDown] public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static string MainFlow(string prompt) => $$"""
        { "name": "main", "start": "a", "nodes": {
          "a": { "type": "play", "prompts": ["{{prompt}}"], "next": "r" },
          "r": { "type": "record", "next": "s" },
          "s": { "type": "subflow", "flow": "sub", "next": "b" },
          "b": { "type": "play", "prompts": ["{{prompt}}"], "next": "z" },
          "z": { "type": "hangup" } } }
        """;

    private static string Sub(string prompt) => $$"""
        { "name": "sub", "start": "p", "nodes": { "p": { "type": "play", "prompts": ["{{prompt}}"], "next": "x" }, "x": { "type": "return" } } }
        """;

    /// <summary>One call: the snapshot at answer time, then the flow run over a channel whose recording waits for <paramref name="hold"/>.</summary>
    private Task<RunResult> Answer(string callId, Task? hold = null, TaskCompletionSource? recording = null)
    {
        var snapshot = _store.Snapshot("main") ?? throw new AssertionException("no active main flow");
        var (script, _) = SimulationScript.Parse("say 路灯坏了");
        var channel = new HeldChannel(new ScriptedCallChannel(script!, _dir, callId), hold ?? Task.CompletedTask, recording);
        var services = new IvrServices(new FakeSpeechToText(channel.Inner, false), new FakeClassifier(false), new FakeTextToSpeech(),
            new FakeWorkOrders(new Dictionary<string, string>(), new HashSet<string>()), new UnavailableTransfers(), new UnavailableTransfers(),
            new WeekendOnlyCalendar(), TimeProvider.System);
        return Task.Run(() => new FlowRunner(services, NullLogger.Instance).RunAsync(channel, snapshot));
    }

    [Test]
    public async Task A_flow_activated_during_a_call_leaves_that_call_on_its_version_and_the_next_call_runs_the_new_one()
    {
        Assert.That(_store.Save(Sub("sub_v1"), activate: true).Ok, Is.True);
        Assert.That(_store.Save(MainFlow("main_v1"), activate: true).Ok, Is.True);
        var release = new TaskCompletionSource();
        var recording = new TaskCompletionSource();
        var first = Answer("call-1", release.Task, recording);
        await recording.Task.WaitAsync(TimeSpan.FromSeconds(10));  // the first caller is speaking

        Assert.That(_store.Save(MainFlow("main_v2"), activate: true).Version, Is.EqualTo(2));
        var second = await Answer("call-2").WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(first.IsCompleted, Is.False, "the first call is still in progress");
        release.SetResult();
        var firstResult = await first.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(firstResult.FlowVersion, Is.EqualTo(1));
        Assert.That(firstResult.Played, Is.EqualTo(new[] { "main_v1", "sub_v1", "main_v1" }), "v1 to the end although v2 became active mid-call");
        Assert.That(firstResult.Outcome, Is.EqualTo(RunOutcome.Completed));
        Assert.That(second.FlowVersion, Is.EqualTo(2));
        Assert.That(second.Played, Is.EqualTo(new[] { "main_v2", "sub_v1", "main_v2" }));
    }

    [Test]
    public async Task A_subflow_activated_during_a_call_is_not_entered_by_that_call()
    {
        Assert.That(_store.Save(Sub("sub_v1"), activate: true).Ok, Is.True);
        Assert.That(_store.Save(MainFlow("main_v1"), activate: true).Ok, Is.True);
        var release = new TaskCompletionSource();
        var recording = new TaskCompletionSource();
        var first = Answer("call-1", release.Task, recording);
        await recording.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(_store.Save(Sub("sub_v2"), activate: true).Version, Is.EqualTo(2));
        release.SetResult();
        var firstResult = await first.WaitAsync(TimeSpan.FromSeconds(10));
        var second = await Answer("call-2").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(firstResult.Played, Is.EqualTo(new[] { "main_v1", "sub_v1", "main_v1" }), "the sub-flow was fixed when the call was answered");
        Assert.That(second.Played, Is.EqualTo(new[] { "main_v1", "sub_v2", "main_v1" }));
    }

    [Test]
    public async Task A_roll_back_during_a_call_leaves_that_call_on_the_newer_version()
    {
        _store.Save(Sub("sub_v1"), activate: true);
        _store.Save(MainFlow("main_v1"), activate: true);
        _store.Save(MainFlow("main_v2"), activate: true);
        var release = new TaskCompletionSource();
        var recording = new TaskCompletionSource();
        var first = Answer("call-1", release.Task, recording);
        await recording.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(_store.RollBack("main").Version, Is.EqualTo(1));
        release.SetResult();
        var firstResult = await first.WaitAsync(TimeSpan.FromSeconds(10));
        var second = await Answer("call-2").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That((firstResult.FlowVersion, second.FlowVersion), Is.EqualTo((2, 1)));
        Assert.That(firstResult.Played[^1], Is.EqualTo("main_v2"));
        Assert.That(second.Played[^1], Is.EqualTo("main_v1"));
    }

    /// <summary>A scripted call whose recording signals it started and then waits, like a caller still talking.</summary>
    private sealed class HeldChannel(ScriptedCallChannel inner, Task hold, TaskCompletionSource? recording) : ICallChannel
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
        public Task<PlayResult> PlayAsync(IReadOnlyList<AudioItem> items, PlayOptions options, CancellationToken c = default) => inner.PlayAsync(items, options, c);
        public Task<DigitsResult> CollectDigitsAsync(DigitOptions options, CancellationToken c = default) => inner.CollectDigitsAsync(options, c);
        public Task HangupAsync() => inner.HangupAsync();

        public async Task<RecordResult> RecordAsync(RecordOptions options, CancellationToken c = default)
        {
            recording?.TrySetResult();
            await hold.WaitAsync(c);
            return await inner.RecordAsync(options, c);
        }
    }
}
