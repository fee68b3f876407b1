using System.Buffers.Binary;
using Telephony.Media.Codecs;

namespace Telephony.Media.Audio;

/// <summary>
/// Writes a mono WAV file sample by sample. <see cref="Flush"/> pushes the samples to the file and rewrites
/// the RIFF and data sizes, so the file is a valid WAV of everything written so far after every flush —
/// what the call recorder relies on to survive a crash.
/// </summary>
public sealed class WavWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly byte[] _buffer = new byte[4096];
    private readonly byte[] _size = new byte[4];
    private int _buffered;
    private uint _dataBytes;
    private bool _disposed;

    public WavEncoding Encoding { get; }
    public int SampleRate { get; }
    public long SamplesWritten => _dataBytes / WavHeader.BytesPerSample(Encoding) + _buffered / WavHeader.BytesPerSample(Encoding);

    /// <summary>Writes to <paramref name="stream"/>, which must be seekable and positioned at its start.</summary>
    public WavWriter(Stream stream, int sampleRate, WavEncoding encoding, bool ownsStream = true)
    {
        if (!stream.CanSeek || !stream.CanWrite) throw new ArgumentException("a WAV writer needs a writable, seekable stream", nameof(stream));
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1000);
        if (!Enum.IsDefined(encoding)) throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "PCM16, µ-law or A-law");
        _stream = stream;
        _ownsStream = ownsStream;
        Encoding = encoding;
        SampleRate = sampleRate;
        Span<byte> header = stackalloc byte[WavHeader.Length(encoding)];
        WavHeader.Write(header, encoding, sampleRate, 0);
        _stream.Write(header);
    }

    public static WavWriter Create(string path, int sampleRate, WavEncoding encoding) =>
        new(new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1), sampleRate, encoding);

    /// <summary>Writes a whole file in one go.</summary>
    public static void Write(string path, int sampleRate, WavEncoding encoding, ReadOnlySpan<short> samples)
    {
        using var writer = Create(path, sampleRate, encoding);
        writer.Write(samples);
    }

    public void Write(ReadOnlySpan<short> samples)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int bytesPerSample = WavHeader.BytesPerSample(Encoding);
        while (!samples.IsEmpty)
        {
            int room = (_buffer.Length - _buffered) / bytesPerSample;
            if (room == 0) { WriteBuffer(); continue; }
            int n = Math.Min(room, samples.Length);
            var target = _buffer.AsSpan(_buffered, n * bytesPerSample);
            var chunk = samples[..n];
            switch (Encoding)
            {
                case WavEncoding.Pcm16:
                    for (int i = 0; i < n; i++) BinaryPrimitives.WriteInt16LittleEndian(target[(2 * i)..], chunk[i]);
                    break;
                case WavEncoding.MuLaw: G711.EncodeMuLaw(chunk, target); break;
                default: G711.EncodeALaw(chunk, target); break;
            }
            _buffered += n * bytesPerSample;
            samples = samples[n..];
        }
    }

    /// <summary>
    /// Writes the buffered samples, rewrites the two sizes, and flushes the stream to the operating system
    /// (and to the disk with <paramref name="toDisk"/>, at the cost of an fsync).
    /// </summary>
    public void Flush(bool toDisk = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        WriteBuffer();
        long end = _stream.Position;
        // The data first, then the sizes that cover it: a crash in between leaves a shorter valid file.
        _stream.Flush();
        BinaryPrimitives.WriteUInt32LittleEndian(_size, (uint)(WavHeader.Length(Encoding) - 8) + _dataBytes + (_dataBytes & 1));
        _stream.Position = WavHeader.RiffSizeOffset;
        _stream.Write(_size);
        BinaryPrimitives.WriteUInt32LittleEndian(_size, _dataBytes);
        _stream.Position = WavHeader.DataSizeOffset(Encoding);
        _stream.Write(_size);
        _stream.Position = end;
        if (toDisk && _stream is FileStream file) file.Flush(flushToDisk: true);
        else _stream.Flush();
    }

    private void WriteBuffer()
    {
        if (_buffered == 0) return;
        _stream.Write(_buffer, 0, _buffered);
        _dataBytes += (uint)_buffered;
        _buffered = 0;
    }

    public void Dispose()
    {
        if (_disposed) return;
        Flush();
        if ((_dataBytes & 1) != 0) _stream.WriteByte(0); // RIFF pad byte after an odd-length data chunk
        _disposed = true;
        if (_ownsStream) _stream.Dispose();
    }
}
