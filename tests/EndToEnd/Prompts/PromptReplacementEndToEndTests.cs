using System.Net.Http.Headers;
using Telephony.EndToEnd.Engine;
using Telephony.EndToEnd.Media;
using Telephony.Media.Audio;
using Telephony.Testing;

namespace Telephony.EndToEnd.Prompts;

/// <summary>
/// A greeting replaced through <c>/api/prompts</c> while serve runs: baresip calls before, after the upload and after
/// the delete, and hears the old greeting, the uploaded one, then the old one again (normalized cross-correlation of
/// what baresip recorded against each greeting).
/// </summary>
[NonParallelizable]
public class PromptReplacementEndToEndTests
{
    private const double MinCorrelation = 0.9;
    private string _scratch = "";
    private WavAudio _original = null!;
    private byte[] _replacement = [];
    private WavAudio _replacementAudio = null!;
    private EngineProcess? _engine;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartEngine()
    {
        _scratch = RepositoryPaths.NewScratchDirectory("prompt-e2e");
        var prompts = Directory.CreateDirectory(Path.Combine(_scratch, "prompts")).FullName;
        _original = await SpeechFiles.SpeakAsync("ni2 hao3, huan1 ying2 zhi4 dian4", Path.Combine(prompts, "greeting.wav"), 8000);
        var upload = Path.Combine(_scratch, "upload.wav");
        _replacementAudio = await SpeechFiles.SpeakAsync("guo2 qing4 jia4 qi1, qing3 shao1 hou4 zai4 bo1", upload, 8000);
        _replacement = await File.ReadAllBytesAsync(upload);
        _engine = await EngineProcess.StartAsync(extra: new Dictionary<string, string>
        {
            ["TELEPHONY_Paths__Prompts"] = prompts,
            ["TELEPHONY_Paths__CustomPrompts"] = Path.Combine(_scratch, "custom"),
            ["TELEPHONY_Paths__Recordings"] = Path.Combine(_scratch, "recordings"),
            ["TELEPHONY_Calls__NoSpeechTimeoutSeconds"] = "2",
        });
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_engine.HttpPort}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    [OneTimeTearDown]
    public async Task StopEngine()
    {
        _http?.Dispose();
        if (_engine is not null) await _engine.DisposeAsync();
        if (TestContext.CurrentContext.Result.FailCount == 0)
            try { Directory.Delete(_scratch, recursive: true); } catch (IOException) { }
    }

    /// <summary>One silent call: the engine greets, hears nothing for 2 s and hangs up; what baresip heard.</summary>
    private async Task<short[]> CallAsync()
    {
        var engine = _engine!;
        await using var phone = await Baresip.StartAsync(new BaresipOptions
        {
            Account = new BaresipAccount { User = EngineProcess.CitizenUser, AudioCodecs = ["PCMU"] },
            AudioPadding = TimeSpan.FromSeconds(30),
        });
        await phone.DialAsync($"sip:12345@{engine.SipTarget}");
        await phone.WaitForEventAsync(BaresipEvents.CallEstablished, TimeSpan.FromSeconds(10));
        await phone.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(30));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (phone.Recordings.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
        if (phone.Recordings.Count == 0) Assert.Fail($"baresip recorded nothing. Engine log:\n{TextTail.Of(engine.Output, 4000)}");
        await Task.Delay(300);  // baresip closes the file with the call
        return WavReader.Read(phone.Recordings[0]).Samples;
    }

    private static double Heard(WavAudio prompt, short[] heard) => AudioMatch.Find(prompt.Samples, heard).Correlation;

    [Test]
    public async Task The_next_call_hears_an_uploaded_greeting_and_the_default_again_once_it_is_deleted()
    {
        var before = await CallAsync();

        var content = new ByteArrayContent(_replacement);
        content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        using (var put = await _http.PutAsync("/api/prompts/greeting/wav", content))
            Assert.That((int)put.StatusCode, Is.EqualTo(200), await put.Content.ReadAsStringAsync());
        var replaced = await CallAsync();

        using (var delete = await _http.DeleteAsync("/api/prompts/greeting"))
            Assert.That((int)delete.StatusCode, Is.EqualTo(200), await delete.Content.ReadAsStringAsync());
        var restored = await CallAsync();

        TestContext.Out.WriteLine($"original/replacement correlation: before {Heard(_original, before):F3}/{Heard(_replacementAudio, before):F3}, " +
            $"replaced {Heard(_original, replaced):F3}/{Heard(_replacementAudio, replaced):F3}, restored {Heard(_original, restored):F3}/{Heard(_replacementAudio, restored):F3}");
        Assert.Multiple(() =>
        {
            Assert.That(Heard(_original, before), Is.GreaterThanOrEqualTo(MinCorrelation), "the default greeting first");
            Assert.That(Heard(_replacementAudio, replaced), Is.GreaterThanOrEqualTo(MinCorrelation), "the upload on the next call");
            Assert.That(Heard(_original, replaced), Is.LessThan(MinCorrelation), "not the default any more");
            Assert.That(Heard(_original, restored), Is.GreaterThanOrEqualTo(MinCorrelation), "the default after the delete");
        });
    }
}
