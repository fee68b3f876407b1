using System.Buffers.Binary;
using System.Text;

namespace Telephony.Speech.Models;

/// <summary>
/// Checks a Silero VAD model in whisper.cpp's ggml layout (whisper_vad_init_with_params: magic, model type
/// string, version, window and context sizes) before whisper.cpp reads it.
/// </summary>
public static class VadModelFile
{
    /// <summary>Null when the file looks like a 16 kHz Silero VAD model, else why not.</summary>
    public static string? Problem(string path)
    {
        if (!File.Exists(path)) return $"{path}: no such file";
        var head = new byte[96];
        int read;
        using (var file = File.OpenRead(path)) read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var h = head.AsSpan(0, read);
        if (h.Length < 12 || BinaryPrimitives.ReadUInt32LittleEndian(h) != 0x67676d6c) return $"{path}: not a ggml file";
        var typeLength = BinaryPrimitives.ReadInt32LittleEndian(h[4..]);
        if (typeLength is < 1 or > 32 || 8 + typeLength + 20 > h.Length) return $"{path}: not a ggml VAD model (model type length {typeLength})";
        var type = Encoding.ASCII.GetString(h.Slice(8, typeLength));
        if (!type.StartsWith("silero", StringComparison.Ordinal)) return $"{path}: model type '{type}' is not Silero VAD";
        var window = BinaryPrimitives.ReadInt32LittleEndian(h[(8 + typeLength + 12)..]);
        if (window != 512) return $"{path}: VAD window {window}, expected 512 samples (16 kHz)";
        return null;
    }
}
