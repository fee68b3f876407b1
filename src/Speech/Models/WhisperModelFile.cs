using System.Buffers.Binary;

namespace Telephony.Speech.Models;

/// <summary>
/// Checks a file against the ggml Whisper layout whisper.cpp 1.9.1 reads (src/whisper.cpp,
/// whisper_model_load): magic, eleven int32 hyper-parameters, mel filters, vocabulary, then tensors
/// (n_dims, name length, type, dims, name, data) to the end of the file. Every length is checked against
/// the file size before anything is read, so a wrong or truncated file is refused with a reason.
/// </summary>
public static class WhisperModelFile
{
    private const uint GgmlMagic = 0x67676d6c; // "ggml", GGML_FILE_MAGIC
    private const int QuantizationVersionFactor = 1000; // GGML_QNT_VERSION_FACTOR
    private const int FftBins = 201; // WHISPER_N_FFT / 2 + 1

    public static ModelCheck Inspect(string path)
    {
        if (!File.Exists(path)) return Reject(path, ModelRejection.Missing, "no such file");
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return Inspect(path, file);
        }
        catch (IOException e)
        {
            return Reject(path, ModelRejection.Missing, e.Message);
        }
        catch (UnauthorizedAccessException e)
        {
            return Reject(path, ModelRejection.Missing, e.Message);
        }
    }

    private static ModelCheck Inspect(string path, FileStream file)
    {
        var length = file.Length;
        Span<byte> header = stackalloc byte[48];
        if (length < header.Length + 8) return Reject(path, ModelRejection.TooSmall, $"{length} bytes is too small for a ggml Whisper model");
        file.ReadExactly(header);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != GgmlMagic)
            return Reject(path, ModelRejection.BadMagic, "not a ggml file (the first four bytes are not 'lmgg')");

        Span<int> h = stackalloc int[11];
        for (var i = 0; i < h.Length; i++) h[i] = BinaryPrimitives.ReadInt32LittleEndian(header[(4 + 4 * i)..]);
        var hp = new WhisperHyperParameters(h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10]);
        if (CheckHyperParameters(hp) is { } bad) return Reject(path, ModelRejection.BadHyperParameters, bad, hp);

        var reader = new Reader(file, length);
        var nMel = reader.TryInt32(out var m) ? m : -1;
        var nFft = reader.TryInt32(out var f) ? f : -1;
        if (nMel != hp.Mels || nFft != FftBins)
            return Reject(path, ModelRejection.BadMelFilters, $"mel filter header {nMel}x{nFft}, expected {hp.Mels}x{FftBins}", hp);
        if (!reader.Skip((long)nMel * nFft * 4)) return Reject(path, ModelRejection.Truncated, "file ends inside the mel filters", hp);

        if (!reader.TryInt32(out var vocab) || vocab < 0 || vocab > hp.Vocab)
            return Reject(path, ModelRejection.BadVocabulary, $"vocabulary of {vocab} tokens for n_vocab {hp.Vocab}", hp);
        for (var i = 0; i < vocab; i++)
        {
            if (!reader.TryInt32(out var tokenLength)) return Reject(path, ModelRejection.Truncated, $"file ends before token {i}", hp);
            if (tokenLength is < 0 or > 1024) return Reject(path, ModelRejection.BadVocabulary, $"token {i} has length {tokenLength}", hp);
            if (!reader.Skip(tokenLength)) return Reject(path, ModelRejection.Truncated, $"file ends inside token {i}", hp);
        }

        var tensors = 0;
        while (!reader.AtEnd)
        {
            if (!reader.TryInt32(out var dims) || !reader.TryInt32(out var nameLength) || !reader.TryInt32(out var type))
                return Reject(path, ModelRejection.Truncated, $"file ends inside the header of tensor {tensors}", hp, tensors);
            if (dims is < 1 or > 4 || nameLength is < 1 or > 256)
                return Reject(path, ModelRejection.BadTensor, $"tensor {tensors} has {dims} dimensions and a {nameLength}-byte name", hp, tensors);
            long elements = 1;
            for (var d = 0; d < dims; d++)
            {
                if (!reader.TryInt32(out var ne)) return Reject(path, ModelRejection.Truncated, $"file ends inside tensor {tensors}", hp, tensors);
                if (ne is < 1 or > 1 << 24) return Reject(path, ModelRejection.BadTensor, $"tensor {tensors} has a dimension of {ne}", hp, tensors);
                elements *= ne;
            }
            if (GgmlTypes.ByteSize(type, elements) is not { } bytes)
                return Reject(path, ModelRejection.BadTensor, $"tensor {tensors} has unknown ggml type {type}", hp, tensors);
            if (!reader.Skip(nameLength) || !reader.Skip(bytes))
                return Reject(path, ModelRejection.Truncated, $"file ends inside tensor {tensors} ({length} bytes)", hp, tensors);
            tensors++;
        }
        var kind = tensors == 0 ? "test model without weights" : $"{tensors} tensors";
        return new ModelCheck(path, ModelRejection.None, $"ggml Whisper {hp.Size} ({kind})", hp, tensors);
    }

    /// <summary>Ranges of every released Whisper model (tiny … large-v3-turbo); anything else is not one.</summary>
    private static string? CheckHyperParameters(WhisperHyperParameters hp)
    {
        if (hp.Vocab is < 51864 or > 51866) return $"n_vocab {hp.Vocab} is not a Whisper vocabulary (51864–51866)";
        if (hp.AudioContext != 1500 || hp.TextContext != 448) return $"context sizes {hp.AudioContext}/{hp.TextContext}, expected 1500/448";
        if (hp.AudioState is not (384 or 512 or 768 or 1024 or 1280) || hp.TextState != hp.AudioState)
            return $"state widths {hp.AudioState}/{hp.TextState} are not a Whisper size";
        if (hp.AudioHeads is < 1 or > 64 || hp.TextHeads is < 1 or > 64 || hp.AudioState % hp.AudioHeads != 0 || hp.TextState % hp.TextHeads != 0)
            return $"head counts {hp.AudioHeads}/{hp.TextHeads} do not divide the state width {hp.AudioState}";
        if (hp.AudioLayers is not (4 or 6 or 12 or 24 or 32) || hp.TextLayers is < 1 or > 32)
            return $"layer counts {hp.AudioLayers}/{hp.TextLayers} are not a Whisper size";
        if (hp.Mels is not (80 or 128)) return $"n_mels {hp.Mels}, expected 80 or 128";
        var ftype = hp.FileType % QuantizationVersionFactor;
        if (hp.FileType < 0 || hp.FileType / QuantizationVersionFactor > 2 || ftype is not (0 or 1 or 2 or 3 or (>= 7 and <= 14)))
            return $"ftype {hp.FileType} is not a ggml file type";
        return null;
    }

    private static ModelCheck Reject(string path, ModelRejection reason, string message, WhisperHyperParameters? hp = null, int tensors = 0) =>
        new(path, reason, $"{path}: not a usable Whisper model: {message}", hp, tensors);

    /// <summary>Reads little-endian int32 and skips, never past the end of the file.</summary>
    private sealed class Reader(FileStream file, long length)
    {
        private readonly byte[] _four = new byte[4];
        public bool AtEnd => file.Position >= length;

        public bool TryInt32(out int value)
        {
            value = 0;
            if (length - file.Position < 4) return false;
            file.ReadExactly(_four);
            value = BinaryPrimitives.ReadInt32LittleEndian(_four);
            return true;
        }

        public bool Skip(long bytes)
        {
            if (bytes < 0 || length - file.Position < bytes) return false;
            file.Seek(bytes, SeekOrigin.Current);
            return true;
        }
    }
}
