using System.Buffers.Binary;
using Telephony.Media.Audio;
using Telephony.Testing;

namespace Telephony.Media.Tests.Audio;

public class WavTests
{
    private string _dir = "";

    [SetUp]
    public void CreateScratch() => _dir = RepositoryPaths.NewScratchDirectory("wav");

    [TearDown]
    public void RemoveScratch() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Pcm16_round_trips_exactly()
    {
        var samples = SignalMath.Sine(440, 16000, 16001, 20000);   // odd count: no pad byte issue for 2-byte samples
        var path = Path.Combine(_dir, "pcm.wav");
        WavWriter.Write(path, 16000, WavEncoding.Pcm16, samples);
        var audio = WavReader.Read(path);
        Assert.That(audio.SampleRate, Is.EqualTo(16000));
        Assert.That(audio.Encoding, Is.EqualTo(WavEncoding.Pcm16));
        Assert.That(audio.Samples, Is.EqualTo(samples));
        Assert.That(new FileInfo(path).Length, Is.EqualTo(44 + 2 * samples.Length));
    }

    [TestCase(WavEncoding.MuLaw)]
    [TestCase(WavEncoding.ALaw)]
    public void G711_files_round_trip_through_the_companding(WavEncoding encoding)
    {
        var samples = SignalMath.Sine(1000, 8000, 8001, 15000);   // odd byte count: the pad byte is written
        var path = Path.Combine(_dir, "g711.wav");
        WavWriter.Write(path, 8000, encoding, samples);
        var audio = WavReader.Read(path);
        Assert.That(audio.Encoding, Is.EqualTo(encoding));
        Assert.That(audio.Samples, Has.Length.EqualTo(samples.Length));
        Assert.That(SignalMath.Snr(samples, audio.Samples, 0), Is.GreaterThan(30));
        var bytes = File.ReadAllBytes(path);
        Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(20)), Is.EqualTo((ushort)encoding), "format tag");
        Assert.That(bytes.Length % 2, Is.EqualTo(0), "word-aligned");
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)), Is.EqualTo((uint)bytes.Length - 8), "RIFF size");
        // Written again from the decoded samples, the codes are the same: the companding is idempotent.
        var again = Path.Combine(_dir, "again.wav");
        WavWriter.Write(again, 8000, encoding, audio.Samples);
        Assert.That(File.ReadAllBytes(again), Is.EqualTo(bytes));
    }

    [TestCase(WavEncoding.Pcm16, "-e signed-integer -b 16")]
    [TestCase(WavEncoding.MuLaw, "-e mu-law")]
    [TestCase(WavEncoding.ALaw, "-e a-law")]
    public void Files_written_by_sox_are_read(WavEncoding encoding, string soxEncoding)
    {
        var sox = ExternalTool.Require("sox", "sox");
        var path = Path.Combine(_dir, "sox.wav");
        var arguments = $"-n -r 8000 -c 1 {soxEncoding} {path} synth 0.5 sine 800 gain -6";
        using (var process = System.Diagnostics.Process.Start(sox, arguments)) process.WaitForExit(30_000);
        var audio = WavReader.Read(path);
        Assert.That(audio.Encoding, Is.EqualTo(encoding));
        Assert.That(audio.SampleRate, Is.EqualTo(8000));
        Assert.That(audio.Samples, Has.Length.EqualTo(4000));
        Assert.That(SignalMath.Rms(audio.Samples), Is.GreaterThan(5000));
    }

    [Test]
    public void A_truncated_data_chunk_is_refused_naming_the_sizes()
    {
        var path = Path.Combine(_dir, "truncated.wav");
        WavWriter.Write(path, 8000, WavEncoding.Pcm16, new short[1000]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..1000]);
        Assert.That(() => WavReader.Read(path), Throws.TypeOf<WavFormatException>()
            .With.Message.Contains("truncated data chunk (2000 bytes declared, 956 present)"));
    }

    [TestCase(new byte[0], "too short")]
    [TestCase(new byte[] { 0x4D, 0x5A, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF }, "not a RIFF file")]
    public void Garbage_is_refused(byte[] content, string reason)
    {
        var path = Path.Combine(_dir, "garbage.wav");
        File.WriteAllBytes(path, content);
        Assert.That(() => WavReader.Read(path), Throws.TypeOf<WavFormatException>().With.Message.Contains(reason).And.Message.Contains(path));
    }

    [Test]
    public void Random_bytes_never_escape_as_anything_but_a_wav_format_exception()
    {
        var random = new Random(4);
        int parsed = 0, refused = 0;
        var valid = new byte[200];
        WavHeader(valid, 1, 1, 8000, 16);
        for (int i = 0; i < 2000; i++)
        {
            var mutant = (byte[])valid.Clone();
            for (int k = random.Next(1, 6); k > 0; k--) mutant[random.Next(mutant.Length)] = (byte)random.Next(256);
            var length = random.Next(0, mutant.Length + 1);
            try { WavReader.Parse(mutant.AsSpan(0, length)); parsed++; }
            catch (WavFormatException) { refused++; }
        }
        Assert.That(parsed + refused, Is.EqualTo(2000));
        Assert.That(refused, Is.GreaterThan(0));
        Assert.That(parsed, Is.GreaterThan(0));
    }

    [TestCase(3, 1, 8000, 32, "format tag 3")]
    [TestCase(1, 2, 8000, 16, "2 channels")]
    [TestCase(1, 1, 8000, 8, "8 bits per sample for Pcm16")]
    [TestCase(7, 1, 8000, 16, "16 bits per sample for MuLaw")]
    [TestCase(1, 1, 0, 16, "implausible sample rate 0")]
    public void Unsupported_formats_are_refused_saying_why(int tag, int channels, int rate, int bits, string reason)
    {
        var bytes = new byte[44 + 16];
        WavHeader(bytes, tag, channels, rate, bits);
        Assert.That(() => WavReader.Parse(bytes), Throws.TypeOf<WavFormatException>().With.Message.Contains(reason));
    }

    [Test]
    public void Unknown_chunks_are_skipped()
    {
        var samples = new short[] { 1, -2, 3, -4 };
        var path = Path.Combine(_dir, "plain.wav");
        WavWriter.Write(path, 8000, WavEncoding.Pcm16, samples);
        var plain = File.ReadAllBytes(path);
        // Insert an odd-sized LIST chunk (5 bytes + pad) between fmt and data.
        var list = new byte[] { (byte)'L', (byte)'I', (byte)'S', (byte)'T', 5, 0, 0, 0, 1, 2, 3, 4, 5, 0 };
        var withList = plain[..36].Concat(list).Concat(plain[36..]).ToArray();
        Assert.That(WavReader.Parse(withList).Samples, Is.EqualTo(samples));
    }

    [Test]
    public void A_missing_file_is_a_wav_format_exception_naming_it()
    {
        var path = Path.Combine(_dir, "absent.wav");
        Assert.That(() => WavReader.Read(path), Throws.TypeOf<WavFormatException>().With.Message.Contains("absent.wav"));
    }

    private static void WavHeader(byte[] bytes, int tag, int channels, int rate, int bits)
    {
        "RIFF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), bytes.Length - 8);
        "WAVEfmt "u8.CopyTo(bytes.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(20), (short)tag);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(22), (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), rate);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(34), (short)bits);
        "data"u8.CopyTo(bytes.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(40), bytes.Length - 44);
    }
}
