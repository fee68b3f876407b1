namespace Telephony.Media.Codecs;

/// <summary>
/// ITU-T G.711 companding, computed from the Recommendation's segment rules rather than pasted tables.
/// Both laws split the magnitude into 8 segments of 16 intervals whose size doubles from one segment to the
/// next (G.711 §2 and §3, tables 1a/1b for A-law, 2a/2b for µ-law); the decoder returns the interval's
/// midpoint (the "decoder output value" column). The uniform side is 13 bits for A-law and 14 bits for µ-law
/// (G.711 §1); this class works on 16-bit PCM and shifts by 3 and 2 bits.
/// </summary>
public static class G711
{
    // 256-entry decode tables, filled once from the segment rules below (same values as tables 1 and 2).
    private static readonly short[] MuLawDecode = BuildDecodeTable(DecodeMuLawByRule);
    private static readonly short[] ALawDecode = BuildDecodeTable(DecodeALawByRule);

    /// <summary>
    /// µ-law (G.711 §3, tables 2a/2b). On the 14-bit scale the segment s (0..7) spans magnitudes
    /// [(32 &lt;&lt; s) − 33, (64 &lt;&lt; s) − 33) in steps of 2 &lt;&lt; s, so adding the bias 33 makes the segment
    /// the position of the top bit. Decision values above 8159 (the last one) clip to the last interval.
    /// All bits of the character are inverted for transmission; bit 8 (the sign) is 1 for positive values.
    /// </summary>
    public static byte LinearToMuLaw(short pcm)
    {
        int sign = pcm >= 0 ? 0x80 : 0x00;
        // Negative values mirror positive ones (table 2b): |x| of the 14-bit value, -0 for -1..-3 on 16 bits.
        int magnitude = pcm >= 0 ? pcm >> 2 : -pcm >> 2;
        if (magnitude > 8158) magnitude = 8158;
        int biased = magnitude + 33;                       // in [33, 8191]
        int segment = 26 - System.Numerics.BitOperations.LeadingZeroCount((uint)biased); // top bit 5..12 → 0..7
        int interval = (biased >> (segment + 1)) & 0x0F;
        return (byte)(sign | (0x7F ^ ((segment << 4) | interval)));
    }

    public static short MuLawToLinear(byte code) => MuLawDecode[code];

    /// <summary>
    /// A-law (G.711 §2, tables 1a/1b). On the 13-bit scale segments 0 and 1 both have intervals of 2
    /// (the collinear first segments), segment s ≥ 1 spans [16 &lt;&lt; s, 32 &lt;&lt; s) in steps of 1 &lt;&lt; s.
    /// The even bits of the character are inverted for transmission (XOR 0x55); the sign bit is 1 for positive.
    /// </summary>
    public static byte LinearToALaw(short pcm)
    {
        int sign;
        int magnitude;
        if (pcm >= 0) { sign = 0x80; magnitude = pcm >> 3; }
        else { sign = 0x00; magnitude = -(pcm >> 3) - 1; }   // table 1b: −1 … −2 on 13 bits is the first interval
        int segment, interval;
        if (magnitude < 32)
        {
            segment = 0;
            interval = magnitude >> 1;
        }
        else
        {
            segment = 27 - System.Numerics.BitOperations.LeadingZeroCount((uint)magnitude); // top bit 5..11 → 1..7
            interval = (magnitude >> segment) & 0x0F;
        }
        return (byte)((sign | (segment << 4) | interval) ^ 0x55);
    }

    public static short ALawToLinear(byte code) => ALawDecode[code];

    public static void EncodeMuLaw(ReadOnlySpan<short> pcm, Span<byte> codes)
    {
        for (int i = 0; i < pcm.Length; i++) codes[i] = LinearToMuLaw(pcm[i]);
    }

    public static void DecodeMuLaw(ReadOnlySpan<byte> codes, Span<short> pcm)
    {
        var table = MuLawDecode;
        for (int i = 0; i < codes.Length; i++) pcm[i] = table[codes[i]];
    }

    public static void EncodeALaw(ReadOnlySpan<short> pcm, Span<byte> codes)
    {
        for (int i = 0; i < pcm.Length; i++) codes[i] = LinearToALaw(pcm[i]);
    }

    public static void DecodeALaw(ReadOnlySpan<byte> codes, Span<short> pcm)
    {
        var table = ALawDecode;
        for (int i = 0; i < codes.Length; i++) pcm[i] = table[codes[i]];
    }

    // Midpoint of interval i in segment s: 14-bit ((2i + 33) << s) − 33 (table 2a: 0, 2, …, 30, 33, 37, …, 8031).
    private static short DecodeMuLawByRule(byte code)
    {
        int inverted = ~code & 0xFF;
        int segment = (inverted >> 4) & 0x07;
        int interval = inverted & 0x0F;
        int magnitude = (((interval << 1) + 33) << segment) - 33;
        return (short)((inverted & 0x80) != 0 ? -(magnitude << 2) : magnitude << 2);
    }

    // Midpoint of interval i: 13-bit 2i + 1 in segment 0, (2i + 33) << (s − 1) above (table 1a: 1, 3, …, 33, …, 4032).
    private static short DecodeALawByRule(byte code)
    {
        int character = code ^ 0x55;
        int segment = (character >> 4) & 0x07;
        int interval = character & 0x0F;
        int magnitude = segment == 0 ? (interval << 1) + 1 : ((interval << 1) + 33) << (segment - 1);
        return (short)((character & 0x80) != 0 ? magnitude << 3 : -(magnitude << 3));
    }

    private static short[] BuildDecodeTable(Func<byte, short> rule)
    {
        var table = new short[256];
        for (int code = 0; code < 256; code++) table[code] = rule((byte)code);
        return table;
    }
}
