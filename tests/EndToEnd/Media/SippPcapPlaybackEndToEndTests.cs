using System.Globalization;
using Telephony.EndToEnd.Engine;
using Telephony.Host.Calls;
using Telephony.Media.Audio;
using Telephony.Media.Codecs;
using Telephony.Testing;

namespace Telephony.EndToEnd.Media;

/// <summary>
/// SIPp as the caller with its pcap RTP playback (<c>play_pcap_audio</c>): the engine answers, greets,
/// records the G.711 audio SIPp replays from a capture made in the test from spoken Mandarin, hangs up after
/// the caller stops (SIPp answers the engine's BYE), and SIPp counts no failed call. The recording must hold
/// the replayed speech (normalized cross-correlation ≥ 0.9 after alignment) and be about its length.
/// </summary>
[NonParallelizable]
public class SippPcapPlaybackEndToEndTests
{
    private const string Greeting = "ni2 hao3";
    private const string CallerSays = "wo3 jia1 lou2 xia4 de lu4 deng1 huai4 le san1 tian1";

    private string _scratch = "";
    private string _prompts = "";
    private string _recordings = "";
    private WavAudio _greeting = null!;
    private WavAudio _speech = null!;
    private EngineProcess? _engine;

    [OneTimeSetUp]
    public async Task StartEngine()
    {
        ExternalTool.Require("sipp", "sip-tester");
        _scratch = RepositoryPaths.NewScratchDirectory("sipp-pcap-e2e");
        _prompts = Directory.CreateDirectory(Path.Combine(_scratch, "prompts")).FullName;
        _recordings = Path.Combine(_scratch, "recordings");
        _greeting = await SpeechFiles.SpeakAsync(Greeting, Path.Combine(_prompts, "greeting.wav"), 8000);
        _speech = await SpeechFiles.SpeakAsync(CallerSays, Path.Combine(_scratch, "speech.wav"), 8000);
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

    [TestCase("PCMA")]
    [TestCase("PCMU")]
    public async Task Sipp_pcap_playback_call_completes_and_the_engine_records_the_replayed_speech(string codecName)
    {
        var engine = _engine!;
        Assert.That(AudioCodecs.TryCreate(codecName, out var codec), $"codec {codecName}");
        var before = Directory.Exists(_recordings) ? Directory.GetFiles(_recordings, "*.json").ToHashSet() : [];
        // The speech, then 2 s of silence so the engine's end-of-speech (0.8 s) comes from audio, not from loss.
        var pcap = Path.Combine(_scratch, $"speech-{codecName}.pcap");
        var samples = new short[_speech.Samples.Length + 2 * 8000];
        _speech.Samples.CopyTo(samples, 0);
        SippRtpPcap.Write(pcap, samples, codec);
        // SIPp starts the playback once the greeting and the beep (300 ms) are over, with a second to spare.
        var leadMs = (int)(_greeting.Samples.Length * 1000L / _greeting.SampleRate) + 300 + 1000;
        var scenario = Path.Combine(_scratch, $"uac-pcap-{codecName}.xml");
        File.WriteAllText(scenario, Scenario(codec.StaticPayloadType, codecName, leadMs, pcap));

        var result = await Sipp.RunAsync(new SippOptions
        {
            Target = engine.SipTarget,
            ScenarioFile = scenario,
            Calls = 1,
            Service = "12345",
            Timeout = TimeSpan.FromSeconds(40),
            // SIPp binds -mp and the three ports after it (RTCP, video RTP and RTCP): a block of four.
            ExtraArguments = ["-mi", "127.0.0.1", "-mp", FreePorts.NextBlock(4).ToString(CultureInfo.InvariantCulture)],
        });

        Assert.That(result.AllSucceeded, $"{result.Describe()}\nEngine log:\n{TextTail.Of(engine.Output, 6000)}");
        var sidecarPath = await PollAsync(() => Directory.Exists(_recordings)
            ? Directory.GetFiles(_recordings, "*.json").FirstOrDefault(f => !before.Contains(f)) : null, "the recording's JSON sidecar", engine);
        var sidecar = RecordingSidecar.Read(sidecarPath!)!;
        var recording = WavReader.Read(Path.Combine(_recordings, sidecar.Recording));
        var heard = AudioMatch.Find(_speech.Samples, recording.Samples);
        var speechSeconds = _speech.Samples.Length / 8000.0;
        TestContext.Out.WriteLine($"{codecName}: recording {sidecar.RecordingSeconds:F2} s (speech {speechSeconds:F2} s), " +
            $"RMS {Rms(recording.Samples):F0}, speech at {heard.Lag / 8000.0:F3} s, correlation {heard.Correlation:F4}");

        Assert.Multiple(() =>
        {
            Assert.That(result.FailedCalls, Is.Zero, result.Describe());
            Assert.That(result.SuccessfulCalls, Is.EqualTo(1), result.Describe());
            Assert.That(sidecar.Codec, Is.EqualTo(codecName).IgnoreCase, "the codec of the SIPp offer");
            Assert.That(sidecar.EndReason, Is.EqualTo("LocalHangup"), "the engine hangs up, SIPp answers its BYE");
            Assert.That(sidecar.RecordingEnd, Is.EqualTo(nameof(EndpointResult.EndOfSpeech)));
            // −3 dBFS speech has an RMS in the thousands; a silent recording would be near 0.
            Assert.That(Rms(recording.Samples), Is.GreaterThan(300), "the recording is not silent");
            Assert.That(heard.Correlation, Is.GreaterThanOrEqualTo(0.9), "the recording holds the replayed speech");
            Assert.That(sidecar.RecordingSeconds, Is.InRange(speechSeconds, speechSeconds + 3.5), "about the replayed speech's length");
        });
    }

    private static double Rms(ReadOnlySpan<short> pcm)
    {
        double sum = 0;
        foreach (var s in pcm) sum += (double)s * s;
        return pcm.Length == 0 ? 0 : Math.Sqrt(sum / pcm.Length);
    }

    // INVITE offering only the codec under test; after the ACK, wait out the greeting, replay the capture
    // (SIPp sends it from -mp to the engine's m= port), then answer the engine's BYE.
    private static string Scenario(int payloadType, string codec, int leadMs, string pcap) => $$"""
        <?xml version="1.0" encoding="ISO-8859-1" ?>
        <scenario name="uac play_pcap_audio {{codec}}">
          <send retrans="500"><![CDATA[
              INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
              Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
              From: <sip:13812345678@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
              To: <sip:[service]@[remote_ip]:[remote_port]>
              Call-ID: [call_id]
              CSeq: 1 INVITE
              Contact: <sip:13812345678@[local_ip]:[local_port]>
              Max-Forwards: 70
              Content-Type: application/sdp
              Content-Length: [len]

              v=0
              o=sipp 1 1 IN IP4 [media_ip]
              s=-
              c=IN IP4 [media_ip]
              t=0 0
              m=audio [media_port] RTP/AVP {{payloadType}}
              a=rtpmap:{{payloadType}} {{codec}}/8000
              a=ptime:20
            ]]></send>
          <recv response="100" optional="true"/>
          <recv response="180" optional="true"/>
          <recv response="183" optional="true"/>
          <recv response="200"/>
          <send><![CDATA[
              ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
              Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
              From: <sip:13812345678@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
              To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
              Call-ID: [call_id]
              CSeq: 1 ACK
              Contact: <sip:13812345678@[local_ip]:[local_port]>
              Max-Forwards: 70
              Content-Length: 0
            ]]></send>
          <pause milliseconds="{{leadMs}}"/>
          <nop><action><exec play_pcap_audio="{{pcap}}"/></action></nop>
          <recv request="BYE" timeout="30000"/>
          <send><![CDATA[
              SIP/2.0 200 OK
              [last_Via:]
              [last_From:]
              [last_To:]
              [last_Call-ID:]
              [last_CSeq:]
              Contact: <sip:13812345678@[local_ip]:[local_port]>
              Content-Length: 0
            ]]></send>
        </scenario>
        """;

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
