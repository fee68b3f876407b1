using Telephony.Ivr.Flow;
using Telephony.Ivr.Runtime;
using Telephony.Ivr.Simulation;
using Telephony.Ivr.Validation;

namespace Telephony.Ivr.Tests;

/// <summary>The shipped flows/12345.json driven by scripts through the simulator.</summary>
public class DefaultFlowSimulationTests
{
    private string _dir = "";

    [SetUp] public void SetUp() => _dir = RepositoryPaths.NewScratchDirectory("ivr-sim");
    [TearDown] public void TearDown() => Directory.Delete(_dir, recursive: true);

    private async Task<SimulationResult> Run(string script)
    {
        var (flow, errors) = FlowParser.ParseAndValidate(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "flows", "12345.json")), ValidationContext.Lenient);
        Assert.That(flow, Is.Not.Null, string.Join("; ", errors));
        var (parsed, error) = SimulationScript.Parse(script);
        Assert.That(parsed, Is.Not.Null, error);
        return await Simulator.RunAsync(FlowSnapshot.Of(flow!), parsed!, _dir);
    }

    private static IEnumerable<string> Nodes(SimulationResult r) => r.Run.Trace.Select(t => t.Node);

    [Test]
    public async Task Normal_request_creates_a_draft_and_reads_the_query_code_back_digit_by_digit()
    {
        var r = await Run("say 我家楼下的路灯坏了三天了");
        var draft = r.WorkOrders.Drafts.Single();
        Assert.That(draft.Transcript, Is.EqualTo("我家楼下的路灯坏了三天了"));
        Assert.That(draft.Classification!.Category, Is.EqualTo("城市管理"));
        Assert.That(File.Exists(draft.RecordingPath), Is.True, "the recording is on disk");
        var code = (string)r.Run.Variables["queryCode"]!;
        var expected = new[] { "query_code_is" }.Concat(code.Select(d => $"digit_{d}")).Append("accepted").Append("goodbye");
        Assert.That(r.Channel.Played.SkipWhile(p => p != "query_code_is"), Is.EqualTo(expected));
        Assert.That(r.Run.Outcome, Is.EqualTo(RunOutcome.Completed));
        Assert.That(r.Channel.HungUpByFlow, Is.True);
    }

    [Test]
    public async Task After_the_draft_the_caller_is_offered_to_the_citizen_queue_and_with_nobody_there_hears_the_code()
    {
        var r = await Run("say 我家楼下的路灯坏了三天了");
        Assert.That(Nodes(r), Is.EqualTo(new[] { "greeting", "record", "transcribe", "classify", "is_emergency", "draft", "to_agent", "read_code", "accepted", "goodbye", "end" }));
        Assert.That(r.Transfers.Requested, Is.EqualTo(new[] { "queue:citizen" }));
        Assert.That(r.Run.Trace.Single(t => t.Node == "to_agent").Exit, Is.EqualTo("unavailable"));
    }

    [TestCase("楼道里着火了，好多烟", "119")]
    [TestCase("有人在街上持刀抢劫", "110")]
    [TestCase("我爸爸晕倒了", "120")]
    public async Task Emergency_is_advised_to_call_the_right_number_and_offered_a_transfer(string speech, string number)
    {
        var r = await Run($"say {speech}\npress 1");
        Assert.That(Nodes(r), Does.Contain("advise_emergency"));
        Assert.That(r.Channel.Played, Does.Contain("emergency_advice"));
        var advice = r.Channel.Played.SkipWhile(p => p != "emergency_advice").Skip(1).Take(3);
        Assert.That(advice, Is.EqualTo(number.Select(d => $"digit_{d}")));
        // The outside transfer first; when it cannot be made, the draft goes to a person like any other request.
        Assert.That(r.Transfers.Requested, Is.EqualTo(new[] { "number:" + number, "queue:citizen" }));
        // No trunk in the simulator: the caller hears so, and the request is still kept as a draft.
        Assert.That(r.Channel.Played, Does.Contain("transfer_unavailable"));
        Assert.That(r.WorkOrders.Drafts, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Urgent_non_emergency_goes_to_a_draft_with_urgency_kept()
    {
        var r = await Run("say 马上就要停水了，很紧急");
        Assert.That(Nodes(r), Does.Not.Contain("advise_emergency"));
        Assert.That(r.WorkOrders.Drafts.Single().Classification!.Urgency, Is.EqualTo("urgent"));
    }

    [Test]
    public async Task Two_during_the_greeting_gives_the_progress_of_a_query_code()
    {
        var r = await Run("order 2026000042 已派发至城管局办理\npress 2\npress 2026000042#");
        Assert.That(Nodes(r), Is.EqualTo(new[] { "greeting", "progress_enter", "progress_lookup", "progress_say", "goodbye", "end" }));
        Assert.That(r.Channel.Played, Does.Contain("tts:已派发至城管局办理"));
        Assert.That(r.WorkOrders.Drafts, Is.Empty);
    }

    [Test]
    public async Task Unknown_query_code_is_said_not_found()
    {
        var r = await Run("press 2\npress 999#");
        Assert.That(r.Channel.Played, Does.Contain("progress_not_found"));
    }

    [Test]
    public async Task Zero_asks_for_a_person_hears_there_are_none_and_the_request_is_recorded()
    {
        var r = await Run("press 0\nsay 我想投诉噪音扰民");
        // Asked at once on 0, and once more after the draft (an agent may have logged in meanwhile).
        Assert.That(r.Transfers.Requested, Is.EqualTo(new[] { "queue:citizen", "queue:citizen" }));
        Assert.That(r.Channel.Played.Count(p => p == "no_agents"), Is.EqualTo(1), "told once that nobody is there");
        Assert.That(r.Channel.Played, Does.Contain("no_agents"));
        Assert.That(r.WorkOrders.Drafts.Single().Transcript, Is.EqualTo("我想投诉噪音扰民"));
    }

    [Test]
    public async Task Hang_up_mid_record_keeps_the_recording_and_makes_a_draft()
    {
        var r = await Run("say-and-hangup 小区门口的井盖丢了");
        Assert.That(r.Run.Outcome, Is.EqualTo(RunOutcome.HungUp));
        var draft = r.WorkOrders.Drafts.Single();
        Assert.That(File.Exists(draft.RecordingPath), Is.True);
        Assert.That(draft.Transcript, Is.EqualTo("小区门口的井盖丢了"));
        Assert.That(r.Channel.HungUpByFlow, Is.False);
    }

    [Test]
    public async Task Transcriber_failure_still_creates_a_draft_with_the_recording()
    {
        var r = await Run("fail transcribe\nsay 路灯坏了");
        var draft = r.WorkOrders.Drafts.Single();
        Assert.That(draft.Transcript, Is.Null);
        Assert.That(File.Exists(draft.RecordingPath), Is.True);
        Assert.That(r.Run.Trace.Single(t => t.Node == "transcribe").Exit, Is.EqualTo("error"));
        Assert.That(r.Channel.Played, Does.Contain("query_code_is"));
    }

    [Test]
    public async Task Store_failure_says_the_recording_is_kept()
    {
        var r = await Run("fail draft\nsay 路灯坏了");
        Assert.That(r.Channel.Played, Does.Contain("draft_failed"));
        Assert.That(r.Run.Variables["recording"], Is.Not.Null);
    }

    [Test]
    public async Task Silence_twice_says_goodbye_without_a_draft()
    {
        var r = await Run("silence\nsilence");
        Assert.That(Nodes(r), Is.EqualTo(new[] { "greeting", "record", "no_speech", "record_again", "goodbye", "end" }));
        Assert.That(r.WorkOrders.Drafts, Is.Empty);
    }
}
