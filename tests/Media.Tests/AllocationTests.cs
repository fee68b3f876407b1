using Microsoft.Extensions.Time.Testing;
using Telephony.Media.Audio;
using Telephony.Media.Codecs;
using Telephony.Media.Recording;
using Telephony.Testing;

namespace Telephony.Media.Tests;

/// <summary>The per-frame work of a call allocates nothing: a thousand calls make no garbage at 50 frames/s.</summary>
public class AllocationTests
{
    [TestCase("PCMU")]
    [TestCase("PCMA")]
    [TestCase("G722")]
    public void Encoding_and_decoding_a_frame_allocates_nothing(string name)
    {
        var encoder = AudioCodecs.Create(name);
        var decoder = AudioCodecs.Create(name);
        var pcm = SignalMath.Sine(440, encoder.SampleRate, encoder.SampleRate / 50, 9000);
        var payload = new byte[encoder.EncodedLength(pcm.Length)];
        var decoded = new short[pcm.Length];
        Assert.That(BytesPerFrame(() =>
        {
            encoder.Encode(pcm, payload);
            decoder.Decode(payload, decoded);
        }), Is.Zero);
    }

    [Test]
    public void Resampling_tones_and_dtmf_detection_allocate_nothing_per_frame()
    {
        var up = new Upsampler8To16();
        var down = new Downsampler16To8();
        var tone = new ToneGenerator(TonePattern.ChinaRingback, 8000);
        var detector = new DtmfDetector();
        var narrow = new short[160];
        var wide = new short[320];
        Assert.That(BytesPerFrame(() =>
        {
            tone.Generate(narrow);
            up.Process(narrow, wide);
            down.Process(wide, narrow);
            detector.Process(narrow);
        }), Is.Zero);
    }

    [Test]
    public void Recording_a_frame_allocates_nothing()
    {
        var dir = RepositoryPaths.NewScratchDirectory("alloc");
        try
        {
            var time = new FakeTimeProvider();
            using var recorder = new CallRecorder(Path.Combine(dir, "r.wav"), 8000, time);
            var frame = SignalMath.Sine(440, 8000, 160, 9000);
            Assert.That(BytesPerFrame(() =>
            {
                recorder.Write(frame);
                time.Advance(TimeSpan.FromMilliseconds(20));   // includes a flush every 50 frames
            }), Is.Zero);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static long BytesPerFrame(Action frame)
    {
        for (int i = 0; i < 200; i++) frame();      // warm up: JIT tiers, static tables
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) frame();
        return (GC.GetAllocatedBytesForCurrentThread() - before) / 1000;
    }
}
