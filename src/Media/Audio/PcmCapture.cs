using System.Buffers;

namespace Telephony.Media.Audio;

/// <summary>
/// Collects a recording's PCM in memory as it grows, in one-second blocks rented from the shared pool, and hands it
/// over as one array at the end. A growing array (ArrayBufferWriter) doubles and copies, and past 85 KB every new
/// array is a large-object allocation the kernel must zero: with hundreds of calls recording at once that was a tenth
/// of the media workers' time and the GC pauses that moved their ticks. Blocks stay under that size and are reused.
/// Not thread-safe: one writer (the media tick), then one reader.
/// </summary>
public sealed class PcmCapture : IDisposable
{
    private readonly List<short[]> _blocks = [];
    private readonly int _blockSamples;
    private int _inLast;

    /// <param name="blockSamples">samples per block: a second of audio (8,000 or 16,000) keeps each under 85 KB</param>
    public PcmCapture(int blockSamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSamples, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blockSamples, 40_000);
        _blockSamples = blockSamples;
    }

    public int Length { get; private set; }

    public void Append(ReadOnlySpan<short> pcm)
    {
        while (!pcm.IsEmpty)
        {
            if (_blocks.Count == 0 || _inLast == _blockSamples)
            {
                _blocks.Add(ArrayPool<short>.Shared.Rent(_blockSamples));
                _inLast = 0;
            }
            var n = Math.Min(pcm.Length, _blockSamples - _inLast);
            pcm[..n].CopyTo(_blocks[^1].AsSpan(_inLast, n));
            _inLast += n;
            Length += n;
            pcm = pcm[n..];
        }
    }

    /// <summary>Everything captured, as one new array; the blocks go back to the pool and the capture is empty again.</summary>
    public short[] Take()
    {
        var all = GC.AllocateUninitializedArray<short>(Length);
        var at = 0;
        for (var i = 0; i < _blocks.Count; i++)
        {
            var n = i == _blocks.Count - 1 ? _inLast : _blockSamples;
            _blocks[i].AsSpan(0, n).CopyTo(all.AsSpan(at));
            at += n;
        }
        Dispose();
        return all;
    }

    public void Dispose()
    {
        foreach (var block in _blocks) ArrayPool<short>.Shared.Return(block);
        _blocks.Clear();
        _inLast = 0;
        Length = 0;
    }
}
