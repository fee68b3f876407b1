using System.Buffers.Binary;
using Telephony.Media.Codecs;

namespace Telephony.Media.Audio;

/// <summary>
/// Reads mono RIFF WAVE files in PCM16, µ-law or A-law into linear samples. Any chunk order is accepted
/// and unknown chunks (LIST, fact, …) are skipped, as the RIFF rules ask; anything else is a
/// <see cref="WavFormatException"/> naming the problem. Bytes after the declared data chunk are ignored,
/// so a recording whose sizes were last rewritten a second ago still reads up to that point.
/// </summary>
public static class WavReader
{
    private const ushort FormatExtensible = 0xFFFE;

    public static WavAudio Read(string path)
    {
        byte[] bytes;
        try
        {
            // FileShare.ReadWrite: a recording still being written may be read (e.g. after a crash).
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (FileNotFoundException)
        {
            throw new WavFormatException($"{path}: no such file");
        }
        try
        {
            return Parse(bytes);
        }
        catch (WavFormatException e)
        {
            throw new WavFormatException($"{path}: {e.Message}");
        }
    }

    public static WavAudio Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < 12) throw new WavFormatException($"too short for a RIFF header ({file.Length} bytes)");
        if (!file[..4].SequenceEqual("RIFF"u8)) throw new WavFormatException("not a RIFF file (no 'RIFF' at the start)");
        if (!file[8..12].SequenceEqual("WAVE"u8)) throw new WavFormatException("a RIFF file but not WAVE");

        WavEncoding? encoding = null;
        int sampleRate = 0;
        int position = 12;
        while (position + 8 <= file.Length)
        {
            var id = file.Slice(position, 4);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(file[(position + 4)..]);
            int body = position + 8;
            long available = file.Length - body;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size > available) throw new WavFormatException($"truncated fmt chunk ({size} bytes declared, {available} present)");
                (encoding, sampleRate) = ParseFormat(file.Slice(body, (int)size));
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (encoding is null) throw new WavFormatException("data chunk before any fmt chunk");
                if (size > available) throw new WavFormatException($"truncated data chunk ({size} bytes declared, {available} present)");
                return new WavAudio(sampleRate, encoding.Value, Decode(file.Slice(body, (int)size), encoding.Value));
            }
            position = (int)Math.Min(int.MaxValue, body + (long)size + (size & 1)); // chunks are word-aligned
        }
        throw new WavFormatException(encoding is null ? "no fmt chunk" : "no data chunk");
    }

    private static (WavEncoding Encoding, int SampleRate) ParseFormat(ReadOnlySpan<byte> fmt)
    {
        if (fmt.Length < 16) throw new WavFormatException($"fmt chunk of {fmt.Length} bytes (at least 16 needed)");
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        ushort channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        int sampleRate = BinaryPrimitives.ReadInt32LittleEndian(fmt[4..]);
        ushort bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        if (tag == FormatExtensible)
        {
            // WAVEFORMATEXTENSIBLE: the real tag is the first two bytes of the sub-format GUID at offset 24.
            if (fmt.Length < 40) throw new WavFormatException("WAVE_FORMAT_EXTENSIBLE fmt chunk shorter than 40 bytes");
            tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
        }
        if (channels != 1) throw new WavFormatException($"{channels} channels: only mono is supported");
        if (sampleRate is < 1000 or > 192000) throw new WavFormatException($"implausible sample rate {sampleRate}");
        var encoding = tag switch
        {
            1 => WavEncoding.Pcm16,
            6 => WavEncoding.ALaw,
            7 => WavEncoding.MuLaw,
            _ => throw new WavFormatException($"format tag {tag}: only PCM (1), A-law (6) and µ-law (7) are supported"),
        };
        int expectedBits = encoding == WavEncoding.Pcm16 ? 16 : 8;
        if (bits != expectedBits) throw new WavFormatException($"{bits} bits per sample for {encoding}: {expectedBits} expected");
        return (encoding, sampleRate);
    }

    private static short[] Decode(ReadOnlySpan<byte> data, WavEncoding encoding)
    {
        switch (encoding)
        {
            case WavEncoding.Pcm16:
            {
                var samples = new short[data.Length / 2];  // an odd trailing byte is half a sample: dropped
                for (int i = 0; i < samples.Length; i++) samples[i] = BinaryPrimitives.ReadInt16LittleEndian(data[(2 * i)..]);
                return samples;
            }
            case WavEncoding.MuLaw:
            {
                var samples = new short[data.Length];
                G711.DecodeMuLaw(data, samples);
                return samples;
            }
            default:
            {
                var samples = new short[data.Length];
                G711.DecodeALaw(data, samples);
                return samples;
            }
        }
    }
}
