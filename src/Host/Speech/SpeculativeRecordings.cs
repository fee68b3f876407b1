using System.Collections.Concurrent;
using Telephony.Speech.Pool;

namespace Telephony.Host.Speech;

/// <summary>
/// What a call's record step tells speech while it records: each 20 ms frame and whether its endpointer
/// called it speech (clock thread; must not block), then that the recording ended.
/// </summary>
public interface IRecordingListener
{
    void OnFrame(ReadOnlySpan<short> pcm, bool speech);
    void Ended();
}

/// <summary>
/// The recordings being speculated on, by WAV path: the record step registers one when it starts
/// (<see cref="SpeechService.Listen"/>), the transcribe step takes it by <c>RecordResult.Path</c>. A recording
/// nobody transcribes (no transcribe node, no speech) is forgotten and its speculation abandoned
/// <see cref="Expiry"/> after it ended, so an unused run costs at most one transcription's CPU.
/// </summary>
internal sealed class SpeculativeRecordings
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, Listener> _byPath = new();

    public int Count => _byPath.Count;

    public IRecordingListener Add(string path, RecordingSpeculation speculation)
    {
        var listener = new Listener(this, path, speculation);
        if (_byPath.TryRemove(path, out var old)) old.Speculation.Abandon(); // a path is one recording; a reused one starts over
        _byPath[path] = listener;
        return listener;
    }

    public RecordingSpeculation? Take(string? path) =>
        path is not null && _byPath.TryRemove(path, out var listener) ? listener.Speculation : null;

    private sealed class Listener(SpeculativeRecordings owner, string path, RecordingSpeculation speculation) : IRecordingListener
    {
        public RecordingSpeculation Speculation { get; } = speculation;

        public void OnFrame(ReadOnlySpan<short> pcm, bool speech) => Speculation.OnFrame(pcm, speech);

        public void Ended() => _ = Task.Delay(Expiry).ContinueWith(_ =>
        {
            if (owner._byPath.TryRemove(new KeyValuePair<string, Listener>(path, this))) Speculation.Abandon();
        }, TaskScheduler.Default);
    }
}
