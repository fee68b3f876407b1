using System.Collections.Concurrent;
using Telephony.Media.Audio;
using Telephony.Media.Channel;

namespace Telephony.Host.Calls;

/// <summary>China's ringback (450 Hz, 1 s on, 4 s off), played to a caller while the far end of a transfer rings.</summary>
public static class Ringback
{
    private static readonly ConcurrentDictionary<int, short[]> Cycles = new();

    /// <summary>One 5 s cycle of the ringback at <paramref name="sampleRate"/>, rendered once per rate.</summary>
    public static short[] Cycle(int sampleRate) => Cycles.GetOrAdd(sampleRate, rate => ToneGenerator.Render(TonePattern.ChinaRingback, rate));

    /// <summary>Plays the ringback until <paramref name="stop"/> or the caller leaves; ends quietly either way.</summary>
    public static async Task PlayAsync(ICallChannel call, CancellationToken stop)
    {
        var cycle = Cycle(call.SampleRate);
        try
        {
            while (!stop.IsCancellationRequested && !call.Ended.IsCancellationRequested)
            {
                var played = await call.PlayAsync([new AudioItem.Pcm(cycle, "ringback")], PlayOptions.Default, stop).ConfigureAwait(false);
                if (played.Outcome == PlayOutcome.HungUp) return;
            }
        }
        catch (OperationCanceledException) { }
    }
}
