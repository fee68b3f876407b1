using Telephony.EndToEnd.Media;
using Telephony.Media.Audio;
using Telephony.Testing;

namespace Telephony.EndToEnd.Trunk;

/// <summary>
/// Transfer to 119 over the SIP trunk (issue 8), with <see cref="TrunkRig"/>: the hotline runs <c>trunk-e2e.json</c>,
/// the default flow's emergency offer and <c>external</c> node on their own (with whisper's tiny test model the
/// transcript is meaningless, so the classifier's emergency branch cannot be reached by speech). The citizen presses 1;
/// a second baresip is the 119 gateway. Answered: both hear each other (normalized cross-correlation ≥ 0.9, PCMU on
/// the citizen's side, PCMA on the gateway's) and the gateway's BYE ends the citizen's call. Refused (486), or not
/// answered within the ring timeout (CANCEL): the citizen hears <c>transfer_unavailable</c>. The citizen hanging up
/// while it rings cancels the gateway's call.
/// </summary>
[NonParallelizable]
public class TrunkTransferEndToEndTests
{
    private const double MinCorrelation = 0.9;
    private const string CitizenSays = "wo3 jia1 lou2 xia4 zhao2 huo3 le5, yan1 hen3 da4, qing3 kuai4 lai2";
    private const string GatewaySays = "zhe4 li3 shi4 yao1 yao1 jiu3, qing3 shuo1 di4 zhi3";

    private string _scratch = "";

    [SetUp]
    public void Scratch() => _scratch = RepositoryPaths.NewScratchDirectory("trunk-e2e");

    [TearDown]
    public void Clean()
    {
        if (TestContext.CurrentContext.Result.FailCount > 0) return; // kept for a look at what went wrong
        try { Directory.Delete(_scratch, recursive: true); } catch (IOException) { }
    }

    private static BaresipOptions Ringing(BaresipAnswerMode mode) => new()
    {
        Account = new BaresipAccount { User = "119", AnswerMode = mode }, Record = false,
    };

    private static BaresipOptions Silent() => new()
    {
        Account = new BaresipAccount { User = TrunkRig.CitizenNumber, AudioCodecs = ["PCMU"] }, Record = false, AudioPadding = TimeSpan.FromSeconds(60),
    };

    [Test]
    public async Task Pressing_1_rings_119_over_the_trunk_the_gateway_answers_both_hear_each_other_and_its_hangup_ends_the_call()
    {
        var citizenPhrase = await SpeechFiles.SpeakAsync(CitizenSays, Path.Combine(_scratch, "citizen-phrase.wav"), 8000);
        var gatewayPhrase = await SpeechFiles.SpeakAsync(GatewaySays, Path.Combine(_scratch, "gateway-phrase.wav"), 8000);
        var citizenAudio = TrunkRig.Talk(citizenPhrase.Samples, 40);
        var gatewayAudio = TrunkRig.Talk(gatewayPhrase.Samples, 40, lead: 0.3);
        WavWriter.Write(Path.Combine(_scratch, "citizen.wav"), 8000, WavEncoding.Pcm16, citizenAudio);
        WavWriter.Write(Path.Combine(_scratch, "gateway.wav"), 8000, WavEncoding.Pcm16, gatewayAudio);

        await using var rig = await TrunkRig.StartAsync(_scratch,
            new BaresipOptions
            {
                Account = new BaresipAccount { User = "119", AnswerMode = BaresipAnswerMode.Auto, AudioCodecs = ["PCMA"] },
                AudioSource = Path.Combine(_scratch, "gateway.wav"), AudioPadding = TimeSpan.FromSeconds(5),
            },
            ringTimeoutSeconds: 20,
            new BaresipOptions
            {
                Account = new BaresipAccount { User = TrunkRig.CitizenNumber, AudioCodecs = ["PCMU"] },
                AudioSource = Path.Combine(_scratch, "citizen.wav"), AudioPadding = TimeSpan.FromSeconds(5),
            });
        await rig.PressOneAsync(BaresipEvents.CallEstablished);
        var bridgedAt = (DateTime.UtcNow - rig.CitizenStart).TotalSeconds;

        await Task.Delay(TimeSpan.FromSeconds(7));
        await rig.Gateway.HangupAsync();
        await rig.Gateway.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(10));
        await rig.Citizen.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(10));

        var citizenHeard = await rig.HeardAsync(rig.Citizen);
        var gatewayHeard = await rig.HeardAsync(rig.Gateway);
        // What each sent while bridged: from 2 s after the answer (the ACK and the end of the ringback come first).
        var atCitizen = AudioMatch.Find(gatewayAudio.AsSpan(2 * 8000, 3 * 8000).ToArray(), citizenHeard);
        var atGateway = AudioMatch.Find(citizenAudio.AsSpan((int)((bridgedAt + 2) * 8000), 3 * 8000).ToArray(), gatewayHeard);
        TestContext.Out.WriteLine($"bridged {bridgedAt:F1} s into the call; gateway → citizen {atCitizen.Correlation:F4} at {atCitizen.Lag / 8000.0:F2} s; " +
            $"citizen → gateway {atGateway.Correlation:F4} at {atGateway.Lag / 8000.0:F2} s");
        var played = await rig.PlayedAsync();
        var log = rig.Hotline.Log;
        Assert.Multiple(() =>
        {
            Assert.That(atCitizen.Correlation, Is.GreaterThanOrEqualTo(MinCorrelation), "the citizen heard the gateway (PCMA → PCMU transcoded)");
            Assert.That(atGateway.Correlation, Is.GreaterThanOrEqualTo(MinCorrelation), "the gateway heard the citizen");
            Assert.That(played, Is.EqualTo("emergency_offer"), "no transfer_unavailable");
            Assert.That(log, Does.Match(@"flow ""?trunk-e2e""? v\d+ Transferred"), "the flow ended transferred");
            Assert.That(log, Does.Match(@"ringing ""?119""? at ""?127.0.0.1""? over the trunk"), "the transfer is logged");
            Assert.That(log, Does.Match(@"number ""?119""? hung up; hanging up the caller"), "the gateway's BYE ended the citizen's call");
            Assert.That(log, Does.Not.Contain(TrunkRig.CitizenNumber), "the log masks the citizen's number");
        });
    }

    [Test]
    public async Task A_gateway_that_refuses_the_call_takes_the_flow_to_transfer_unavailable()
    {
        await using var rig = await TrunkRig.StartAsync(_scratch, Ringing(BaresipAnswerMode.Manual), ringTimeoutSeconds: 20, Silent());
        await rig.PressOneAsync();
        await Task.Delay(1000);
        await rig.Gateway.HangupAsync(); // baresip refuses a ringing call with 486 Busy Here
        await rig.Citizen.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(30));

        var played = await rig.PlayedAsync();
        Assert.Multiple(() =>
        {
            Assert.That(played, Is.EqualTo("emergency_offer transfer_unavailable"));
            Assert.That(rig.Hotline.Log, Does.Match(@"119""? not reached over the trunk \(""?Declined""?, 486\): ""?Unavailable"), $"the refusal is logged. Log:\n{rig.Log()}");
        });
    }

    [Test]
    public async Task A_gateway_that_does_not_answer_in_time_is_cancelled_and_the_caller_hears_transfer_unavailable()
    {
        await using var rig = await TrunkRig.StartAsync(_scratch, Ringing(BaresipAnswerMode.Manual), ringTimeoutSeconds: 3, Silent() with { Record = true });
        await rig.PressOneAsync();
        await rig.Gateway.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(10)); // our CANCEL after 3 s
        await rig.Citizen.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(30));

        var played = await rig.PlayedAsync();
        // The ringback's first half second of 450 Hz, heard after 1 was pressed (1.5 s into the call).
        var tone = ToneGenerator.Render(TonePattern.ChinaRingback, 8000).AsSpan(0, 4000).ToArray();
        var heard = await rig.HeardAsync(rig.Citizen);
        var ringback = AudioMatch.Find(tone, heard);
        TestContext.Out.WriteLine($"ringback {ringback.Correlation:F4} at {ringback.Lag / 8000.0:F2} s");
        Assert.Multiple(() =>
        {
            Assert.That(ringback.Correlation, Is.GreaterThanOrEqualTo(MinCorrelation), "the caller heard ringback while 119 rang");
            Assert.That(ringback.Lag / 8000.0, Is.GreaterThan(1.0), "after pressing 1");
            Assert.That(played, Is.EqualTo("emergency_offer transfer_unavailable"));
            Assert.That(rig.Hotline.Log, Does.Contain("no answer within 3 s"), $"the ring timeout is logged. Log:\n{rig.Log()}");
        });
    }

    [Test]
    public async Task The_caller_hanging_up_while_119_rings_cancels_the_gateways_call()
    {
        await using var rig = await TrunkRig.StartAsync(_scratch, Ringing(BaresipAnswerMode.Manual), ringTimeoutSeconds: 20, Silent());
        await rig.PressOneAsync();
        await Task.Delay(1000);
        await rig.Citizen.HangupAsync();
        // Well inside the 20 s ring timeout: only the caller's hang-up can have ended it.
        await rig.Gateway.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(5));

        await rig.PlayedAsync();
        Assert.That(rig.Hotline.Log, Does.Match(@"119""? not reached over the trunk \(""?Withdrawn""?, null\): ""?HungUp"), $"the CANCEL is logged. Log:\n{rig.Log()}");
    }
}
