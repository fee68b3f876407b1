using Telephony.Media.Audio;

namespace Telephony.Media.Tests.Audio;

public class ResamplerTests
{
    [Test]
    public void A_1_khz_tone_survives_8_to_16_to_8_khz_with_high_snr()
    {
        var tone = SignalMath.Sine(1000, 8000, 8000, 10000);
        var up = new Upsampler8To16();
        var down = new Downsampler16To8();
        var wide = new short[tone.Length * 2];
        var back = new short[tone.Length];
        // 20 ms frames, as the media path feeds them.
        for (int offset = 0; offset < tone.Length; offset += 160)
        {
            up.Process(tone.AsSpan(offset, 160), wide.AsSpan(2 * offset, 320));
            down.Process(wide.AsSpan(2 * offset, 320), back.AsSpan(offset, 160));
        }
        // A 1 kHz tone repeats every 8 samples, so the delay comes from the chirp test below: 31 samples.
        double snr = SignalMath.Snr(tone, back, 31, skip: 100);
        TestContext.Out.WriteLine(snr > 150 ? "8→16→8 kHz, 1 kHz tone: every sample comes back exactly" : $"8→16→8 kHz, 1 kHz tone: SNR {snr:F1} dB");
        Assert.That(snr, Is.GreaterThan(50));
    }

    [Test]
    public void The_round_trip_delays_a_telephone_band_chirp_by_31_samples_and_keeps_it()
    {
        // 300 → 3400 Hz in 2 s: not periodic, so the delay is unambiguous.
        var chirp = new short[16000];
        for (int i = 0; i < chirp.Length; i++)
        {
            double t = i / 8000.0;
            chirp[i] = (short)(9000 * Math.Sin(2 * Math.PI * (300 * t + 3100 / 4.0 * t * t)));
        }
        var wide = new short[32000];
        var back = new short[16000];
        new Upsampler8To16().Process(chirp, wide);
        new Downsampler16To8().Process(wide, back);
        int delay = SignalMath.BestDelay(chirp, back, 64);
        double snr = SignalMath.Snr(chirp, back, delay, skip: 100);
        TestContext.Out.WriteLine($"8→16→8 kHz, 300–3400 Hz chirp: delay {delay} samples, SNR {snr:F1} dB");
        Assert.That(delay, Is.EqualTo(31));
        Assert.That(snr, Is.GreaterThan(40));
    }

    [Test]
    public void The_16_khz_signal_carries_the_tone_at_the_same_level()
    {
        var tone = SignalMath.Sine(1000, 8000, 8000, 10000);
        var wide = new short[16000];
        new Upsampler8To16().Process(tone, wide);
        var reference = SignalMath.Sine(1000, 16000, 16000, 10000);
        double snr = SignalMath.Snr(reference, wide, 31, skip: 200);
        TestContext.Out.WriteLine(snr > 150 ? "8→16 kHz, 1 kHz tone: equal to an ideal 16 kHz tone sample for sample" : $"8→16 kHz, 1 kHz tone against an ideal 16 kHz tone: SNR {snr:F1} dB");
        Assert.That(snr, Is.GreaterThan(50));
    }

    [Test]
    public void A_6_khz_tone_at_16_khz_is_attenuated_by_at_least_40_db_going_to_8_khz()
    {
        var tone = SignalMath.Sine(6000, 16000, 16000, 20000);
        var narrow = new short[8000];
        new Downsampler16To8().Process(tone, narrow);
        // Past the filter's start-up the output may round to all zeros: count that as half an LSB of RMS.
        double residual = SignalMath.Rms(narrow.AsSpan(100));
        double attenuation = 20 * Math.Log10(SignalMath.Rms(tone) / Math.Max(residual, 0.5));
        TestContext.Out.WriteLine($"16→8 kHz, 6 kHz tone attenuated by {(residual < 0.5 ? "at least " : "")}{attenuation:F1} dB");
        Assert.That(attenuation, Is.GreaterThanOrEqualTo(40));
    }

    [Test]
    public void Every_tone_from_4_7_to_7_9_khz_is_attenuated_by_at_least_40_db_going_to_8_khz()
    {
        double weakest = double.PositiveInfinity;
        for (double frequency = 4700; frequency < 8000; frequency += 137)
        {
            var tone = SignalMath.Sine(frequency, 16000, 8000, 20000);
            var narrow = new short[4000];
            new Downsampler16To8().Process(tone, narrow);
            double attenuation = 20 * Math.Log10(SignalMath.Rms(tone) / Math.Max(SignalMath.Rms(narrow.AsSpan(100)), 1e-3));
            Assert.That(attenuation, Is.GreaterThanOrEqualTo(40), $"{frequency} Hz");
            weakest = Math.Min(weakest, attenuation);
        }
        TestContext.Out.WriteLine($"16→8 kHz, 4.7–7.9 kHz: at least {weakest:F1} dB down");
    }

    [Test]
    public void Frames_of_any_length_give_the_same_output_as_one_block()
    {
        var speechLike = SignalMath.Sine(700, 16000, 4000, 9000);
        for (int i = 0; i < speechLike.Length; i++) speechLike[i] += (short)(3000 * Math.Sin(i * 0.37));
        var whole = new short[2000];
        new Downsampler16To8().Process(speechLike, whole);
        var pieces = new short[2000];
        var down = new Downsampler16To8();
        int inOffset = 0, outOffset = 0, size = 1;
        while (inOffset < speechLike.Length)
        {
            int n = Math.Min(size, speechLike.Length - inOffset);
            outOffset += down.Process(speechLike.AsSpan(inOffset, n), pieces.AsSpan(outOffset));
            inOffset += n;
            size = size % 7 + 1;   // 1…7 samples, odd and even
        }
        Assert.That(outOffset, Is.EqualTo(2000));
        Assert.That(pieces, Is.EqualTo(whole));
    }

    [Test]
    public void Upsampled_frames_join_seamlessly()
    {
        var tone = SignalMath.Sine(1200, 8000, 1600, 12000);
        var whole = new short[3200];
        new Upsampler8To16().Process(tone, whole);
        var framed = new short[3200];
        var up = new Upsampler8To16();
        for (int offset = 0; offset < tone.Length; offset += 160) up.Process(tone.AsSpan(offset, 160), framed.AsSpan(2 * offset));
        Assert.That(framed, Is.EqualTo(whole));
    }
}
