using Telephony.EndToEnd.Media;
using Telephony.Media.Audio;
using Telephony.Media.Prompts;
using Telephony.Testing;

namespace Telephony.EndToEnd.Agents;

/// <summary>
/// What the agent call tests share: a scratch folder per test (kept when it failed), the two parties' Mandarin
/// (espeak-ng pinyin), the hotline's settings for a call through the default flow, and waiting for the phones.
/// </summary>
public abstract class AgentCallFixture(string scratchPrefix)
{
    protected const double MinCorrelation = 0.9;
    protected const string Request = "wo3 jia1 lou2 xia4 de lu4 deng1 huai4 le san1 tian1, qing3 pai4 ren2 lai2 xiu1";
    protected const string CitizenTalk = "lu4 deng1 zai4 xiao3 qu1 bei3 men2, ye4 li3 hen3 hei1, lao3 ren2 chu1 men2 bu4 fang1 bian4";
    protected const string AgentTalk = "hao3 de5, wo3 yi3 jing1 ji4 lu4 le5, qing3 nin2 shao1 deng3, wo3 men5 ma3 shang4 an1 pai2";
    protected const string AgentId = "1001";
    protected const string AgentUser = "agent1";
    protected const string CitizenNumber = "13812345678";

    protected string Scratch { get; private set; } = "";

    [SetUp]
    public void NewScratch() => Scratch = RepositoryPaths.NewScratchDirectory(scratchPrefix);

    [TearDown]
    public void Clean()
    {
        if (TestContext.CurrentContext.Result.FailCount == 0)
            try { Directory.Delete(Scratch, recursive: true); } catch (IOException) { }
    }

    /// <summary>The prompts at 8 kHz and both parties' audio as baresip's microphones (aufile).</summary>
    protected sealed record Voices(PromptLibrary Prompts, short[] CitizenAudio, string CitizenWav, short[] AgentAudio, string AgentWav);

    /// <summary>
    /// The citizen: silence while the greeting and beep play, the request, a pause that ends the recording, then talk
    /// without long gaps for the rest of the call (what the agent must hear). The agent talks from the answer on.
    /// </summary>
    protected async Task<Voices> VoicesAsync(int talkRepeats)
    {
        var prompts = PromptLibrary.Load(Path.Combine(RepositoryPaths.Root, "prompts"), 8000);
        if (!prompts.TryGet("greeting", out var greeting) || !prompts.TryGet("query_code_is", out _))
            Assert.Fail("The prompts are not synthesized: run ./hotline setup (scripts/setup.d/40-prompts.sh).");
        var request = await SpeechFiles.SpeakAsync(Request, Path.Combine(Scratch, "request.wav"), 8000);
        var citizenTalk = await SpeechFiles.SpeakAsync(CitizenTalk, Path.Combine(Scratch, "citizen-talk.wav"), 8000);
        var agentTalk = await SpeechFiles.SpeakAsync(AgentTalk, Path.Combine(Scratch, "agent-talk.wav"), 8000);
        var lead = greeting.Length / 8000.0 + 0.3 + 1.0;
        var citizenAudio = Concat(Silence(lead), request.Samples, Silence(2.5), Repeat(citizenTalk.Samples, talkRepeats, 0.2));
        var agentAudio = Concat(Silence(0.3), Repeat(agentTalk.Samples, talkRepeats, 0.2));
        var citizenWav = Path.Combine(Scratch, "citizen.wav");
        var agentWav = Path.Combine(Scratch, "agent.wav");
        WavWriter.Write(citizenWav, 8000, WavEncoding.Pcm16, citizenAudio);
        WavWriter.Write(agentWav, 8000, WavEncoding.Pcm16, agentAudio);
        return new Voices(prompts, citizenAudio, citizenWav, agentAudio, agentWav);
    }

    /// <summary>The hotline for a call through the default flow: both phones' accounts, the IVR, whisper's tiny test model.</summary>
    protected Dictionary<string, string?> HotlineSettings(string agentPassword) => new()
    {
        ["Accounts:0:User"] = AgentUser, ["Accounts:0:Password"] = agentPassword,
        ["Accounts:1:User"] = CitizenNumber, ["Accounts:1:Password"] = "citizen-secret",
        ["Agents:WrapUpSeconds"] = "5",
        ["Ivr:Enabled"] = "true",
        ["Ivr:FlowsFolder"] = Path.Combine(Scratch, "flows"),
        ["Paths:Recordings"] = Path.Combine(Scratch, "recordings"),
        ["Speech:Model"] = RepositoryPaths.RequireShared("models/test/for-tests-ggml-tiny.bin"),
        ["Database:ConnectionString"] = $"Data Source={Path.Combine(Scratch, "tickets.db")}",
    };

    protected static short[] Silence(double seconds) => new short[(int)(seconds * 8000)];

    protected static short[] Concat(params short[][] parts) => parts.SelectMany(p => p).ToArray();

    protected static short[] Repeat(short[] pcm, int times, double gapSeconds) =>
        Enumerable.Range(0, times).SelectMany(_ => pcm.Concat(Silence(gapSeconds))).ToArray();

    /// <summary>What the phone heard, at 8 kHz.</summary>
    protected static async Task<short[]> RecordingAsync(Baresip phone, string whose, Func<string> log)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && phone.Recordings.Count == 0) await Task.Delay(100);
        if (phone.Recordings.Count == 0) Assert.Fail($"{whose} baresip recorded nothing. Log:\n{log()}");
        await Task.Delay(500);
        var wav = WavReader.Read(phone.Recordings[0]);
        return wav.SampleRate == 16000 ? AudioMatch.To8k(wav.Samples) : wav.Samples;
    }

    protected static async Task PollAsync(Func<bool> condition, string what, Func<string> log, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}. Log:\n{log()}");
            await Task.Delay(100);
        }
    }
}
