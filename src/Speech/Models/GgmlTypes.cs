namespace Telephony.Speech.Models;

/// <summary>Storage sizes of the ggml tensor types a Whisper file can hold (ggml/src/ggml.c, type_traits).</summary>
internal static class GgmlTypes
{
    /// <summary>Bytes for <paramref name="elements"/> of ggml type <paramref name="type"/>, or null for a type Whisper files do not use.</summary>
    public static long? ByteSize(int type, long elements)
    {
        (int block, int bytes)? traits = type switch
        {
            0 => (1, 4),      // F32
            1 => (1, 2),      // F16
            2 => (32, 18),    // Q4_0
            3 => (32, 20),    // Q4_1
            6 => (32, 22),    // Q5_0
            7 => (32, 24),    // Q5_1
            8 => (32, 34),    // Q8_0
            10 => (256, 84),  // Q2_K
            11 => (256, 110), // Q3_K
            12 => (256, 144), // Q4_K
            13 => (256, 176), // Q5_K
            14 => (256, 210), // Q6_K
            _ => null,
        };
        if (traits is not { } t || elements % t.block != 0) return null;
        return elements / t.block * t.bytes;
    }
}
