using Telephony.Media.Codecs;

namespace Telephony.Media.Tests.Codecs;

/// <summary>
/// G.711 against the Recommendation's tables: the decision values where each segment starts and ends, the
/// character sent for the intervals on either side, and the decoder output value (tables 1a/1b: A-law on the
/// 13-bit scale ±4096; tables 2a/2b: µ-law on the 14-bit scale ±8159). Here the PCM is 16 bits: A-law values ×8,
/// µ-law values ×4.
/// </summary>
public class G711Tests
{
    // µ-law, table 2a (positive), one row per segment: the decision values where it starts and ends, the
    // character of its first interval and that interval's decoder output, then the same for its last interval.
    // Characters as transmitted (all bits inverted).
    private static readonly object[] MuLawSegments =
    [
        new object[] { 0, 31, 0xFF, 0, 0xF0, 30 },
        new object[] { 31, 95, 0xEF, 33, 0xE0, 93 },
        new object[] { 95, 223, 0xDF, 99, 0xD0, 219 },
        new object[] { 223, 479, 0xCF, 231, 0xC0, 471 },
        new object[] { 479, 991, 0xBF, 495, 0xB0, 975 },
        new object[] { 991, 2015, 0xAF, 1023, 0xA0, 1983 },
        new object[] { 2015, 4063, 0x9F, 2079, 0x90, 3999 },
        new object[] { 4063, 8159, 0x8F, 4191, 0x80, 8031 },
    ];

    // A-law, table 1a (positive), the same columns; characters as transmitted (even bits inverted).
    private static readonly object[] ALawSegments =
    [
        new object[] { 0, 32, 0xD5, 1, 0xDA, 31 },
        new object[] { 32, 64, 0xC5, 33, 0xCA, 63 },
        new object[] { 64, 128, 0xF5, 66, 0xFA, 126 },
        new object[] { 128, 256, 0xE5, 132, 0xEA, 252 },
        new object[] { 256, 512, 0x95, 264, 0x9A, 504 },
        new object[] { 512, 1024, 0x85, 528, 0x8A, 1008 },
        new object[] { 1024, 2048, 0xB5, 1056, 0xBA, 2016 },
        new object[] { 2048, 4096, 0xA5, 2112, 0xAA, 4032 },
    ];

    [TestCaseSource(nameof(MuLawSegments))]
    public void Mu_law_segment_boundaries_match_table_2(int start, int end, int firstCode, int firstOutput, int lastCode, int lastOutput)
    {
        Assert.That(G711.LinearToMuLaw((short)(start * 4)), Is.EqualTo((byte)firstCode), $"x = {start}");
        Assert.That(G711.LinearToMuLaw((short)((end - 1) * 4)), Is.EqualTo((byte)lastCode), $"x = {end - 1}");
        Assert.That(G711.MuLawToLinear((byte)firstCode), Is.EqualTo(firstOutput * 4));
        Assert.That(G711.MuLawToLinear((byte)lastCode), Is.EqualTo(lastOutput * 4));
        // Table 2b: negative values mirror, with the sign bit cleared.
        Assert.That(G711.LinearToMuLaw((short)(-(end - 1) * 4)), Is.EqualTo((byte)(lastCode & 0x7F)), $"x = {-(end - 1)}");
        Assert.That(G711.MuLawToLinear((byte)(lastCode & 0x7F)), Is.EqualTo(-lastOutput * 4));
    }

    [TestCaseSource(nameof(ALawSegments))]
    public void A_law_segment_boundaries_match_table_1(int start, int end, int firstCode, int firstOutput, int lastCode, int lastOutput)
    {
        Assert.That(G711.LinearToALaw((short)(start * 8)), Is.EqualTo((byte)firstCode), $"x = {start}");
        Assert.That(G711.LinearToALaw((short)((end - 1) * 8)), Is.EqualTo((byte)lastCode), $"x = {end - 1}");
        Assert.That(G711.ALawToLinear((byte)firstCode), Is.EqualTo(firstOutput * 8));
        Assert.That(G711.ALawToLinear((byte)lastCode), Is.EqualTo(lastOutput * 8));
        // Table 1b: negative values mirror, with the sign bit cleared (it is not among the inverted even bits).
        Assert.That(G711.LinearToALaw((short)(-end * 8)), Is.EqualTo((byte)(lastCode ^ 0x80)), $"x = {-end}");
        Assert.That(G711.ALawToLinear((byte)(lastCode ^ 0x80)), Is.EqualTo(-lastOutput * 8));
    }

    [Test]
    public void Mu_law_extremes_and_zero()
    {
        Assert.That(G711.LinearToMuLaw(0), Is.EqualTo(0xFF));
        Assert.That(G711.LinearToMuLaw(-1), Is.EqualTo(0x7F), "−0");
        Assert.That(G711.LinearToMuLaw(short.MaxValue), Is.EqualTo(0x80), "clips to the last interval");
        Assert.That(G711.LinearToMuLaw(short.MinValue), Is.EqualTo(0x00));
        Assert.That(G711.MuLawToLinear(0x7F), Is.EqualTo(0));
    }

    [Test]
    public void A_law_extremes_and_zero()
    {
        Assert.That(G711.LinearToALaw(0), Is.EqualTo(0xD5));
        Assert.That(G711.LinearToALaw(-1), Is.EqualTo(0x55));
        Assert.That(G711.LinearToALaw(short.MaxValue), Is.EqualTo(0xAA));
        Assert.That(G711.LinearToALaw(short.MinValue), Is.EqualTo(0x2A));
        Assert.That(G711.ALawToLinear(0x55), Is.EqualTo(-8));
    }

    [Test]
    public void All_256_mu_law_codes_round_trip()
    {
        for (int code = 0; code < 256; code++)
        {
            if (code == 0x7F) continue;   // −0 decodes to 0, which encodes as +0 (0xFF)
            Assert.That(G711.LinearToMuLaw(G711.MuLawToLinear((byte)code)), Is.EqualTo((byte)code), $"code 0x{code:X2}");
        }
        Assert.That(G711.LinearToMuLaw(G711.MuLawToLinear(0x7F)), Is.EqualTo(0xFF));
    }

    [Test]
    public void All_256_a_law_codes_round_trip()
    {
        for (int code = 0; code < 256; code++)
            Assert.That(G711.LinearToALaw(G711.ALawToLinear((byte)code)), Is.EqualTo((byte)code), $"code 0x{code:X2}");
    }

    [Test]
    public void Decoding_is_monotonic_and_odd_symmetric()
    {
        var muLaw = Enumerable.Range(0, 128).Select(c => (int)G711.MuLawToLinear((byte)(0xFF - c))).ToArray();
        var aLaw = Enumerable.Range(0, 128).Select(c => (int)G711.ALawToLinear((byte)((0x80 | c) ^ 0x55))).ToArray();
        Assert.That(muLaw, Is.Ordered.Ascending);
        Assert.That(aLaw, Is.Ordered.Ascending);
        for (int c = 0; c < 128; c++)
        {
            Assert.That(G711.MuLawToLinear((byte)(0x7F - c)), Is.EqualTo(-muLaw[c]));
            Assert.That(G711.ALawToLinear((byte)(c ^ 0x55)), Is.EqualTo(-aLaw[c]));
        }
    }

    [Test]
    public void Codecs_encode_a_20_ms_frame_into_160_bytes_and_back()
    {
        var tone = SignalMath.Sine(1000, 8000, 160, 12000);
        Span<byte> payload = stackalloc byte[160];
        Span<short> decoded = stackalloc short[160];
        foreach (var codec in new IAudioCodec[] { new PcmuCodec(), new PcmaCodec() })
        {
            Assert.That(codec.Encode(tone, payload), Is.EqualTo(160));
            Assert.That(codec.Decode(payload, decoded), Is.EqualTo(160));
            double snr = SignalMath.Snr(tone, decoded.ToArray(), 0);
            Assert.That(snr, Is.GreaterThan(30), codec.Name);   // G.711 gives about 38 dB on a loud tone
        }
    }
}
