using Telephony.Speech.Audio;
using Telephony.Speech.Tests.Fixtures;
using Telephony.Speech.Vad;

namespace Telephony.Speech.Tests.Vad;

/// <summary>
/// whisper.cpp's Silero VAD (v6.2 ggml) driving the endpointer on espeak-ng Mandarin that went through the
/// telephone path (8 kHz, 300–3400 Hz, line noise) and back to 16 kHz. The reference is where the clean
/// signal is above -40 dBFS; the detected boundaries must be within 200 ms of it.
/// </summary>
public class SileroEndpointingTests
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(200);

    private static readonly string[] Sentences =
    [
        "nin2 hao3, wo3 xiang3 fan3 ying4 yi2 ge4 wen4 ti2.",
        "wo3 men5 xiao3 qu1 de5 shui3 guan3 po4 le5, yi3 jing1 liang3 tian1 mei2 you3 shui3.",
        "qing3 jin3 kuai4 pai4 ren2 lai2 chu3 li3, xie4 xie4.",
    ];

    [TestCase(null, TestName = "Sentences_in_silence_through_the_telephone_band_are_found_within_200_ms")]
    [TestCase(-35.0, TestName = "Sentences_in_line_noise_35_dB_down_are_found_within_200_ms")]
    // At 25 dB down the ends drift out to 190–230 ms late (the hangover at the 0.35 continue threshold
    // rides on the noise); 30 dB is the noisiest line the 200 ms promise is tested at.
    [TestCase(-30.0, TestName = "Sentences_in_line_noise_30_dB_down_are_found_within_200_ms")]
    public void Boundaries_match_the_speech(double? noiseDb)
    {
        SpeechFixtures.RequireWhisper();
        var lead = TimeSpan.FromSeconds(1.5);
        var gap = TimeSpan.FromSeconds(2);
        var tail = TimeSpan.FromSeconds(2);
        var clean = Pcm16Wav.Read(TestAudio.CleanSequence(Sentences, lead, gap, tail));
        // espeak pauses up to ~0.5 s at commas: joined, as the 800 ms end silence joins them.
        var truth = TestAudio.SpeechRegions(clean, TimeSpan.FromMilliseconds(700));
        Assert.That(truth, Has.Count.EqualTo(Sentences.Length), "reference regions");

        var phone = Pcm16Wav.Read(TestAudio.Telephone(Sentences, lead, gap, tail, noiseDb));
        using var vad = SileroVad.Load(SpeechFixtures.VadModel);
        var endpointer = Endpointer.WithSilero(vad);
        var found = new List<Utterance>();
        for (var i = 0; i < phone.Length; i += 320) found.AddRange(endpointer.Push(phone.AsSpan(i, Math.Min(320, phone.Length - i))));
        found.AddRange(endpointer.Flush());

        for (var i = 0; i < found.Count; i++)
            TestContext.Out.WriteLine($"found {found[i].SpeechStart.TotalSeconds:0.000}-{found[i].SpeechEnd.TotalSeconds:0.000} s" +
                                      (i < truth.Count ? $", speech {truth[i].Start.TotalSeconds:0.000}-{truth[i].End.TotalSeconds:0.000} s" : ""));
        Assert.That(found, Has.Count.EqualTo(truth.Count));
        for (var i = 0; i < truth.Count; i++)
        {
            Assert.That(found[i].SpeechStart, Is.EqualTo(truth[i].Start).Within(Tolerance), $"start of sentence {i + 1}");
            Assert.That(found[i].SpeechEnd, Is.EqualTo(truth[i].End).Within(Tolerance), $"end of sentence {i + 1}");
            Assert.That(found[i].Samples.Length / 16000.0, Is.GreaterThanOrEqualTo((truth[i].End - truth[i].Start).TotalSeconds), "the utterance holds the speech");
        }
    }

    [Test]
    public void Line_noise_alone_yields_no_utterance()
    {
        SpeechFixtures.RequireWhisper();
        var noise = Pcm16Wav.Read(TestAudio.Telephone([], TimeSpan.FromSeconds(4), TimeSpan.Zero, TimeSpan.FromSeconds(4), -25));
        using var vad = SileroVad.Load(SpeechFixtures.VadModel);
        var endpointer = Endpointer.WithSilero(vad);
        Assert.That(endpointer.Push(noise).Concat(endpointer.Flush()), Is.Empty);
    }
}
