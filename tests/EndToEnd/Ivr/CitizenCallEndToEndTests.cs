using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Telephony.EndToEnd.Engine;
using Telephony.EndToEnd.Media;
using Telephony.Media.Audio;
using Telephony.Media.Prompts;
using Telephony.Testing;

namespace Telephony.EndToEnd.Ivr;

/// <summary>
/// The citizen's call through the default 12345 flow (issue 8): baresip speaks an espeak-ng Mandarin request
/// after the greeting; the engine records it, transcribes it with whisper.cpp's tiny test model (real compute,
/// meaningless text), classifies it, creates a draft work order carrying the recording, and reads the query
/// code back digit by digit. A second call presses 2, keys in that code and hears its status.
/// </summary>
[NonParallelizable]
public class CitizenCallEndToEndTests
{
    private const string Request = "wo3 jia1 lou2 xia4 de lu4 deng1 huai4 le san1 tian1, qing3 pai4 ren2 lai2 xiu1";

    private string _scratch = "";
    private string _recordings = "";
    private string _callerWav = "";
    private EngineProcess? _engine;
    private readonly HttpClient _http = new();

    [OneTimeSetUp]
    public async Task StartEngine()
    {
        var model = RepositoryPaths.RequireShared("models/test/for-tests-ggml-tiny.bin");
        _scratch = RepositoryPaths.NewScratchDirectory("ivr-e2e");
        _recordings = Path.Combine(_scratch, "recordings");
        var prompts = PromptLibrary.Load(Path.Combine(RepositoryPaths.Root, "prompts"), 8000);
        if (!prompts.TryGet("greeting", out var greeting) || !prompts.TryGet("digit_0", out _))
            Assert.Fail("The prompts are not synthesized: run ./hotline setup (scripts/setup.d/40-prompts.sh).");
        var speech = await SpeechFiles.SpeakAsync(Request, Path.Combine(_scratch, "request.wav"), 8000);
        // The caller starts a second after the greeting and the beep.
        _callerWav = Path.Combine(_scratch, "caller.wav");
        SpeechFiles.WriteWithLeadingSilence(_callerWav, speech, TimeSpan.FromSeconds(greeting.Length / 8000.0 + 0.3 + 1.0));
        _engine = await EngineProcess.StartAsync(extra: new Dictionary<string, string>
        {
            ["TELEPHONY_Ivr__Enabled"] = "true",
            ["TELEPHONY_Ivr__FlowsFolder"] = Path.Combine(_scratch, "flows"),
            ["TELEPHONY_Paths__Recordings"] = _recordings,
            ["TELEPHONY_Speech__Model"] = model,
            ["TELEPHONY_Database__ConnectionString"] = $"Data Source={Path.Combine(_scratch, "tickets.db")}",
        });
    }

    [OneTimeTearDown]
    public async Task StopEngine()
    {
        if (_engine is not null) await _engine.DisposeAsync();
        _http.Dispose();
        if (TestContext.CurrentContext.Result.FailCount == 0)
            try { Directory.Delete(_scratch, recursive: true); } catch (IOException) { }
    }

    [Test, Order(1)]
    public async Task A_spoken_request_becomes_a_draft_with_its_recording_and_the_caller_hears_the_query_code()
    {
        var engine = _engine!;
        await using var phone = await Baresip.StartAsync(new BaresipOptions
        {
            Account = new BaresipAccount { User = EngineProcess.CitizenUser, AudioCodecs = ["PCMU"] },
            AudioSource = _callerWav,
            AudioPadding = TimeSpan.FromSeconds(90),
        });
        await phone.DialAsync($"sip:12345@{engine.SipTarget}");
        await phone.WaitForEventAsync(BaresipEvents.CallEstablished, TimeSpan.FromSeconds(10));
        // Greeting, request, transcription on a loaded machine, read-back, goodbye: the engine hangs up.
        await phone.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(120));

        var played = await PlayedAsync(engine);
        var ticket = await OnlyTicketAsync(engine);
        var code = ticket.GetProperty("code").GetString()!;
        var recording = ticket.GetProperty("recordingRef").GetString();
        var readBack = Regex.Matches(played, @"\bdigit_(\d)\b").Select(m => m.Groups[1].Value);
        var heard = await HeardSecondsAsync(phone, engine);
        TestContext.Out.WriteLine($"played: {played}\ncode {code}, recording {recording}, baresip heard {heard:F1} s");

        Assert.Multiple(() =>
        {
            Assert.That(ticket.GetProperty("status").GetString(), Is.EqualTo("Draft"));
            Assert.That(ticket.GetProperty("channel").GetString(), Is.EqualTo("Phone"));
            Assert.That(ticket.GetProperty("callerPhone").GetString(), Is.EqualTo(EngineProcess.CitizenUser));
            Assert.That(recording, Is.Not.Null.And.Not.Empty, "the draft carries the recording");
            Assert.That(File.Exists(recording), Is.True, "the recording is on disk");
            Assert.That(WavReader.Read(recording!).Samples.Length / 8000.0, Is.GreaterThan(2.0), "the recording holds the request");
            Assert.That(played, Does.StartWith("greeting").And.Contain("query_code_is"), "the flow's prompts in order");
            Assert.That(string.Concat(readBack), Is.EqualTo(code), "the query code read back digit by digit");
            // baresip heard at least the greeting and the read-back (each digit prompt is about half a second).
            Assert.That(heard, Is.GreaterThan(code.Length * 0.3 + 5));
        });
    }

    [Test, Order(2)]
    public async Task A_second_call_keys_in_the_query_code_and_hears_the_status()
    {
        var engine = _engine!;
        var code = (await OnlyTicketAsync(engine)).GetProperty("code").GetString()!;
        var logStart = engine.Output.Length;
        await using var phone = await Baresip.StartAsync(new BaresipOptions
        {
            Account = new BaresipAccount { User = EngineProcess.CitizenUser, AudioCodecs = ["PCMU"] },
            AudioPadding = TimeSpan.FromSeconds(90),
        });
        await phone.DialAsync($"sip:12345@{engine.SipTarget}");
        await phone.WaitForEventAsync(BaresipEvents.CallEstablished, TimeSpan.FromSeconds(10));
        await Task.Delay(1500);
        await phone.SendDtmfAsync("2");                 // "press 2 at any time": progress query
        await Task.Delay(1500);
        await phone.SendDtmfAsync(code + "#");
        await phone.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(60));

        var played = await PlayedAsync(engine, logStart);
        TestContext.Out.WriteLine($"played: {played}");
        Assert.Multiple(() =>
        {
            Assert.That(engine.Output[logStart..], Does.Match(@"node progress_lookup \(lookupProgress\) exit next"), "the code was found");
            Assert.That(played, Does.Contain("progress_enter_code").And.Contain("progress_status_is"), "the caller heard the status");
            Assert.That(played, Does.Not.Contain("progress_not_found"));
        });
    }

    private static async Task<string> PlayedAsync(EngineProcess engine, int from = 0)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            var m = Regex.Match(engine.Output[from..], @"flow 12345 v\d+ \w+, played (.*)");
            if (m.Success) return m.Groups[1].Value.Trim();
            await Task.Delay(200);
        }
        Assert.Fail($"the engine never logged the end of the flow. Engine log:\n{TextTail.Of(engine.Output, 8000)}");
        return "";
    }

    private async Task<JsonElement> OnlyTicketAsync(EngineProcess engine)
    {
        var page = await _http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{engine.HttpPort}/api/tickets?phone={EngineProcess.CitizenUser}");
        var items = page.GetProperty("items");
        Assert.That(items.GetArrayLength(), Is.EqualTo(1), $"one work order for the caller. Engine log:\n{TextTail.Of(engine.Output, 6000)}");
        return items[0];
    }

    private static async Task<double> HeardSecondsAsync(Baresip phone, EngineProcess engine)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && phone.Recordings.Count == 0) await Task.Delay(100);
        if (phone.Recordings.Count == 0) Assert.Fail($"baresip recorded nothing. Engine log:\n{TextTail.Of(engine.Output, 4000)}");
        await Task.Delay(300);
        var wav = WavReader.Read(phone.Recordings[0]);
        return wav.Samples.Length / (double)wav.SampleRate;
    }
}
