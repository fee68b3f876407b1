using System.Buffers.Binary;

namespace Telephony.Testing;

/// <summary>Minimal PCM WAV files for peers that need one (baresip's aufile source).</summary>
public static class WavFile
{
    /// <summary>Writes <paramref name="length"/> of 16-bit mono silence; avoids needing sox when the audio does not matter.</summary>
    public static void WriteSilence(string path, TimeSpan length, int sampleRate = 8000)
    {
        var dataBytes = checked((int)(length.TotalSeconds * sampleRate) * 2);
        var header = new byte[44];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(header.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), 16);         // fmt chunk size
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(20), 1);          // PCM
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(22), 1);          // mono
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(28), sampleRate * 2); // byte rate
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(32), 2);          // block align
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(34), 16);         // bits per sample
        "data"u8.CopyTo(header.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(40), dataBytes);
        using var file = File.Create(path);
        file.Write(header);
        file.SetLength(44 + dataBytes); // the rest reads as zeros
    }
}
