using Telephony.Media.Rtp;

namespace Telephony.Host.Calls;

/// <summary>
/// What a call sends: queued prompts played one after the other, then nothing (the session sends encoded
/// silence). Read on the media clock's thread only; <see cref="Enqueue"/> from that thread or before start.
/// </summary>
public sealed class PromptPlayer : IOutboundAudio
{
    private readonly Queue<ReadOnlyMemory<short>> _queue = new();
    private ReadOnlyMemory<short> _current;

    /// <summary>Raised on the clock thread when the last queued prompt has been sent.</summary>
    public event Action? Drained;

    public bool Playing => !_current.IsEmpty || _queue.Count > 0;

    public void Enqueue(ReadOnlyMemory<short> pcm)
    {
        if (!pcm.IsEmpty) _queue.Enqueue(pcm);
    }

    public bool Read(Span<short> frame)
    {
        if (_current.IsEmpty && !_queue.TryDequeue(out _current)) return false;
        var n = Math.Min(frame.Length, _current.Length);
        _current.Span[..n].CopyTo(frame);
        if (n < frame.Length) frame[n..].Clear();
        _current = _current[n..];
        if (_current.IsEmpty && _queue.Count == 0) Drained?.Invoke();
        return true;
    }
}
