namespace Telephony.Media.Codecs;

/// <summary>
/// ITU-T G.722 at 64 kbit/s (mode 1) as RTP payload type 9 (RFC 3551 §4.5.2): 16 kHz PCM split by a
/// 24-tap QMF into two 8 kHz sub-bands, the lower one coded with 6-bit and the higher with 2-bit ADPCM,
/// one byte (IH in the top two bits, IL below) per pair of input samples. The RTP clock runs at 8000 even
/// though the audio is sampled at 16 kHz (RFC 3551 §4.5.2, an erratum of RFC 1890 kept for compatibility).
///
/// Holds one direction's state: use one instance to encode and another to decode. The Recommendation's
/// uniform PCM is 14 bits (§6.1); this class takes and returns 16 bits, scaling the QMF by one bit less/more
/// so the sub-band signals keep the Recommendation's 15-bit range.
/// </summary>
public sealed class G722Codec : IAudioCodec
{
    private G722Band _encLow = G722Band.Create(32), _encHigh = G722Band.Create(8);
    private G722Band _decLow = G722Band.Create(32), _decHigh = G722Band.Create(8);
    private readonly int[] _encQmf = new int[24];  // transmit QMF delay line, newest sample last
    private readonly int[] _decQmf = new int[24];  // receive QMF delay line, newest pair last

    public string Name => "G722";
    public int StaticPayloadType => 9;
    public int SampleRate => 16000;
    public int RtpClockRate => 8000;
    public int EncodedLength(int samples) => samples / 2;
    public int DecodedLength(int payloadBytes) => payloadBytes * 2;

    /// <summary>Encodes pairs of samples; an odd trailing sample is ignored (RTP frames are whole pairs).</summary>
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        int pairs = pcm.Length / 2;
        if (payload.Length < pairs) throw new ArgumentException($"payload holds {payload.Length} bytes; {pairs} needed", nameof(payload));
        var x = _encQmf;
        var h = G722Tables.Qmf;
        for (int n = 0; n < pairs; n++)
        {
            // Transmit QMF (§3.1): XA sums the even coefficients against the newest sample and every second
            // one before it, XB the odd ones; XL = XA + XB, XH = XA − XB. Slot 23 (newest) meets h23 = h0.
            Array.Copy(x, 2, x, 0, 22);
            x[22] = pcm[2 * n];
            x[23] = pcm[2 * n + 1];
            int xa = 0, xb = 0;
            for (int i = 0; i < 24; i += 2)
            {
                xb += x[i] * h[i];
                xa += x[i + 1] * h[i + 1];
            }
            int xLow = G722Band.Saturate((xa + xb) >> 14);
            int xHigh = G722Band.Saturate((xa - xb) >> 14);

            int il = EncodeLower(ref _encLow, xLow);
            int ih = EncodeHigher(ref _encHigh, xHigh);
            payload[n] = (byte)((ih << 6) | il);
        }
        return pairs;
    }

    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (pcm.Length < payload.Length * 2) throw new ArgumentException($"pcm holds {pcm.Length} samples; {payload.Length * 2} needed", nameof(pcm));
        var x = _decQmf;
        var h = G722Tables.Qmf;
        for (int n = 0; n < payload.Length; n++)
        {
            int code = payload[n];
            int rLow = DecodeLower(ref _decLow, code & 0x3F);
            int rHigh = DecodeHigher(ref _decHigh, code >> 6);

            // Receive QMF (§4.4): the difference RL − RH feeds the even coefficients and gives the first output
            // sample, the sum RL + RH the odd coefficients and the second. Slot 23 of the delay line meets the
            // even taps (h23 = h0), slot 22 the odd ones.
            Array.Copy(x, 2, x, 0, 22);
            x[22] = rLow + rHigh;
            x[23] = rLow - rHigh;
            int first = 0, second = 0;
            for (int i = 0; i < 24; i += 2)
            {
                second += x[i] * h[i];
                first += x[i + 1] * h[i + 1];
            }
            pcm[2 * n] = (short)G722Band.Saturate(first >> 11);
            pcm[2 * n + 1] = (short)G722Band.Saturate(second >> 11);
        }
        return payload.Length * 2;
    }

    /// <summary>Resets both directions to the initial state of §6 (as after a new call).</summary>
    public void Reset()
    {
        _encLow = G722Band.Create(32); _encHigh = G722Band.Create(8);
        _decLow = G722Band.Create(32); _decHigh = G722Band.Create(8);
        Array.Clear(_encQmf);
        Array.Clear(_decQmf);
    }

    // Blocks 1L–4L of the encoder: SUBTRA, QUANTL, INVQAL, LOGSCL, SCALEL, then the predictor.
    private static int EncodeLower(ref G722Band band, int xLow)
    {
        int el = G722Band.Saturate(xLow - band.S);
        int magnitude = el >= 0 ? el : -(el + 1);
        int mil = 1;
        while (mil < 30 && magnitude >= ((G722Tables.Q6[mil] * band.Det) >> 12)) mil++;
        int il = el < 0 ? G722Tables.Iln[mil] : G722Tables.Ilp[mil];

        // The predictor sees only the 4 most significant bits, so the decoder can drop the 1 or 2 least
        // significant bits (modes 2 and 3) without losing track of the encoder.
        int ril = il >> 2;
        int dlt = (band.Det * G722Tables.Qq4[ril]) >> 15;
        band.AdaptLower(G722Tables.Ril4[ril]);
        band.Predict(dlt);
        return il;
    }

    // Blocks 1H–4H: SUBTRA, QUANTH, INVQAH, LOGSCH, SCALEH, then the predictor.
    private static int EncodeHigher(ref G722Band band, int xHigh)
    {
        int eh = G722Band.Saturate(xHigh - band.S);
        int magnitude = eh >= 0 ? eh : -(eh + 1);
        int mih = magnitude >= ((G722Tables.Q2 * band.Det) >> 12) ? 2 : 1;
        int ih = eh < 0 ? G722Tables.Ihn[mih] : G722Tables.Ihp[mih];

        int dh = (band.Det * G722Tables.Qq2[ih]) >> 15;
        band.AdaptHigher(G722Tables.Rih2[ih]);
        band.Predict(dh);
        return ih;
    }

    // Decoder lower band, mode 1: the output uses all six bits (INVQBL with QQ6), the predictor four (QQ4).
    private static int DecodeLower(ref G722Band band, int il)
    {
        int dl = (band.Det * G722Tables.Qq6[il]) >> 15;
        int rl = Math.Clamp(band.S + dl, -16384, 16383);

        int ril = il >> 2;
        int dlt = (band.Det * G722Tables.Qq4[ril]) >> 15;
        band.AdaptLower(G722Tables.Ril4[ril]);
        band.Predict(dlt);
        return rl;
    }

    private static int DecodeHigher(ref G722Band band, int ih)
    {
        int dh = (band.Det * G722Tables.Qq2[ih]) >> 15;
        int rh = Math.Clamp(band.S + dh, -16384, 16383);
        band.AdaptHigher(G722Tables.Rih2[ih]);
        band.Predict(dh);
        return rh;
    }
}
