using System.Text.RegularExpressions;
using Telephony.EndToEnd.Agents;
using Telephony.EndToEnd.Media;
using Telephony.Media.Audio;
using Telephony.Media.Prompts;
using Telephony.Testing;

namespace Telephony.EndToEnd.Trunk;

/// <summary>
/// Transfer to 119 over the SIP trunk (issue 8): the hotline (in process, as <c>serve</c> builds it) runs
/// <c>trunk-e2e.json</c>, the default flow's emergency offer and <c>external</c> node on their own (with whisper's
/// tiny test model the transcript is meaningless, so the classifier's emergency branch cannot be driven by
/// speech). The citizen's baresip presses 1; a second baresip is the 119 gateway, reached through
/// <c>Trunk:Numbers:119</c>. Answered: both hear each other (normalized cross-correlation ≥ 0.9) and the
/// gateway's BYE ends the citizen's call. Refused, or not answered in time: the citizen hears
/// <c>transfer_unavailable</c>.
/// </summary>
[NonParallelizable]
public class TrunkTransferEndToEndTests
{
    private const double MinCorrelation = 0.9;
    private const string CitizenTalk = "wo3 jia1 lou2 xia4 zhao2 huo3 le5, yan1 hen3 da4, qing3 kuai4 lai2";
    private const string GatewayTalk = "zhe4 li3 shi4 yao1 yao1 jiu3, qing3 shuo1 di4 zhi3";
    private const string CitizenNumber = "13812345678";

    private string _scratch = "";

    [SetUp]
    public void Scratch() => _scratch = RepositoryPaths.NewScratchDirectory("trunk-e2e");

    [TearDown]
    public void Clean()
    {
        if (TestContext.CurrentContext.Result.FailCount == 0)
            try { Directory.Delete(_scratch, recursive: true); } catch (IOException) { }
    }

    [Test]
    public async Task Pressing_1_rings_119_over_the_trunk_the_gateway_answers_both_hear_each_other_and_its_hangup_ends_the_call()
    {
        var citizenTalk = await SpeechFiles.SpeakAsync(CitizenTalk, Path.Combine(_scratch, "citizen-talk.wav"), 8000);
        var gatewayTalk = await SpeechFiles.SpeakAsync(GatewayTalk, Path.Combine(_scratch, "gateway-talk.wav"), 8000);
        var citizenAudio = Repeat(citizenTalk.Samples, 20, 0.2);
        var gatewayAudio = Concat(Silence(0.3), Repeat(gatewayTalk.Samples, 25, 0.2));
        var citizenWav = Path.Combine(_scratch, "citizen.wav");
        var gatewayWav = Path.Combine(_scratch, "gateway.wav");
        WavWriter.Write(citizenWav, 8000, WavEncoding.Pcm16, citizenAudio);
        WavWriter.Write(gatewayWav, 8000, WavEncoding.Pcm16, gatewayAudio);

        await using var gateway = await Baresip.StartAsync(new BaresipOptions
        {
            Account = new BaresipAccount { User = "119", AnswerMode = BaresipAnswerMode.Auto, AudioCodecs = ["PCMA"] },
            AudioSource = gatewayWav, AudioPadding = TimeSpan.FromSeconds(5),
        });
        await using var hotline = await StartHotlineAsync(gateway.DirectUri, ringTimeoutSeconds: 20);
        string Log() => TextTail.Of(hotline.Log, 12000);

        await using var citizen = await Baresip.StartAsync(new BaresipOptions
        {
            Account = new BaresipAccount { User = CitizenNumber, AudioCodecs = ["PCMU"] },
            AudioSource = citizenWav, AudioPadding = TimeSpan.FromSeconds(5),
        });
        await citizen.DialAsync($"sip:12345@{hotline.SipTarget}");
        await citizen.WaitForEventAsync(BaresipEvents.CallEstablished, TimeSpan.FromSeconds(10));
        var citizenStart = DateTime.UtcNow;
        await Task.Delay(1500);
        await citizen.SendDtmfAsync("1");
        try { await gateway.WaitForEventAsync(BaresipEvents.CallEstablished, TimeSpan.FromSeconds(20)); }
        catch (AssertionException) { TestContext.Out.WriteLine($"The gateway never answered. Hotline log:\n{Log()}"); throw; }
        var bridgedAt = (DateTime.UtcNow - citizenStart).TotalSeconds;

        await Task.Delay(TimeSpan.FromSeconds(7));
        await gateway.HangupAsync();
        await gateway.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(10));
        await citizen.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(10));

        var citizenHeard = await RecordingAsync(citizen, "the citizen's", Log);
        var gatewayHeard = await RecordingAsync(gateway, "the gateway's", Log);
        // What each sent while bridged: from 2 s after the answer (the ACK and the end of the ringback come first).
        var gatewaySaid = gatewayAudio.AsSpan(2 * 8000, 3 * 8000).ToArray();
        var citizenSaid = citizenAudio.AsSpan((int)((bridgedAt + 2) * 8000), 3 * 8000).ToArray();
        var atCitizen = AudioMatch.Find(gatewaySaid, citizenHeard);
        var atGateway = AudioMatch.Find(citizenSaid, gatewayHeard);
        TestContext.Out.WriteLine($"bridged {bridgedAt:F1} s into the call; gateway → citizen {atCitizen.Correlation:F4} at {atCitizen.Lag / 8000.0:F2} s; " +
            $"citizen → gateway {atGateway.Correlation:F4} at {atGateway.Lag / 8000.0:F2} s");
        var played = await PlayedAsync(hotline);
        var invite = gateway.Events.FirstOrDefault(e => e.Type == BaresipEvents.CallIncoming || e.Type == BaresipEvents.CallEstablished);
        Assert.Multiple(() =>
        {
            Assert.That(atCitizen.Correlation, Is.GreaterThanOrEqualTo(MinCorrelation), "the citizen heard the gateway (PCMA ↔ PCMU transcoded)");
            Assert.That(atGateway.Correlation, Is.GreaterThanOrEqualTo(MinCorrelation), "the gateway heard the citizen");
            Assert.That(played, Does.StartWith("emergency_offer").And.Not.Contain("transfer_unavailable"));
            Assert.That(hotline.Log, Does.Contain("transferred"), "the flow ended transferred");
            Assert.That(hotline.Log, Does.Match(@"ringing ""?119""? at ""?127.0.0.1""? over the trunk"), "the transfer is logged");
            Assert.That(hotline.Log, Does.Match(@"number ""?119""? hung up; hanging up the caller"), "the gateway's BYE ended the citizen's call");
            Assert.That(hotline.Log, Does.Not.Contain(CitizenNumber), "the log masks the citizen's number");
        });
    }

    [Test]
    public async Task A_gateway_that_refuses_the_call_takes_the_flow_to_transfer_unavailable()
    {
        await using var gateway = await Baresip.StartAsync(new BaresipOptions
        {
            Account = new BaresipAccount { User = "119", AnswerMode = BaresipAnswerMode.Manual }, Record = false,
        });
        await using var hotline = await StartHotlineAsync(gateway.DirectUri, ringTimeoutSeconds: 20);
        string Log() => TextTail.Of(hotline.Log, 8000);
        await using var citizen = await Baresip.StartAsync(new BaresipOptions
        {
            Account = new BaresipAccount { User = CitizenNumber, AudioCodecs = ["PCMU"] }, Record = false, AudioPadding = TimeSpan.FromSeconds(60),
        });
        await citizen.DialAsync($"sip:12345@{hotline.SipTarget}");
        await citizen.WaitForEventAsync(BaresipEvents.CallEstablished, TimeSpan.FromSeconds(10));
        await Task.Delay(1500);
        await citizen.SendDtmfAsync("1");
        try { await gateway.WaitForEventAsync(BaresipEvents.CallIncoming, TimeSpan.FromSeconds(10)); }
        catch (AssertionException) { TestContext.Out.WriteLine($"The gateway never rang. Hotline log:\n{Log()}"); throw; }
        await Task.Delay(1000);
        await gateway.HangupAsync(); // rejects the ringing call
        await citizen.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(30));

        var played = await PlayedAsync(hotline);
        TestContext.Out.WriteLine($"played: {played}\n{string.Join("\n", hotline.Log.Split('\n').Where(l => l.Contains("trunk")))}");
        Assert.Multiple(() =>
        {
            Assert.That(played, Is.EqualTo("emergency_offer ringback transfer_unavailable").Or.EqualTo("emergency_offer transfer_unavailable"),
                "ringback while it rang, then transfer_unavailable");
            Assert.That(hotline.Log, Does.Match(@"119""? not reached over the trunk \(""?Declined""?, \d{3}\): ""?Unavailable"), $"the refusal is logged. Log:\n{Log()}");
        });
    }

    [Test]
    public async Task A_gateway_that_does_not_answer_in_time_is_cancelled_and_the_caller_hears_transfer_unavailable()
    {
        await using var gateway = await Baresip.StartAsync(new BaresipOptions
        {
            Account = new BaresipAccount { User = "119", AnswerMode = BaresipAnswerMode.Manual }, Record = false,
        });
        await using var hotline = await StartHotlineAsync(gateway.DirectUri, ringTimeoutSeconds: 3);
        string Log() => TextTail.Of(hotline.Log, 8000);
        await using var citizen = await Baresip.StartAsync(new BaresipOptions
        {
            Account = new BaresipAccount { User = CitizenNumber, AudioCodecs = ["PCMU"] }, Record = false, AudioPadding = TimeSpan.FromSeconds(60),
        });
        await citizen.DialAsync($"sip:12345@{hotline.SipTarget}");
        await citizen.WaitForEventAsync(BaresipEvents.CallEstablished, TimeSpan.FromSeconds(10));
        await Task.Delay(1500);
        await citizen.SendDtmfAsync("1");
        try { await gateway.WaitForEventAsync(BaresipEvents.CallIncoming, TimeSpan.FromSeconds(10)); }
        catch (AssertionException) { TestContext.Out.WriteLine($"The gateway never rang. Hotline log:\n{Log()}"); throw; }
        await gateway.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(10)); // our CANCEL after 3 s
        await citizen.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(30));

        var played = await PlayedAsync(hotline);
        Assert.Multiple(() =>
        {
            Assert.That(played, Does.StartWith("emergency_offer").And.EndWith("transfer_unavailable"));
            Assert.That(hotline.Log, Does.Contain("no answer within 3 s"), $"the ring timeout is logged. Log:\n{Log()}");
        });
    }

    private async Task<InProcessHotline> StartHotlineAsync(string gatewayUri, int ringTimeoutSeconds)
    {
        var model = RepositoryPaths.RequireShared("models/test/for-tests-ggml-tiny.bin");
        var prompts = PromptLibrary.Load(Path.Combine(RepositoryPaths.Root, "prompts"), 8000);
        if (!prompts.TryGet("emergency_offer", out _) || !prompts.TryGet("transfer_unavailable", out _))
            Assert.Fail("The prompts are not synthesized: run ./hotline setup (scripts/setup.d/40-prompts.sh).");
        var seeds = Path.Combine(_scratch, "seeds");
        Directory.CreateDirectory(seeds);
        File.Copy(Path.Combine(RepositoryPaths.Root, "tests/EndToEnd/Trunk/trunk-e2e.json"), Path.Combine(seeds, "trunk-e2e.json"));
        return await InProcessHotline.StartAsync(new Dictionary<string, string?>
        {
            ["Accounts:0:User"] = CitizenNumber, ["Accounts:0:Password"] = "citizen-secret",
            ["Ivr:Enabled"] = "true",
            ["Ivr:Flow"] = "trunk-e2e",
            ["Ivr:SeedFlows"] = seeds,
            ["Ivr:FlowsFolder"] = Path.Combine(_scratch, "flows"),
            ["Paths:Recordings"] = Path.Combine(_scratch, "recordings"),
            ["Speech:Model"] = model,
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(_scratch, "tickets.db")}",
            ["Trunk:Numbers:119"] = gatewayUri,
            ["Trunk:RingTimeoutSeconds"] = ringTimeoutSeconds.ToString(),
        });
    }

    private static async Task<string> PlayedAsync(InProcessHotline hotline)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            var m = Regex.Match(hotline.Log, @"flow ""?trunk-e2e""? v\d+ \w+, played ""?([^""\r\n]*)");
            if (m.Success) return m.Groups[1].Value.Trim();
            await Task.Delay(200);
        }
        Assert.Fail($"the hotline never logged the end of the flow. Log:\n{TextTail.Of(hotline.Log, 8000)}");
        return "";
    }

    private static short[] Silence(double seconds) => new short[(int)(seconds * 8000)];

    private static short[] Concat(params short[][] parts) => parts.SelectMany(p => p).ToArray();

    private static short[] Repeat(short[] pcm, int times, double gapSeconds) =>
        Enumerable.Range(0, times).SelectMany(_ => pcm.Concat(Silence(gapSeconds))).ToArray();

    private static async Task<short[]> RecordingAsync(Baresip phone, string whose, Func<string> log)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && phone.Recordings.Count == 0) await Task.Delay(100);
        if (phone.Recordings.Count == 0) Assert.Fail($"{whose} baresip recorded nothing. Log:\n{log()}");
        await Task.Delay(500);
        var wav = WavReader.Read(phone.Recordings[0]);
        return wav.SampleRate == 16000 ? AudioMatch.To8k(wav.Samples) : wav.Samples;
    }
}
