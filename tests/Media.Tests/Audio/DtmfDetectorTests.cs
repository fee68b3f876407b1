using Telephony.Media.Audio;

namespace Telephony.Media.Tests.Audio;

public class DtmfDetectorTests
{
    private const string Digits = DtmfFrequencies.AllDigits;

    [Test]
    public void Finds_all_16_digits_at_minus_20_dbm0()
    {
        var audio = ToneGenerator.RenderDigits(Digits, 8000, onMilliseconds: 100, offMilliseconds: 100, levelDbm0: -20);
        Assert.That(Detect(audio), Is.EqualTo(Digits));
    }

    [TestCase(0)]
    [TestCase(17)]
    [TestCase(51)]
    [TestCase(97)]
    public void Finds_all_16_digits_of_40_ms_with_40_ms_pauses_whatever_the_block_alignment(int leadingSilence)
    {
        var tones = ToneGenerator.RenderDigits(Digits, 8000, onMilliseconds: 40, offMilliseconds: 40, levelDbm0: -20);
        var audio = new short[leadingSilence + tones.Length];
        tones.CopyTo(audio, leadingSilence);
        Assert.That(Detect(audio), Is.EqualTo(Digits));
    }

    [Test]
    public void Reports_where_each_tone_started_within_one_block()
    {
        var audio = ToneGenerator.RenderDigits("159", 8000, 100, 100, -20);
        var detector = new DtmfDetector();
        detector.Process(audio);
        var starts = new List<long>();
        while (detector.TryRead(out var d)) starts.Add(d.StartSample);
        Assert.That(starts, Has.Count.EqualTo(3));
        for (int i = 0; i < 3; i++) Assert.That(starts[i], Is.InRange(i * 1600L, i * 1600L + DtmfDetector.BlockSize));
    }

    [Test]
    public void A_long_key_press_is_reported_once()
    {
        var audio = ToneGenerator.Render(TonePattern.Dtmf('5', onMilliseconds: 2000, offMilliseconds: 100, levelDbm0: -20), 8000);
        Assert.That(Detect(audio), Is.EqualTo("5"));
    }

    [Test]
    public void Tones_off_by_1_5_percent_are_still_found()
    {
        foreach (double deviation in new[] { -0.015, 0.015 })
        {
            var pattern = TonePattern.Dtmf('8', 100, 100, -20);
            var shifted = pattern with { Frequency1 = pattern.Frequency1 * (1 + deviation), Frequency2 = pattern.Frequency2 * (1 + deviation) };
            Assert.That(Detect(ToneGenerator.Render(shifted, 8000)), Is.EqualTo("8"), $"deviation {deviation:P1}");
        }
    }

    [Test]
    public void Tones_below_the_sensitivity_are_ignored()
    {
        var audio = ToneGenerator.RenderDigits("123", 8000, 100, 100, levelDbm0: -40);
        Assert.That(Detect(audio), Is.Empty);
    }

    [Test]
    public void Excessive_twist_is_rejected()
    {
        // The high tone 12 dB under the low one: beyond the 8 dB normal twist.
        var low = SignalMath.Sine(697, 8000, 800, Dbm0.SineAmplitude(-10));
        var high = SignalMath.Sine(1209, 8000, 800, Dbm0.SineAmplitude(-22));
        var audio = low.Zip(high, (a, b) => (short)(a + b)).ToArray();
        Assert.That(Detect(audio), Is.Empty);
    }

    [TestCase(50)]
    [TestCase(10)]
    [TestCase(90)]
    public void Reports_nothing_over_mandarin_speech(int pitch)
    {
        var speech = TestSpeech.Mandarin(8000, pitch);
        Assert.That(speech.Length, Is.GreaterThan(8000 * 10), "several sentences");
        Assert.That(Detect(speech), Is.Empty);
    }

    [Test]
    public void Reports_nothing_over_the_ringback_tone()
    {
        var generator = new ToneGenerator(TonePattern.ChinaRingback, 8000);
        var audio = new short[8000 * 12];
        generator.Generate(audio);
        Assert.That(Detect(audio), Is.Empty);
    }

    [Test]
    public void Speech_with_digits_between_sentences_yields_just_the_digits()
    {
        var speech = TestSpeech.Mandarin(8000);
        var digits = ToneGenerator.RenderDigits("12345", 8000, 80, 80, -20);
        var audio = speech.Take(40000).Concat(digits).Concat(speech.Skip(40000)).ToArray();
        Assert.That(Detect(audio), Is.EqualTo("12345"));
    }

    // Feeds 20 ms frames, as the media path does.
    private static string Detect(short[] audio)
    {
        var detector = new DtmfDetector();
        for (int offset = 0; offset < audio.Length; offset += 160)
            detector.Process(audio.AsSpan(offset, Math.Min(160, audio.Length - offset)));
        var found = new System.Text.StringBuilder();
        while (detector.TryRead(out var detection)) found.Append(detection.Digit);
        return found.ToString();
    }
}
