using Telephony.Media.Audio;

namespace Telephony.Media.Tests.Audio;

public class ToneGeneratorTests
{
    [Test]
    public void China_ringback_is_450_hz_for_1_s_then_4_s_of_silence_repeated()
    {
        var generator = new ToneGenerator(TonePattern.ChinaRingback, 8000);
        var audio = new short[8000 * 10];
        Assert.That(generator.Generate(audio), Is.EqualTo(audio.Length));
        Assert.That(SignalMath.Rms(audio.AsSpan(0, 8000)), Is.GreaterThan(1000));
        Assert.That(audio.AsSpan(8000, 32000).ToArray(), Is.All.EqualTo((short)0));
        Assert.That(SignalMath.Rms(audio.AsSpan(40000, 8000)), Is.GreaterThan(1000), "the second cycle rings again");
        Assert.That(ZeroCrossings(audio.AsSpan(0, 8000)) / 2.0, Is.EqualTo(450).Within(2), "cycles in one second");
    }

    [Test]
    public void Level_in_dbm0_sets_the_rms()
    {
        var audio = ToneGenerator.Render(TonePattern.Beep with { LevelDbm0 = -10 }, 8000);
        Assert.That(Dbm0.FromRms(SignalMath.Rms(audio)), Is.EqualTo(-10).Within(0.05));
    }

    [Test]
    public void Twenty_ms_frames_join_without_a_click()
    {
        var whole = ToneGenerator.Render(TonePattern.Beep, 8000);
        var generator = new ToneGenerator(TonePattern.Beep, 8000);
        var framed = new short[whole.Length];
        for (int offset = 0; offset < framed.Length; offset += 160) generator.Generate(framed.AsSpan(offset, Math.Min(160, framed.Length - offset)));
        Assert.That(framed, Is.EqualTo(whole));
        Assert.That(generator.Finished, Is.True);
    }

    [Test]
    public void A_one_shot_tone_ends_and_then_writes_silence()
    {
        var generator = new ToneGenerator(TonePattern.Beep, 8000);
        var audio = new short[8000];
        Assert.That(generator.Generate(audio), Is.EqualTo(2400), "300 ms at 8 kHz");
        Assert.That(audio.AsSpan(2400).ToArray(), Is.All.EqualTo((short)0));
    }

    [Test]
    public void An_unknown_dtmf_key_is_refused()
    {
        Assert.That(() => TonePattern.Dtmf('x'), Throws.ArgumentException.With.Message.Contains("not a DTMF key"));
    }

    private static int ZeroCrossings(ReadOnlySpan<short> samples)
    {
        int count = 0;
        for (int i = 1; i < samples.Length; i++) if ((samples[i - 1] < 0) != (samples[i] < 0)) count++;
        return count;
    }
}
