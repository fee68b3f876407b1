using System.Buffers.Binary;

namespace Telephony.Speech.Audio;

/// <summary>
/// The one WAV format Speech reads and writes: RIFF/WAVE, PCM (format 1), mono, 16 kHz, 16-bit. Anything
/// else is refused with a message naming what the file is and how to convert it; converting sample rates
/// is Media's job (its resampler), not this reader's.
/// </summary>
public static class Pcm16Wav
{
    public const int SampleRate = 16000;

    /// <summary>The samples of a 16 kHz mono PCM16 WAV file; <see cref="InvalidDataException"/> otherwise.</summary>
    public static short[] Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (!TryParse(bytes, out var samples, out var error)) throw new InvalidDataException($"{path}: {error}");
        return samples;
    }

    public static bool TryParse(ReadOnlySpan<byte> file, out short[] samples, out string error)
    {
        samples = [];
        if (file.Length < 12 || !file[..4].SequenceEqual("RIFF"u8) || !file.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            error = "not a RIFF/WAVE file";
            return false;
        }
        var format = false;
        var offset = 12;
        while (offset + 8 <= file.Length)
        {
            var id = file.Slice(offset, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(file[(offset + 4)..]);
            var body = offset + 8;
            var available = (int)Math.Min(size, (uint)(file.Length - body));
            if (id.SequenceEqual("fmt "u8))
            {
                if (available < 16) { error = "fmt chunk too short"; return false; }
                var f = file.Slice(body, 16);
                var tag = BinaryPrimitives.ReadUInt16LittleEndian(f);
                var channels = BinaryPrimitives.ReadUInt16LittleEndian(f[2..]);
                var rate = BinaryPrimitives.ReadInt32LittleEndian(f[4..]);
                var bits = BinaryPrimitives.ReadUInt16LittleEndian(f[14..]);
                // WAVE_FORMAT_EXTENSIBLE (0xFFFE) with a PCM sub-format is PCM too; sox writes it for some outputs.
                var pcm = tag == 1 || (tag == 0xFFFE && available >= 26 && BinaryPrimitives.ReadUInt16LittleEndian(file[(body + 24)..]) == 1);
                if (!pcm || channels != 1 || rate != SampleRate || bits != 16)
                {
                    error = $"{Describe(tag, channels, rate, bits)}; expected 16 kHz mono 16-bit PCM " +
                            $"(convert with: sox IN.wav -r 16000 -c 1 -b 16 -e signed-integer OUT.wav)";
                    return false;
                }
                format = true;
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (!format) { error = "data chunk before the fmt chunk"; return false; }
                var data = file.Slice(body, available & ~1);
                samples = new short[data.Length / 2];
                for (var i = 0; i < samples.Length; i++) samples[i] = BinaryPrimitives.ReadInt16LittleEndian(data[(2 * i)..]);
                error = "";
                return true;
            }
            offset = body + (int)Math.Min(size + (size & 1), (uint)(file.Length - body)); // chunks are word-aligned
        }
        error = format ? "no data chunk" : "no fmt chunk";
        return false;
    }

    public static void Write(string path, ReadOnlySpan<short> samples)
    {
        var dataBytes = samples.Length * 2;
        var buffer = new byte[44 + dataBytes];
        var b = buffer.AsSpan();
        "RIFF"u8.CopyTo(b);
        BinaryPrimitives.WriteInt32LittleEndian(b[4..], 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(b[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(b[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(b[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(b[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(b[24..], SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(b[28..], SampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(b[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(b[34..], 16);
        "data"u8.CopyTo(b[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(b[40..], dataBytes);
        for (var i = 0; i < samples.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(b[(44 + 2 * i)..], samples[i]);
        // Written beside the target and renamed, so a reader never sees half a file.
        var partial = path + ".part";
        File.WriteAllBytes(partial, buffer);
        File.Move(partial, path, overwrite: true);
    }

    /// <summary>PCM16 to the [-1, 1) floats whisper.cpp takes.</summary>
    public static float[] ToFloat(ReadOnlySpan<short> samples)
    {
        var result = new float[samples.Length];
        for (var i = 0; i < samples.Length; i++) result[i] = samples[i] / 32768f;
        return result;
    }

    private static string Describe(int tag, int channels, int rate, int bits)
    {
        var kind = tag switch { 1 => "PCM", 3 => "float", 6 => "A-law", 7 => "µ-law", 0xFFFE => "extensible", _ => $"format {tag}" };
        return $"{kind}, {channels} channel(s), {rate} Hz, {bits}-bit";
    }
}
