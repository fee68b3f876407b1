using Telephony.EndToEnd.Engine;
using Telephony.Host.Calls;
using Telephony.Media.Audio;
using Telephony.Media.Prompts;
using Telephony.Testing;

namespace Telephony.EndToEnd.Media;

/// <summary>
/// `serve`'s default call with real audio: baresip calls the engine with a spoken WAV as its microphone
/// (espeak-ng, after silence while the greeting plays); the engine greets, records until the caller stops,
/// beeps and hangs up. The engine's recording must hold what baresip sent, and baresip's recording the
/// greeting, each at a normalized cross-correlation of at least 0.9 after alignment.
/// </summary>
[NonParallelizable]
public class GreetAndRecordEndToEndTests
{
    private const double MinCorrelation = 0.9;
    private const string Greeting = "ni2 hao3, huan1 ying2 zhi4 dian4 yi1 er4 san1 si4 wu3";
    private const string CallerSays = "wo3 jia1 lou2 xia4 de lu4 deng1 huai4 le san1 tian1";

    private string _scratch = "";
    private string _prompts = "";
    private string _recordings = "";
    private string _callerWav = "";
    private WavAudio _speech = null!;
    private EngineProcess? _engine;

    [OneTimeSetUp]
    public async Task StartEngine()
    {
        _scratch = RepositoryPaths.NewScratchDirectory("media-e2e");
        _prompts = Directory.CreateDirectory(Path.Combine(_scratch, "prompts")).FullName;
        _recordings = Path.Combine(_scratch, "recordings");
        // A short greeting keeps the test in seconds; it is synthesized the way setup makes prompts (16 kHz).
        var greeting = await SpeechFiles.SpeakAsync(Greeting, Path.Combine(_prompts, "greeting.wav"), 16000);
        _speech = await SpeechFiles.SpeakAsync(CallerSays, Path.Combine(_scratch, "speech.wav"), 8000);
        // The caller starts speaking a second after the greeting and the beep (300 ms) end.
        _callerWav = Path.Combine(_scratch, "caller.wav");
        var lead = TimeSpan.FromSeconds((double)greeting.Samples.Length / greeting.SampleRate + 0.3 + 1.0);
        SpeechFiles.WriteWithLeadingSilence(_callerWav, _speech, lead);
        _engine = await EngineProcess.StartAsync(extra: new Dictionary<string, string>
        {
            ["TELEPHONY_Paths__Prompts"] = _prompts,
            ["TELEPHONY_Paths__Recordings"] = _recordings,
        });
    }

    [OneTimeTearDown]
    public async Task StopEngine()
    {
        if (_engine is not null) await _engine.DisposeAsync();
        if (TestContext.CurrentContext.Result.FailCount == 0)
            try { Directory.Delete(_scratch, recursive: true); } catch (IOException) { }
    }

    [TestCase("PCMU")]
    [TestCase("PCMA")]
    [TestCase("G722")]
    public async Task Engine_records_what_the_caller_said_and_the_caller_hears_the_greeting(string codec)
    {
        var engine = _engine!;
        var before = Directory.Exists(_recordings) ? Directory.GetFiles(_recordings, "*.json").ToHashSet() : [];
        await using var phone = await Baresip.StartAsync(new BaresipOptions
        {
            Account = new BaresipAccount { User = EngineProcess.CitizenUser, AudioCodecs = [codec] },
            AudioSource = _callerWav,
            AudioPadding = TimeSpan.FromSeconds(30),
            AudioSampleRate = codec == "G722" ? 16000 : 8000,
        });
        await phone.DialAsync($"sip:12345@{engine.SipTarget}");
        await phone.WaitForEventAsync(BaresipEvents.CallEstablished, TimeSpan.FromSeconds(10));
        // The engine hangs up after the caller stops: greeting + lead + speech + 0.8 s + beep, well under 20 s.
        await phone.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(25));

        var sidecarPath = await PollAsync(() => Directory.Exists(_recordings)
            ? Directory.GetFiles(_recordings, "*.json").FirstOrDefault(f => !before.Contains(f)) : null, "the recording's JSON sidecar", engine);
        var sidecar = RecordingSidecar.Read(sidecarPath!)!;
        var recording = WavReader.Read(Path.Combine(_recordings, sidecar.Recording));
        var heard = recording.SampleRate == 16000 ? AudioMatch.To8k(recording.Samples) : recording.Samples;
        var caller = AudioMatch.Find(_speech.Samples, heard);
        TestContext.Out.WriteLine($"{codec}: engine recording {recording.SampleRate} Hz {sidecar.RecordingSeconds:F2} s, " +
            $"caller's speech at {caller.Lag / 8000.0:F3} s, correlation {caller.Correlation:F4}");

        // baresip writes what it heard (dump-*-dec.wav) and closes it with the call.
        var phoneRecording = await PollAsync(() => phone.Recordings.FirstOrDefault(), "baresip's recording", engine);
        await Task.Delay(300);
        var phoneHeard = WavReader.Read(phoneRecording!);
        var greetingAtRate = PromptLibrary.Load(_prompts, phoneHeard.SampleRate == 16000 ? 16000 : 8000).Get("greeting").ToArray();
        var greeting = AudioMatch.Find(greetingAtRate, phoneHeard.Samples);
        TestContext.Out.WriteLine($"{codec}: baresip heard {phoneHeard.SampleRate} Hz {phoneHeard.Samples.Length / (double)phoneHeard.SampleRate:F2} s, " +
            $"greeting at {greeting.Lag / (double)phoneHeard.SampleRate:F3} s, correlation {greeting.Correlation:F4}");

        Assert.Multiple(() =>
        {
            Assert.That(sidecar.Codec, Is.EqualTo(codec).IgnoreCase, "the negotiated codec");
            Assert.That(recording.SampleRate, Is.EqualTo(codec == "G722" ? 16000 : 8000), "recorded at the codec's rate");
            Assert.That(sidecar.RecordingEnd, Is.EqualTo(nameof(EndpointResult.EndOfSpeech)), "the recording ends on silence after speech");
            Assert.That(sidecar.EndReason, Is.EqualTo("LocalHangup"), "the engine hangs up");
            Assert.That(sidecar.Caller, Is.EqualTo("138****5678"), "the sidecar masks the caller");
            Assert.That(sidecar.Callee, Is.EqualTo("12345"));
            Assert.That(caller.Correlation, Is.GreaterThanOrEqualTo(MinCorrelation), "the engine's recording matches what baresip sent");
            Assert.That(greeting.Correlation, Is.GreaterThanOrEqualTo(MinCorrelation), "baresip heard the greeting");
            // Speech of ~2.5 s, recorded from the beep: it ends 0.8 s after the speech, so it is not much longer.
            Assert.That(sidecar.RecordingSeconds, Is.InRange(_speech.Samples.Length / 8000.0, _speech.Samples.Length / 8000.0 + 3.5));
        });
    }

    [Test]
    public async Task Rfc4733_digits_from_baresip_are_logged_in_order_and_kept_in_the_sidecar()
    {
        var engine = _engine!;
        var before = Directory.Exists(_recordings) ? Directory.GetFiles(_recordings, "*.json").ToHashSet() : [];
        await using var phone = await Baresip.StartAsync(new BaresipOptions
        {
            Account = new BaresipAccount { User = EngineProcess.CitizenUser, AudioCodecs = ["PCMU"] },
            AudioPadding = TimeSpan.FromSeconds(30),
        });
        await phone.DialAsync($"sip:12345@{engine.SipTarget}");
        await phone.WaitForEventAsync(BaresipEvents.CallEstablished, TimeSpan.FromSeconds(10));
        var logStart = engine.Output.Length;
        await phone.SendDtmfAsync("159#");
        await PollAsync(() => engine.Output.Contains("DTMF # (RFC 4733)") ? "" : null, "the engine logging the last digit", engine);
        await phone.HangupAsync();
        await phone.WaitForEventAsync(BaresipEvents.CallClosed, TimeSpan.FromSeconds(10));

        var sidecarPath = await PollAsync(() => Directory.Exists(_recordings)
            ? Directory.GetFiles(_recordings, "*.json").FirstOrDefault(f => !before.Contains(f)) : null, "the recording's JSON sidecar", engine);
        var sidecar = RecordingSidecar.Read(sidecarPath!)!;
        var logged = string.Concat(System.Text.RegularExpressions.Regex.Matches(engine.Output[logStart..], @"DTMF (.) \(RFC 4733\)").Select(m => m.Groups[1].Value));
        Assert.Multiple(() =>
        {
            Assert.That(logged, Is.EqualTo("159#"), "each key logged once, in order");
            Assert.That(sidecar.Dtmf, Is.EqualTo("159#"));
            Assert.That(sidecar.EndReason, Is.EqualTo("RemoteHangup"));
        });
    }

    private static async Task<T?> PollAsync<T>(Func<T?> find, string what, EngineProcess engine) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (find() is { } found) return found;
            await Task.Delay(100);
        }
        Assert.Fail($"timed out waiting for {what}. Engine log:\n{TextTail.Of(engine.Output, 8000)}");
        return null;
    }
}
