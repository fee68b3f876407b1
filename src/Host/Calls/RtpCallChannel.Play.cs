using Microsoft.Extensions.Logging;
using Telephony.Media.Channel;
using Telephony.Media.Rtp;

namespace Telephony.Host.Calls;

// Playback: PlayAsync resolves the items into one job; the session's Output reads the job on the clock
// thread 20 ms at a time. Barge-in ends the job from the digit path, so the very next tick sends silence.
public sealed partial class RtpCallChannel
{
    private PlayJob? _play;

    private sealed class PlayJob(List<(string Label, ReadOnlyMemory<short> Pcm, int Silence)> segments, bool bargeIn, int sampleRate)
    {
        public readonly List<(string Label, ReadOnlyMemory<short> Pcm, int Silence)> Segments = segments;
        public readonly bool BargeIn = bargeIn;
        public readonly int SampleRate = sampleRate;
        public readonly List<string> Played = [];
        public readonly TaskCompletionSource<PlayOutcome> Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Index;
        public int Offset;
        public long Samples;
    }

    public async Task<PlayResult> PlayAsync(IReadOnlyList<AudioItem> items, PlayOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        cancellation.ThrowIfCancellationRequested();
        var segments = new List<(string, ReadOnlyMemory<short>, int)>();
        var missing = new List<string>();
        foreach (var item in items)
        {
            switch (item)
            {
                case AudioItem.Prompt p when _prompts.TryGet(p.Name, out var pcm):
                    segments.Add((p.Name, pcm, 0));
                    break;
                case AudioItem.Prompt p:
                    missing.Add(p.Name);
                    _log.LogWarning("Call {CallId}: no prompt {Prompt} (run ./hotline setup); skipped", CallId, p.Name);
                    break;
                case AudioItem.Pcm p:
                    segments.Add((p.Label, p.Samples, 0));
                    break;
                case AudioItem.Silence s:
                    segments.Add(($"silence {s.Length.TotalMilliseconds:F0} ms", default, (int)(s.Length.TotalSeconds * SampleRate)));
                    break;
            }
        }
        var job = new PlayJob(segments, options.BargeIn, SampleRate);
        lock (_gate)
        {
            if (_ended.IsCancellationRequested) return new PlayResult(PlayOutcome.HungUp, [], missing, TimeSpan.Zero);
            if (_play is not null) throw new InvalidOperationException("a playback is already running on this channel");
            // Barge-in on a key pressed before the prompt started: the IVR convention is that it counts.
            if (options.BargeIn && _digits.Length > 0) return new PlayResult(PlayOutcome.BargedIn, [], missing, TimeSpan.Zero);
            if (segments.Count == 0) return new PlayResult(PlayOutcome.Completed, [], missing, TimeSpan.Zero);
            _play = job;
        }
        PlayOutcome outcome;
        using (cancellation.Register(() => { lock (_gate) if (_play == job) { _play = null; job.Done.TrySetCanceled(); } }))
        {
            try { outcome = await job.Done.Task.ConfigureAwait(false); }
            catch (TaskCanceledException) { throw new OperationCanceledException(cancellation); }
        }
        lock (_gate)
            return new PlayResult(outcome, [.. job.Played], missing, TimeSpan.FromSeconds((double)job.Samples / SampleRate));
    }

    // Under _gate.
    private void EndPlayback(PlayOutcome outcome)
    {
        if (_play is not { } job) return;
        _play = null;
        job.Done.TrySetResult(outcome);
    }

    /// <summary>What the session sends: the play job's next 20 ms, or nothing (the session sends silence).</summary>
    private sealed class Output(RtpCallChannel channel) : IOutboundAudio
    {
        public bool Read(Span<short> frame)
        {
            lock (channel._gate)
            {
                if (channel._play is not { } job) return false;
                var filled = 0;
                while (filled < frame.Length && job.Index < job.Segments.Count)
                {
                    var (label, pcm, silence) = job.Segments[job.Index];
                    if (job.Offset == 0) job.Played.Add(label);
                    var length = pcm.IsEmpty ? silence : pcm.Length;
                    var n = Math.Min(frame.Length - filled, length - job.Offset);
                    if (pcm.IsEmpty) frame.Slice(filled, n).Clear();
                    else pcm.Span.Slice(job.Offset, n).CopyTo(frame[filled..]);
                    filled += n;
                    job.Offset += n;
                    if (job.Offset >= length) { job.Index++; job.Offset = 0; }
                }
                if (filled < frame.Length) frame[filled..].Clear();
                job.Samples += filled;
                if (job.Index >= job.Segments.Count) channel.EndPlayback(PlayOutcome.Completed);
                return true;
            }
        }
    }
}
