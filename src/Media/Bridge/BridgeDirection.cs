using Telephony.Media.Audio;
using Telephony.Media.Rtp;

namespace Telephony.Media.Bridge;

/// <summary>
/// One direction of a bridge: decoded PCM from one leg at its rate goes in (<see cref="Push"/>), PCM at the
/// other leg's rate comes out 20 ms at a time (<see cref="Read"/>, the other session's source). The codecs
/// themselves are the sessions' (each decodes and encodes its own), so transcoding PCMU ↔ PCMA ↔ G.722 is
/// decode, resample 8 ↔ 16 kHz with the half-band converters when the rates differ, encode. Both ends run on
/// the one media clock, so the queue needs only a frame or two; it is bounded (<see cref="MaxQueuedMs"/>)
/// and drops the oldest audio rather than letting delay grow, and a gap reads as silence.
/// </summary>
public sealed class BridgeDirection : IOutboundAudio
{
    public const int MaxQueuedMs = 60;

    private readonly Lock _gate = new();
    private readonly short[] _queue;
    private readonly short[] _scratch;
    private readonly Upsampler8To16? _up;
    private readonly Downsampler16To8? _down;
    private int _head, _count;

    public BridgeDirection(int fromRate, int toRate)
    {
        if (fromRate is not (8000 or 16000) || toRate is not (8000 or 16000))
            throw new ArgumentOutOfRangeException(nameof(fromRate), $"{fromRate} → {toRate} Hz: a bridge joins 8000 and 16000 Hz legs");
        FromRate = fromRate;
        ToRate = toRate;
        if (fromRate < toRate) _up = new Upsampler8To16();
        if (fromRate > toRate) _down = new Downsampler16To8();
        _queue = new short[toRate * MaxQueuedMs / 1000];
        _scratch = new short[toRate / 10]; // up to 100 ms per push
    }

    public int FromRate { get; }
    public int ToRate { get; }

    /// <summary>Samples dropped because the reader fell behind.</summary>
    public long Dropped { get; private set; }

    /// <summary>Adds decoded PCM of the source leg (at most 100 ms of the destination rate at a time).</summary>
    public void Push(ReadOnlySpan<short> pcm)
    {
        ReadOnlySpan<short> converted;
        lock (_gate)
        {
            if (_up is not null) converted = _scratch.AsSpan(0, _up.Process(pcm, _scratch));
            else if (_down is not null) converted = _scratch.AsSpan(0, _down.Process(pcm, _scratch));
            else converted = pcm;
            foreach (var s in converted)
            {
                if (_count == _queue.Length) { _head = (_head + 1) % _queue.Length; _count--; Dropped++; }
                _queue[(_head + _count) % _queue.Length] = s;
                _count++;
            }
        }
    }

    /// <summary>The next frame for the destination leg; false (the session sends silence) when nothing is queued.</summary>
    public bool Read(Span<short> frame)
    {
        lock (_gate)
        {
            if (_count == 0) return false;
            var n = Math.Min(frame.Length, _count);
            for (var i = 0; i < n; i++) frame[i] = _queue[(_head + i) % _queue.Length];
            if (n < frame.Length) frame[n..].Clear();
            _head = (_head + n) % _queue.Length;
            _count -= n;
            return true;
        }
    }
}
