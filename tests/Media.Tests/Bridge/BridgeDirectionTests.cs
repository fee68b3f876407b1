using NUnit.Framework;
using Telephony.Media.Bridge;
using Telephony.Media.Codecs;

namespace Telephony.Media.Tests.Bridge;

/// <summary>
/// A tone through a bridge, for every codec pair: encode with the source leg's codec, decode, through the
/// bridge direction (resampled when the rates differ), encode with the destination leg's codec, decode, and
/// compare with the same tone at the destination rate after aligning for the codecs' and filters' delay.
/// </summary>
public class BridgeDirectionTests
{
    private static readonly string[] Codecs = ["PCMU", "PCMA", "G722"];

    private static IEnumerable<TestCaseData> Pairs() =>
        from a in Codecs from b in Codecs select new TestCaseData(a, b).SetName($"Tone_passes_{a}_to_{b}");

    [TestCaseSource(nameof(Pairs))]
    public void Tone_passes_through_the_bridge(string from, string to)
    {
        var encodeA = AudioCodecs.Create(from);
        var decodeA = AudioCodecs.Create(from);
        var encodeB = AudioCodecs.Create(to);
        var decodeB = AudioCodecs.Create(to);
        var direction = new BridgeDirection(encodeA.SampleRate, encodeB.SampleRate);
        const double seconds = 1.0;
        var input = SignalMath.Sine(1000, encodeA.SampleRate, (int)(seconds * encodeA.SampleRate), 8000);
        var output = new List<short>();
        var frameA = encodeA.SampleRate / 50;
        var frameB = new short[encodeB.SampleRate / 50];
        var payload = new byte[400];
        var pcm = new short[frameA];
        for (var i = 0; i + frameA <= input.Length; i += frameA)
        {
            // Leg A's session: receive and decode one frame; the bridge; leg B's session: encode what it reads.
            var n = encodeA.Encode(input.AsSpan(i, frameA), payload);
            decodeA.Decode(payload.AsSpan(0, n), pcm);
            direction.Push(pcm);
            Assert.That(direction.Read(frameB), Is.True, "a frame is ready on the same tick");
            var m = encodeB.Encode(frameB, payload);
            var decoded = new short[frameB.Length];
            decodeB.Decode(payload.AsSpan(0, m), decoded);
            output.AddRange(decoded);
        }
        // The resamplers' delay is a fraction of a sample after 16 → 8 kHz, so rather than align to a whole
        // sample, fit a 1 kHz sinusoid (any phase) by least squares and call what remains noise.
        var got = output.ToArray();
        var skip = encodeB.SampleRate / 10; // the codecs' adaptation and the filters' start
        double sin = 0, cos = 0;
        for (var i = skip; i < got.Length; i++)
        {
            var w = 2 * Math.PI * 1000 * i / encodeB.SampleRate;
            sin += got[i] * Math.Sin(w);
            cos += got[i] * Math.Cos(w);
        }
        var count = got.Length - skip;
        double a = 2 * sin / count, b = 2 * cos / count, signal = 0, noise = 0;
        for (var i = skip; i < got.Length; i++)
        {
            var w = 2 * Math.PI * 1000 * i / encodeB.SampleRate;
            var fit = a * Math.Sin(w) + b * Math.Cos(w);
            signal += fit * fit;
            noise += (got[i] - fit) * (got[i] - fit);
        }
        var snr = 10 * Math.Log10(signal / Math.Max(noise, 1e-9));
        var amplitude = Math.Sqrt(a * a + b * b);
        TestContext.Out.WriteLine($"{from} → {to}: amplitude {amplitude:F0} of 8000, SNR {snr:F1} dB");
        Assert.That(snr, Is.GreaterThanOrEqualTo(25), "G.711 quantization alone gives ~35 dB");
        Assert.That(amplitude, Is.InRange(8000 * 0.8, 8000 * 1.25), "the level survives (within 2 dB)");
        Assert.That(direction.Dropped, Is.Zero);
    }

    [Test]
    public void A_reader_that_falls_behind_loses_old_audio_not_delay()
    {
        var direction = new BridgeDirection(8000, 8000);
        for (var i = 0; i < 10; i++) direction.Push(Enumerable.Repeat((short)i, 160).ToArray());
        var frame = new short[160];
        Assert.That(direction.Read(frame), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(frame[0], Is.EqualTo(7), "60 ms kept: frames 7, 8, 9");
            Assert.That(direction.Dropped, Is.EqualTo(7 * 160));
        });
    }

    [Test]
    public void Nothing_queued_reads_as_silence()
    {
        Assert.That(new BridgeDirection(16000, 8000).Read(new short[160]), Is.False);
    }

    [Test]
    public void A_rate_other_than_8_or_16_kHz_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BridgeDirection(44100, 8000));
    }
}
