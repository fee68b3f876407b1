using Telephony.Media.Codecs;

namespace Telephony.Media.Tests.Codecs;

public class G722CodecTests
{
    // G.722 codes the 4–8 kHz band with 2 bits a sample: espeak-ng's speech carries about −22 dB of its energy
    // there, so the full-band SNR sits near 29 dB while the 6-bit lower band (0–4 kHz, the telephone band and
    // most of the speech energy) is well above 30 dB. Both are measured; bit-exactness with spandsp below is
    // what shows the coding itself is right.
    [Test]
    public void Speech_survives_encode_and_decode_with_snr_of_at_least_30_db_in_the_lower_band()
    {
        var speech = TestSpeech.Mandarin(16000);
        var decoded = RoundTrip(speech);
        int delay = SignalMath.BestDelay(speech, decoded, 64);
        double fullBand = SignalMath.Snr(speech, decoded, delay);

        // The 0–4 kHz band of both, through the same half-band low-pass (and so at 8 kHz).
        var aligned = decoded.AsSpan(delay).ToArray();
        var speechLow = new short[speech.Length / 2];
        var decodedLow = new short[aligned.Length / 2 + 1];
        new Telephony.Media.Audio.Downsampler16To8().Process(speech, speechLow);
        new Telephony.Media.Audio.Downsampler16To8().Process(aligned, decodedLow);
        double lowerBand = SignalMath.Snr(speechLow, decodedLow, 0);

        TestContext.Out.WriteLine($"G.722 speech: {speech.Length / 16000.0:F1} s, delay {delay} samples, SNR full band {fullBand:F1} dB, 0–4 kHz {lowerBand:F1} dB");
        Assert.That(delay, Is.EqualTo(22), "the two 24-tap QMFs delay by 22 samples in this framing");
        Assert.That(lowerBand, Is.GreaterThanOrEqualTo(30));
        Assert.That(fullBand, Is.GreaterThanOrEqualTo(27));
    }

    [Test]
    public void A_1_khz_tone_survives_with_high_snr()
    {
        var tone = SignalMath.Sine(1000, 16000, 16000, 8000);
        var decoded = RoundTrip(tone);
        double snr = SignalMath.Snr(tone, decoded, 22, skip: 800);
        TestContext.Out.WriteLine($"G.722 1 kHz tone SNR {snr:F1} dB");
        Assert.That(snr, Is.GreaterThan(30));
    }

    [Test]
    public void Twenty_ms_frame_is_160_bytes_and_the_rtp_clock_runs_at_8000()
    {
        var codec = new G722Codec();
        Assert.That(codec.EncodedLength(320), Is.EqualTo(160));
        Assert.That(codec.DecodedLength(160), Is.EqualTo(320));
        Assert.That(codec.RtpClockRate, Is.EqualTo(8000));
        Assert.That(codec.SampleRate, Is.EqualTo(16000));
    }

    [Test]
    public void Frames_join_seamlessly_because_state_carries_across_calls()
    {
        var tone = SignalMath.Sine(440, 16000, 3200, 6000);
        var whole = RoundTrip(tone);
        var encoder = new G722Codec();
        var decoder = new G722Codec();
        var framed = new short[tone.Length];
        Span<byte> payload = stackalloc byte[160];
        for (int offset = 0; offset < tone.Length; offset += 320)
        {
            int bytes = encoder.Encode(tone.AsSpan(offset, 320), payload);
            decoder.Decode(payload[..bytes], framed.AsSpan(offset));
        }
        Assert.That(framed, Is.EqualTo(whole));
    }

    [Test]
    public void Silence_decodes_to_near_silence()
    {
        var decoded = RoundTrip(new short[3200]);
        Assert.That(decoded.Max(s => Math.Abs((int)s)), Is.LessThan(64));
    }

    private static short[] RoundTrip(short[] pcm)
    {
        var encoder = new G722Codec();
        var decoder = new G722Codec();
        var payload = new byte[encoder.EncodedLength(pcm.Length)];
        encoder.Encode(pcm, payload);
        var decoded = new short[decoder.DecodedLength(payload.Length)];
        decoder.Decode(payload, decoded);
        return decoded;
    }
}

public class G722InteropTests
{
    [Test]
    public void Encoder_output_is_bit_exact_with_spandsp_on_speech()
    {
        var speech = TestSpeech.Mandarin(16000);
        var ours = new byte[speech.Length / 2];
        new G722Codec().Encode(speech, ours);
        var theirs = SpanDspG722.EncodeAll(speech);
        int firstDifference = -1;
        for (int i = 0; i < ours.Length; i++) if (ours[i] != theirs[i]) { firstDifference = i; break; }
        Assert.That(firstDifference, Is.EqualTo(-1), "first differing byte");
    }

    [Test]
    public void Decoder_output_is_bit_exact_with_spandsp_on_speech()
    {
        var speech = TestSpeech.Mandarin(16000);
        var payload = SpanDspG722.EncodeAll(speech);
        var ours = new short[payload.Length * 2];
        new G722Codec().Decode(payload, ours);
        var theirs = SpanDspG722.DecodeAll(payload);
        int firstDifference = -1;
        for (int i = 0; i < ours.Length; i++) if (ours[i] != theirs[i]) { firstDifference = i; break; }
        Assert.That(firstDifference, Is.EqualTo(-1), "first differing sample");
    }
}
