using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Telephony.Host.Engine;
using Telephony.Host.Tests.Intake;
using Telephony.Media.Audio;
using Telephony.Testing;

namespace Telephony.Host.Tests.Prompts;

/// <summary>
/// /api/prompts through the serve app over a scratch prompt folder: greeting (16 kHz, synthesized by setup: it has a
/// stamp), goodbye (8 kHz µ-law, recorded: no stamp), and no_file (in the catalogue, no file yet).
/// </summary>
public class PromptsApiTests
{
    private string _prompts = "";
    private WebIntakeApp _host = null!;
    private string Custom => Path.Combine(_host.Directory, "custom-prompts");
    private HttpClient Http => _host.Http;

    [SetUp]
    public async Task Start()
    {
        _prompts = RepositoryPaths.NewScratchDirectory("prompts");
        File.WriteAllText(Path.Combine(_prompts, "prompts.tsv"), "name\tchinese\tpinyin\ngreeting\t您好\tnin2 hao3\ngoodbye\t再见\tzai4 jian4\nno_file\t没有文件\tmei2 you3\n");
        WavWriter.Write(Path.Combine(_prompts, "greeting.wav"), 16000, WavEncoding.Pcm16, Tone(16000, 1.0, 1000));
        Directory.CreateDirectory(Path.Combine(_prompts, ".synth"));
        File.WriteAllText(Path.Combine(_prompts, ".synth", "greeting.sha256"), "0");
        WavWriter.Write(Path.Combine(_prompts, "goodbye-8k.wav"), 8000, WavEncoding.MuLaw, Tone(8000, 0.5, 1000));
        _host = await WebIntakeApp.StartAsync(model: false, extra: new Dictionary<string, string?>
        {
            ["Paths:Prompts"] = _prompts,
            ["Prompts:MaxSeconds"] = "5",
        });
    }

    [TearDown]
    public async Task Stop()
    {
        await _host.DisposeAsync();
        Directory.Delete(_prompts, recursive: true);
    }

    private static short[] Tone(int rate, double seconds, short amplitude) =>
        Enumerable.Range(0, (int)(rate * seconds)).Select(i => (short)(amplitude * Math.Sin(2 * Math.PI * 440 * i / rate))).ToArray();

    private static byte[] Wav(int rate, WavEncoding encoding, double seconds, short amplitude = 8000)
    {
        using var buffer = new MemoryStream();
        using (var writer = new WavWriter(buffer, rate, encoding, ownsStream: false)) writer.Write(Tone(rate, seconds, amplitude));
        return buffer.ToArray();
    }

    private Task<HttpResponseMessage> UploadAsync(string name, byte[] file, string type = "audio/wav")
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return Http.PutAsync($"/api/prompts/{name}/wav", content);
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private async Task<JsonNode> EntryAsync(string name) => (await Http.GetFromJsonAsync<JsonNode>($"/api/prompts/{name}"))!;

    [Test]
    public async Task The_list_gives_each_prompt_with_its_source_length_and_text()
    {
        var list = (await Http.GetFromJsonAsync<JsonArray>("/api/prompts"))!.ToDictionary(p => (string)p!["name"]!);

        Assert.That(list.Keys, Is.EquivalentTo(new[] { "goodbye", "greeting", "no_file" }));
        Assert.That((string)list["greeting"]!["source"]!, Is.EqualTo("synthesized"));
        Assert.That((double)list["greeting"]!["durationSeconds"]!, Is.EqualTo(1.0).Within(0.001));
        Assert.That((int)list["greeting"]!["sampleRate"]!, Is.EqualTo(16000));
        Assert.That((string)list["greeting"]!["text"]!, Is.EqualTo("您好"));
        Assert.That((string)list["goodbye"]!["source"]!, Is.EqualTo("recorded"));
        Assert.That((string)list["goodbye"]!["encoding"]!, Is.EqualTo("MuLaw"));
        Assert.That((double)list["goodbye"]!["durationSeconds"]!, Is.EqualTo(0.5).Within(0.001));
        Assert.That((string)list["no_file"]!["source"]!, Is.EqualTo("missing"));
        Assert.That(list.Values.All(p => !(bool)p!["custom"]!), Is.True);
    }

    [Test]
    public async Task An_uploaded_wav_replaces_the_prompt_for_the_next_call_and_not_for_one_in_progress()
    {
        var engine = _host.App.Services.GetRequiredService<MediaEngine>();
        var inProgress = engine.Prompts(8000);  // what a call answered now holds for its whole length
        var before = inProgress.Get("goodbye").ToArray();
        var file = Wav(8000, WavEncoding.ALaw, 0.8, amplitude: 3000);

        using var response = await UploadAsync("goodbye", file);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var entry = await JsonAsync(response);
        Assert.That((bool)entry["custom"]!, Is.True);
        Assert.That((string)entry["source"]!, Is.EqualTo("recorded"));
        Assert.That((double)entry["durationSeconds"]!, Is.EqualTo(0.8).Within(0.001));
        Assert.That(await Http.GetByteArrayAsync("/api/prompts/goodbye/wav"), Is.EqualTo(file));
        Assert.That(engine.Prompts(8000).Get("goodbye").ToArray(), Is.EqualTo(WavReader.Parse(file).Samples), "the next call hears the upload");
        Assert.That(inProgress.Get("goodbye").ToArray(), Is.EqualTo(before), "the call in progress keeps its audio");
        Assert.That(Directory.GetFiles(Custom, "*.tmp"), Is.Empty);
    }

    private static IEnumerable<TestCaseData> BadFiles()
    {
        yield return new TestCaseData(Encoding.ASCII.GetBytes("ID3 this is an mp3"), "not a RIFF file").SetName("Not_riff_is_refused");
        var wave = Wav(8000, WavEncoding.Pcm16, 0.2);
        var avi = (byte[])wave.Clone();
        Encoding.ASCII.GetBytes("AVI ").CopyTo(avi, 8);
        yield return new TestCaseData(avi, "not WAVE").SetName("Riff_that_is_not_wave_is_refused");
        var stereo = (byte[])wave.Clone();
        stereo[22] = 2;
        yield return new TestCaseData(stereo, "only mono").SetName("Stereo_is_refused");
        var float32 = (byte[])wave.Clone();
        float32[20] = 3;
        yield return new TestCaseData(float32, "format tag 3").SetName("Float_samples_are_refused");
        yield return new TestCaseData(Wav(44100, WavEncoding.Pcm16, 0.2), "44100 Hz").SetName("A_cd_rate_is_refused");
        yield return new TestCaseData(Wav(16000, WavEncoding.Pcm16, 5.5), "at most 5 s").SetName("A_prompt_past_the_length_limit_is_refused");
        yield return new TestCaseData(Wav(16000, WavEncoding.Pcm16, 0), "no audio").SetName("An_empty_data_chunk_is_refused");
        yield return new TestCaseData(wave[..60], "truncated data chunk").SetName("A_truncated_file_is_refused");
        yield return new TestCaseData(Array.Empty<byte>(), "the body is empty").SetName("An_empty_body_is_refused");
    }

    [TestCaseSource(nameof(BadFiles))]
    public async Task A_bad_file_gets_400_naming_the_reason_and_replaces_nothing(byte[] file, string reason)
    {
        var engine = _host.App.Services.GetRequiredService<MediaEngine>();
        var before = engine.Prompts(16000).Get("greeting").ToArray();

        using var response = await UploadAsync("greeting", file);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string)(await JsonAsync(response))["error"]!, Does.Contain(reason));
        Assert.That(Directory.Exists(Custom) ? Directory.GetFiles(Custom) : [], Is.Empty, "nothing written");
        Assert.That((bool)(await EntryAsync("greeting"))["custom"]!, Is.False);
        Assert.That(engine.Prompts(16000).Get("greeting").ToArray(), Is.EqualTo(before));
    }

    [TestCase("Greeting")]
    [TestCase("greeting.wav")]
    [TestCase("hello-16k")]
    public async Task A_name_that_is_not_a_prompt_name_is_refused(string name)
    {
        using var response = await UploadAsync(name, Wav(8000, WavEncoding.Pcm16, 0.2));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string)(await JsonAsync(response))["error"]!, Does.Contain("not a prompt name"));
    }

    [Test]
    public async Task Text_is_synthesized_with_espeak_and_remembered()
    {
        foreach (var tool in new[] { "espeak-ng", "sox" })
            if (!Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => File.Exists(Path.Combine(d, tool))))
                Assert.Fail($"{tool} is not installed: run ./hotline setup (apt-get install espeak-ng sox).");

        using var response = await Http.PutAsJsonAsync("/api/prompts/greeting/text", new { text = "您好，这里是市民服务热线" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var entry = await JsonAsync(response);
        Assert.That((string)entry["source"]!, Is.EqualTo("synthesized"));
        Assert.That((bool)entry["custom"]!, Is.True);
        Assert.That((string)entry["text"]!, Is.EqualTo("您好，这里是市民服务热线"));
        Assert.That((double)entry["durationSeconds"]!, Is.InRange(0.5, 5.0));
        var audio = WavReader.Read(Path.Combine(Custom, "greeting.wav"));
        Assert.That(audio.SampleRate, Is.EqualTo(16000));
        Assert.That(audio.Samples.Max(s => Math.Abs((int)s)), Is.GreaterThan(1000), "speech, not silence");
        Assert.That(_host.App.Services.GetRequiredService<MediaEngine>().Prompts(16000).Get("greeting").Length, Is.EqualTo(audio.Samples.Length));
    }

    [TestCase("{}", "text is required")]
    [TestCase("{\"text\": \" \"}", "text is required")]
    [TestCase("{\"text\": ", "not valid JSON")]
    public async Task Bad_text_gets_400_and_changes_nothing(string body, string reason)
    {
        using var response = await Http.PutAsync("/api/prompts/greeting/text", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string)(await JsonAsync(response))["error"]!, Does.Contain(reason));
        Assert.That((bool)(await EntryAsync("greeting"))["custom"]!, Is.False);
    }

    [Test]
    public async Task Deleting_a_replacement_goes_back_to_the_default()
    {
        var engine = _host.App.Services.GetRequiredService<MediaEngine>();
        var original = engine.Prompts(16000).Get("greeting").ToArray();
        (await UploadAsync("greeting", Wav(16000, WavEncoding.Pcm16, 0.3))).Dispose();

        using var deleted = await Http.DeleteAsync("/api/prompts/greeting");
        using var again = await Http.DeleteAsync("/api/prompts/greeting");

        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var entry = await JsonAsync(deleted);
        Assert.That((bool)entry["custom"]!, Is.False);
        Assert.That((string)entry["source"]!, Is.EqualTo("synthesized"));
        Assert.That((double)entry["durationSeconds"]!, Is.EqualTo(1.0).Within(0.001));
        Assert.That(engine.Prompts(16000).Get("greeting").ToArray(), Is.EqualTo(original));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((string)(await JsonAsync(again))["error"]!, Does.Contain("already is the default"));
    }

    [Test]
    public async Task A_new_prompt_becomes_usable_by_flows_and_cannot_be_deleted_while_an_active_flow_plays_it()
    {
        const string flow = """
            { "name": "holiday", "start": "a", "nodes": { "a": { "type": "play", "prompts": ["holiday_notice"], "next": "z" }, "z": { "type": "hangup" } } }
            """;
        using var before = await Http.PostAsync("/api/flows/validate", new StringContent(flow, Encoding.UTF8, "application/json"));
        Assert.That(await before.Content.ReadAsStringAsync(), Does.Contain("MissingPrompt"));

        (await UploadAsync("holiday_notice", Wav(8000, WavEncoding.MuLaw, 1.0))).Dispose();
        using var saved = await Http.PostAsync("/api/flows?activate=true", new StringContent(flow, Encoding.UTF8, "application/json"));
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.Created), await saved.Content.ReadAsStringAsync());
        Assert.That((bool)(await EntryAsync("holiday_notice"))["hasDefault"]!, Is.False);

        using var refused = await Http.DeleteAsync("/api/prompts/holiday_notice");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((string)(await JsonAsync(refused))["error"]!, Does.Contain("flow 'holiday' v1"));
        Assert.That(File.Exists(Path.Combine(Custom, "holiday_notice.wav")), Is.True, "still there");
    }

    [Test]
    public async Task A_new_prompt_no_flow_uses_is_deleted_outright()
    {
        (await UploadAsync("spare", Wav(8000, WavEncoding.Pcm16, 0.2))).Dispose();
        using var deleted = await Http.DeleteAsync("/api/prompts/spare");
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        using var gone = await Http.GetAsync("/api/prompts/spare");
        Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Replacing_a_prompt_again_and_again_never_shows_a_reader_half_a_file()
    {
        // Readers load the prompt library from the folders, as the engine does on every change, while uploads rename over the file.
        var stop = new CancellationTokenSource();
        var problems = new List<string>();
        var loads = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var library = Telephony.Media.Prompts.PromptLibrary.Load(_prompts, 8000, overrides: Custom);
                lock (problems) problems.AddRange(library.Problems);
                loads++;
            }
        });
        for (var i = 0; i < 20; i++)
        {
            using var response = await UploadAsync("greeting", Wav(16000, WavEncoding.Pcm16, 0.5 + i * 0.1));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        stop.Cancel();
        await reader;

        Assert.That(problems, Is.Empty);
        Assert.That(loads, Is.GreaterThan(0));
        Assert.That((double)(await EntryAsync("greeting"))["durationSeconds"]!, Is.EqualTo(2.4).Within(0.001));
    }
}
