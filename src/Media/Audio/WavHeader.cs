using System.Buffers.Binary;

namespace Telephony.Media.Audio;

/// <summary>
/// The canonical 44/46-byte RIFF WAVE header for mono audio: "RIFF" size "WAVE", a "fmt " chunk
/// (WAVEFORMATEX; the G.711 tags carry cbSize = 0, so their fmt chunk is 18 bytes), then "data".
/// </summary>
internal static class WavHeader
{
    public static int Length(WavEncoding encoding) => encoding == WavEncoding.Pcm16 ? 44 : 46;

    public static int BytesPerSample(WavEncoding encoding) => encoding == WavEncoding.Pcm16 ? 2 : 1;

    /// <summary>Writes the header for <paramref name="dataBytes"/> bytes of samples into <paramref name="header"/>.</summary>
    public static void Write(Span<byte> header, WavEncoding encoding, int sampleRate, uint dataBytes)
    {
        int headerLength = Length(encoding);
        int fmtSize = encoding == WavEncoding.Pcm16 ? 16 : 18;
        int bytesPerSample = BytesPerSample(encoding);
        // The RIFF size counts everything after itself, including the pad byte of an odd data chunk.
        uint riffSize = (uint)(headerLength - 8) + dataBytes + (dataBytes & 1);
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], riffSize);
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], fmtSize);
        BinaryPrimitives.WriteInt16LittleEndian(header[20..], (short)encoding);
        BinaryPrimitives.WriteInt16LittleEndian(header[22..], 1);                        // channels
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], sampleRate * bytesPerSample); // byte rate
        BinaryPrimitives.WriteInt16LittleEndian(header[32..], (short)bytesPerSample);    // block align
        BinaryPrimitives.WriteInt16LittleEndian(header[34..], (short)(bytesPerSample * 8));
        int data = 36;
        if (fmtSize == 18)
        {
            BinaryPrimitives.WriteInt16LittleEndian(header[36..], 0);                    // cbSize
            data = 38;
        }
        "data"u8.CopyTo(header[data..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[(data + 4)..], dataBytes);
    }

    /// <summary>Offset of the RIFF size field and of the data chunk's size field, rewritten as the file grows.</summary>
    public const int RiffSizeOffset = 4;

    public static int DataSizeOffset(WavEncoding encoding) => Length(encoding) - 4;
}
