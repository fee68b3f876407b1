namespace Telephony.Media.Codecs;

/// <summary>
/// The constants of ITU-T G.722 (09/2012) §6, "Computational details", in the Recommendation's fixed-point
/// units. Names follow the block descriptions (QUANTL, INVQAL, LOGSCL, SCALEL, INVQBL, QUANTH, LOGSCH …).
/// </summary>
internal static class G722Tables
{
    /// <summary>The 24 QMF coefficients h0…h23 (§3.1 / §6, transmit and receive QMF); symmetric, sum 8192.</summary>
    public static readonly int[] Qmf =
    [
        3, -11, -11, 53, 12, -156, 32, 362, -210, -805, 951, 3876,
        3876, 951, -805, -210, 362, 32, -156, 12, 53, -11, -11, 3,
    ];

    /// <summary>QUANTL: the 6-bit lower-band decision levels Q6(1…29), compared with |EL| after scaling by DETL / 2^12.</summary>
    public static readonly int[] Q6 =
    [
        0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714,
        786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919, 0, 0,
    ];

    /// <summary>QUANTL: the 6-bit code IL for interval MIL, for a negative (ILN) and a non-negative (ILP) difference.</summary>
    public static readonly int[] Iln =
    [
        0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
        18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 0,
    ];

    public static readonly int[] Ilp =
    [
        0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47,
        46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 0,
    ];

    /// <summary>INVQAL/INVQBL: the 4-bit inverse quantizer output QQ4 (the predictor's input in every mode), by IL >> 2.</summary>
    public static readonly int[] Qq4 =
    [
        0, -20456, -12896, -8968, -6288, -4240, -2584, -1200,
        20456, 12896, 8968, 6288, 4240, 2584, 1200, 0,
    ];

    /// <summary>INVQBL mode 1 (64 kbit/s): the 6-bit inverse quantizer output QQ6 by IL.</summary>
    public static readonly int[] Qq6 =
    [
        -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
        -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728,
        24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456,
        4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728, 432, 136, -432, -136,
    ];

    /// <summary>LOGSCL: the magnitude index of IL >> 2 (RIL4) and the log scale factor multipliers WL.</summary>
    public static readonly int[] Ril4 = [0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0];

    public static readonly int[] Wl = [-60, -30, 58, 172, 334, 538, 1198, 3042];

    /// <summary>SCALEL/SCALEH: the antilog table ILB(i) = 2048 · 2^(i/32), i = 0…31.</summary>
    public static readonly int[] Ilb =
    [
        2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
        2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
    ];

    /// <summary>QUANTH: the single higher-band decision level Q2 and the 2-bit codes IH (IHN negative, IHP non-negative).</summary>
    public const int Q2 = 564;

    public static readonly int[] Ihn = [0, 1, 0];
    public static readonly int[] Ihp = [0, 3, 2];

    /// <summary>INVQAH: the 2-bit inverse quantizer output QQ2 by IH.</summary>
    public static readonly int[] Qq2 = [-7408, -1616, 7408, 1616];

    /// <summary>LOGSCH: the magnitude index of IH and the log scale factor multipliers WH.</summary>
    public static readonly int[] Rih2 = [2, 1, 2, 1];

    public static readonly int[] Wh = [0, -214, 798];
}
