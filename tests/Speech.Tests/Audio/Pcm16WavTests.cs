using Telephony.Speech.Audio;
using Telephony.Speech.Tests.Fixtures;
using Telephony.Testing;

namespace Telephony.Speech.Tests.Audio;

public class Pcm16WavTests
{
    [Test]
    public void Written_samples_read_back_unchanged()
    {
        var dir = RepositoryPaths.NewScratchDirectory("wav");
        var path = Path.Combine(dir, "a.wav");
        short[] samples = [0, 1, -1, short.MaxValue, short.MinValue, 1234];
        Pcm16Wav.Write(path, samples);
        Assert.That(Pcm16Wav.Read(path), Is.EqualTo(samples));
        Directory.Delete(dir, true);
    }

    [Test]
    public void Sox_16_kHz_output_is_read()
    {
        var samples = Pcm16Wav.Read(TestAudio.Speech("ni3 hao3"));
        Assert.That(samples.Length, Is.GreaterThan(8000));
    }

    [Test]
    public void Telephone_rate_audio_is_refused_with_the_conversion_to_run()
    {
        var dir = RepositoryPaths.NewScratchDirectory("wav");
        var path = Path.Combine(dir, "8k.wav");
        WavFile.WriteSilence(path, TimeSpan.FromSeconds(1), 8000);
        var error = Assert.Throws<InvalidDataException>(() => Pcm16Wav.Read(path))!;
        Assert.That(error.Message, Does.Contain("8000 Hz").And.Contain("sox"));
        Directory.Delete(dir, true);
    }

    [Test]
    public void Garbage_is_refused_without_throwing_from_the_parser()
    {
        Assert.That(Pcm16Wav.TryParse("RIFF\x10\0\0\0WAVEjunkjunk"u8, out _, out var error), Is.False);
        Assert.That(error, Is.Not.Empty);
        Assert.That(Pcm16Wav.TryParse([], out _, out _), Is.False);
    }
}
