using Telephony.Media.Audio;
using Telephony.Media.Prompts;
using Telephony.Testing;

namespace Telephony.Media.Tests.Prompts;

/// <summary>The admin's replacement folder (/api/prompts writes it) laid over the default prompts.</summary>
public class PromptOverridesTests
{
    private string _defaults = "";
    private string _custom = "";

    [SetUp]
    public void CreateScratch()
    {
        _defaults = RepositoryPaths.NewScratchDirectory("prompt-defaults");
        _custom = RepositoryPaths.NewScratchDirectory("prompt-custom");
        File.WriteAllText(Path.Combine(_defaults, PromptLibrary.CatalogFile), "name\tchinese\tpinyin\ngreeting\t您好\tnin2 hao3\nclosed\t下班了\txia4 ban1 le5\n");
        WavWriter.Write(Path.Combine(_defaults, "greeting.wav"), 16000, WavEncoding.Pcm16, new short[1600]);
        WavWriter.Write(Path.Combine(_defaults, "greeting-8k.wav"), 8000, WavEncoding.MuLaw, new short[800]);
    }

    [TearDown]
    public void RemoveScratch()
    {
        Directory.Delete(_defaults, recursive: true);
        Directory.Delete(_custom, recursive: true);
    }

    [TestCase(8000, 2400)]
    [TestCase(16000, 4800)]
    public void A_replacement_beats_every_default_file_of_its_name(int rate, int samples)
    {
        WavWriter.Write(Path.Combine(_custom, "greeting.wav"), 8000, WavEncoding.ALaw, new short[2400]);

        var library = PromptLibrary.Load(_defaults, rate, overrides: _custom);

        Assert.That(library.Get("greeting").Length, Is.EqualTo(samples), "the 0.3 s replacement, not the 0.1 s defaults");
        Assert.That(library.Problems, Is.Empty);
    }

    [Test]
    public void A_replacement_fills_a_missing_prompt_and_adds_new_ones()
    {
        WavWriter.Write(Path.Combine(_custom, "closed.wav"), 8000, WavEncoding.Pcm16, new short[400]);
        WavWriter.Write(Path.Combine(_custom, "holiday_notice.wav"), 8000, WavEncoding.Pcm16, new short[400]);

        var library = PromptLibrary.Load(_defaults, 8000, overrides: _custom);

        Assert.That(library.Missing, Is.Empty);
        Assert.That(library.Names, Does.Contain("holiday_notice"));
    }

    [Test]
    public void A_broken_replacement_is_skipped_and_the_default_still_plays()
    {
        File.WriteAllText(Path.Combine(_custom, "greeting.wav"), "ID3 this is an mp3 file");

        var library = PromptLibrary.Load(_defaults, 8000, overrides: _custom);

        Assert.That(library.Get("greeting").Length, Is.EqualTo(800));
        Assert.That(library.Problems.Single(), Does.Contain("not a RIFF file"));
    }

    [Test]
    public void Without_the_folder_the_defaults_load_as_before()
    {
        var library = PromptLibrary.Load(_defaults, 8000, overrides: Path.Combine(_custom, "absent"));
        Assert.That(library.Get("greeting").Length, Is.EqualTo(800));
        Assert.That(library.Missing, Is.EqualTo(new[] { "closed" }));
    }
}
