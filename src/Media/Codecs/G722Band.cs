namespace Telephony.Media.Codecs;

/// <summary>
/// The state of one G.722 sub-band ADPCM (lower or higher): the adaptive quantizer's log scale factor
/// and the pole-zero predictor of G.722 §3.5–3.6 / §6 (blocks 3L/3H and 4L/4H). Encoder and decoder run the
/// identical update on the same quantized difference, which keeps their predictors in step.
/// </summary>
internal struct G722Band
{
    public int S;      // predictor output (SL / SH)
    public int Sp;     // pole section output
    public int Sz;     // zero section output
    public int Nb;     // log scale factor (NBL / NBH)
    public int Det;    // quantizer scale factor (DETL / DETH)

    // Pole section: A1, A2 and the last reconstructed R and partial P signals (index 0 = current).
    public int A1, A2, R1, R2, P1, P2;

    // Zero section: B1…B6 and the last six quantized differences D1…D6.
    public InlineArray6 B;
    public InlineArray6 D;

    public static G722Band Create(int initialDet) => new() { Det = initialDet };

    /// <summary>LOGSCL (lower band): NBL ← NBL · 127/128 + WL(RIL4), limited to [0, 18432]; then SCALEL.</summary>
    public void AdaptLower(int il4Index)
    {
        int nb = ((Nb * 127) >> 7) + G722Tables.Wl[il4Index];
        Nb = Math.Clamp(nb, 0, 18432);
        Det = Scale(Nb, 8);
    }

    /// <summary>LOGSCH (higher band): NBH ← NBH · 127/128 + WH(RIH2), limited to [0, 22528]; then SCALEH.</summary>
    public void AdaptHigher(int ih2Index)
    {
        int nb = ((Nb * 127) >> 7) + G722Tables.Wh[ih2Index];
        Nb = Math.Clamp(nb, 0, 22528);
        Det = Scale(Nb, 10);
    }

    // SCALEL / SCALEH: DET = ILB(frac) · 2^(int − offset) · 4, the antilog of the log scale factor.
    private static int Scale(int nb, int offset)
    {
        int fraction = (nb >> 6) & 31;
        int shift = offset - (nb >> 11);
        int value = shift < 0 ? G722Tables.Ilb[fraction] << -shift : G722Tables.Ilb[fraction] >> shift;
        return value << 2;
    }

    /// <summary>
    /// Block 4: RECONS, PARREC, UPPOL2, UPPOL1, UPZERO, DELAYA, FILTEP, FILTEZ, PREDIC for the quantized
    /// difference <paramref name="d"/> (DLT / DH). Leaves the next prediction in <see cref="S"/>.
    /// </summary>
    public void Predict(int d)
    {
        int r = Saturate(S + d);     // RECONS: reconstructed signal
        int p = Saturate(Sz + d);    // PARREC: partially reconstructed signal

        // UPPOL2: second pole coefficient, sign-sign gradient with leakage, |A2| ≤ 0.75.
        int sg0 = p >> 15, sg1 = P1 >> 15, sg2 = P2 >> 15;
        int wd1 = Saturate(A1 << 2);
        int wd2 = sg0 == sg1 ? -wd1 : wd1;
        if (wd2 > 32767) wd2 = 32767;
        int wd3 = (sg0 == sg2 ? 128 : -128) + (wd2 >> 7) + ((A2 * 32512) >> 15);
        int ap2 = Math.Clamp(wd3, -12288, 12288);

        // UPPOL1: first pole coefficient, |A1| ≤ 1 − 2^-4 − A2 for stability.
        int ap1 = Saturate((sg0 == sg1 ? 192 : -192) + ((A1 * 32640) >> 15));
        int limit = Saturate(15360 - ap2);
        ap1 = Math.Clamp(ap1, -limit, limit);

        // UPZERO: six zero coefficients, sign-sign with leakage; no step when the difference is zero.
        int step = d == 0 ? 0 : 128;
        int sgd = d >> 15;
        for (int i = 0; i < 6; i++)
        {
            int direction = (D[i] >> 15) == sgd ? step : -step;
            B[i] = Saturate(direction + ((B[i] * 32640) >> 15));
        }

        // DELAYA: shift the delay lines.
        for (int i = 5; i > 0; i--) D[i] = D[i - 1];
        D[0] = d;
        R2 = R1; R1 = r;
        P2 = P1; P1 = p;
        A2 = ap2; A1 = ap1;

        // FILTEP: pole section on the reconstructed signal.
        int pole1 = (A1 * Saturate(R1 + R1)) >> 15;
        int pole2 = (A2 * Saturate(R2 + R2)) >> 15;
        Sp = Saturate(pole1 + pole2);

        // FILTEZ: zero section on the quantized differences.
        int zero = 0;
        for (int i = 0; i < 6; i++) zero += (B[i] * Saturate(D[i] + D[i])) >> 15;
        Sz = Saturate(zero);

        // PREDIC
        S = Saturate(Sp + Sz);
    }

    public static int Saturate(int value) => Math.Clamp(value, short.MinValue, short.MaxValue);
}

[System.Runtime.CompilerServices.InlineArray(6)]
internal struct InlineArray6
{
    private int _element;
}
