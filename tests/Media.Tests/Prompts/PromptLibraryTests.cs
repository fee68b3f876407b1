using Telephony.Media.Audio;
using Telephony.Media.Prompts;
using Telephony.Testing;

namespace Telephony.Media.Tests.Prompts;

public class PromptLibraryTests
{
    private string _dir = "";

    [SetUp]
    public void CreateScratch() => _dir = RepositoryPaths.NewScratchDirectory("prompts");

    [TearDown]
    public void RemoveScratch() => Directory.Delete(_dir, recursive: true);

    [TestCase(8000)]
    [TestCase(16000)]
    public void Every_wav_format_loads_at_the_rate_asked(int rate)
    {
        WavWriter.Write(Path.Combine(_dir, "wide.wav"), 16000, WavEncoding.Pcm16, SignalMath.Sine(1000, 16000, 16000, 10000));
        WavWriter.Write(Path.Combine(_dir, "ulaw.wav"), 8000, WavEncoding.MuLaw, SignalMath.Sine(1000, 8000, 8000, 10000));
        WavWriter.Write(Path.Combine(_dir, "alaw.wav"), 8000, WavEncoding.ALaw, SignalMath.Sine(1000, 8000, 8000, 10000));
        var library = PromptLibrary.Load(_dir, rate);
        var ideal = SignalMath.Sine(1000, rate, rate, 10000);
        foreach (var name in new[] { "wide", "ulaw", "alaw" })
        {
            var pcm = library.Get(name).ToArray();
            Assert.That(pcm, Has.Length.EqualTo(rate), $"{name}: one second at {rate} Hz");
            // Converted prompts start on time: the resampler's delay is taken out.
            double snr = SignalMath.Snr(ideal, pcm, 0, skip: 100);
            Assert.That(snr, Is.GreaterThan(30), $"{name} at {rate} Hz");
        }
        Assert.That(library.Problems, Is.Empty);
    }

    [Test]
    public void The_beep_comes_from_the_tone_generator_unless_a_file_replaces_it()
    {
        var generated = PromptLibrary.Load(_dir, 8000).Get(PromptLibrary.Beep).ToArray();
        Assert.That(generated, Is.EqualTo(ToneGenerator.Render(TonePattern.Beep, 8000)));

        var custom = SignalMath.Sine(800, 8000, 1600, 5000);
        WavWriter.Write(Path.Combine(_dir, "beep.wav"), 8000, WavEncoding.Pcm16, custom);
        Assert.That(PromptLibrary.Load(_dir, 8000).Get(PromptLibrary.Beep).ToArray(), Is.EqualTo(custom));
    }

    [Test]
    public void A_file_for_the_rate_asked_wins_over_a_converted_one()
    {
        var narrow = SignalMath.Sine(500, 8000, 800, 7000);
        WavWriter.Write(Path.Combine(_dir, "greeting.wav"), 16000, WavEncoding.Pcm16, SignalMath.Sine(300, 16000, 3200, 7000));
        WavWriter.Write(Path.Combine(_dir, "greeting-8k.wav"), 8000, WavEncoding.MuLaw, narrow);
        Assert.That(PromptLibrary.Load(_dir, 8000).Get("greeting").Length, Is.EqualTo(800));
        Assert.That(PromptLibrary.Load(_dir, 16000).Get("greeting").Length, Is.EqualTo(3200));
    }

    [Test]
    public void Prompts_listed_but_absent_are_reported_missing_with_the_fix()
    {
        File.WriteAllText(Path.Combine(_dir, PromptLibrary.CatalogFile), "name\tchinese\tpinyin\ngreeting\t您好\tnin2 hao3\ngoodbye\t再见\tzai4 jian4\n");
        WavWriter.Write(Path.Combine(_dir, "goodbye.wav"), 8000, WavEncoding.Pcm16, new short[800]);
        var library = PromptLibrary.Load(_dir, 8000);
        Assert.That(library.Missing, Is.EqualTo(new[] { "greeting" }));
        Assert.That(() => library.Get("greeting"), Throws.TypeOf<KeyNotFoundException>()
            .With.Message.Contains("run ./hotline setup").And.Message.Contains("beep, goodbye"));
    }

    [Test]
    public void A_bad_file_is_skipped_with_its_reason_and_the_others_load()
    {
        File.WriteAllBytes(Path.Combine(_dir, "broken.wav"), "RIFF\0\0\0\0WAVEjunk"u8.ToArray());
        WavWriter.Write(Path.Combine(_dir, "cd.wav"), 44100, WavEncoding.Pcm16, new short[441]);
        WavWriter.Write(Path.Combine(_dir, "fine.wav"), 8000, WavEncoding.Pcm16, new short[80]);
        var library = PromptLibrary.Load(_dir, 8000);
        Assert.That(library.Names, Is.EquivalentTo(new[] { "fine", "beep" }));
        Assert.That(library.Problems, Has.Count.EqualTo(2));
        Assert.That(library.Problems, Has.Some.Contains("broken.wav").And.Some.Contains("cd.wav: sample rate 44100 Hz"));
    }

    [Test]
    public void A_rate_other_than_8_or_16_khz_is_refused()
    {
        Assert.That(() => PromptLibrary.Load(_dir, 44100), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}

/// <summary>scripts/setup.d/40-prompts.sh run on a scratch folder (TELEPHONY_PROMPTS).</summary>
public class PromptSetupTests
{
    private string _dir = "";

    [SetUp]
    public void CreateScratch()
    {
        ExternalTool.Require("espeak-ng", "espeak-ng");
        ExternalTool.Require("sox", "sox");
        _dir = RepositoryPaths.NewScratchDirectory("setup");
        File.Copy(Path.Combine(RepositoryPaths.Root, "prompts", PromptLibrary.CatalogFile), Path.Combine(_dir, PromptLibrary.CatalogFile));
    }

    [TearDown]
    public void RemoveScratch() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Setup_synthesizes_the_greeting_and_goodbye_and_the_library_loads_them()
    {
        RunSetup();
        var library = PromptLibrary.Load(_dir, 8000);
        Assert.That(library.Missing, Is.Empty);
        Assert.That(library.Problems, Is.Empty);
        var greeting = library.Get("greeting");
        TestContext.Out.WriteLine($"greeting {greeting.Length / 8000.0:F1} s, goodbye {library.Get("goodbye").Length / 8000.0:F1} s");
        Assert.That(greeting.Length / 8000.0, Is.InRange(4, 20), "a sentence of speech");
        Assert.That(SignalMath.Rms(greeting.Span), Is.GreaterThan(1000), "audible");
        Assert.That(WavReader.Read(Path.Combine(_dir, "greeting.wav")).SampleRate, Is.EqualTo(16000));
    }

    [Test]
    public void Setup_skips_unchanged_prompts_redoes_changed_ones_and_never_replaces_a_recording()
    {
        RunSetup();
        var greeting = Path.Combine(_dir, "greeting.wav");
        var goodbye = Path.Combine(_dir, "goodbye.wav");
        var greetingTime = File.GetLastWriteTimeUtc(greeting);
        var goodbyeBytes = File.ReadAllBytes(goodbye);

        // The goodbye text changes; the greeting is replaced by a person's recording (no stamp).
        var catalog = Path.Combine(_dir, PromptLibrary.CatalogFile);
        File.WriteAllText(catalog, File.ReadAllText(catalog).Replace("zai4 jian4.", "zai4 jian4, zhu4 nin2 sheng1 huo2 yu2 kuai4."));
        WavWriter.Write(greeting, 8000, WavEncoding.ALaw, new short[4000]);
        File.Delete(Path.Combine(_dir, ".synth", "greeting.sha256"));
        var recorded = File.ReadAllBytes(greeting);

        var output = RunSetup();
        Assert.That(output, Does.Contain("goodbye").And.Not.Contain("greeting"));
        Assert.That(File.ReadAllBytes(goodbye), Is.Not.EqualTo(goodbyeBytes), "the changed text was synthesized again");
        Assert.That(File.ReadAllBytes(greeting), Is.EqualTo(recorded), "a recording is kept");

        Assert.That(RunSetup(), Is.Empty, "nothing to do the third time");
        Assert.That(greetingTime, Is.Not.EqualTo(default(DateTime)));
    }

    private string RunSetup()
    {
        var script = Path.Combine(RepositoryPaths.Root, "scripts", "setup.d", "40-prompts.sh");
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.Environment["TELEPHONY_PROMPTS"] = _dir;
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        Assert.That(process.WaitForExit(120_000), Is.True, "40-prompts.sh finished");
        Assert.That(process.ExitCode, Is.EqualTo(0), stderr);
        return stdout.Result;
    }
}
