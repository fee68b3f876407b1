namespace Telephony.Media.Clock;

/// <summary>
/// Counts durations in 10 µs buckets up to 100 ms (one overflow bucket beyond) for p50/p99 without keeping
/// samples: written by every media worker at once (interlocked counts), readers take approximate snapshots.
/// </summary>
public sealed class IntervalHistogram
{
    private const int BucketMicros = 10;
    private const int Buckets = 10_000;
    private readonly long[] _counts = new long[Buckets + 1];
    private long _total;
    private long _maxMicros;

    public long Count => Volatile.Read(ref _total);
    public TimeSpan Max => TimeSpan.FromMicroseconds(Volatile.Read(ref _maxMicros));

    public void Add(double micros)
    {
        if (micros < 0) micros = 0;
        var bucket = (int)Math.Min(micros / BucketMicros, Buckets);
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Increment(ref _total);
        var value = (long)micros;
        for (var max = Volatile.Read(ref _maxMicros); value > max; max = Volatile.Read(ref _maxMicros))
            if (Interlocked.CompareExchange(ref _maxMicros, value, max) == max) break;
    }

    /// <summary>The upper edge of the bucket holding the <paramref name="quantile"/> (0..1).</summary>
    public TimeSpan Percentile(double quantile)
    {
        var total = Count;
        if (total == 0) return TimeSpan.Zero;
        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i <= Buckets; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank) return i == Buckets ? Max : TimeSpan.FromMicroseconds((i + 1) * BucketMicros);
        }
        return Max;
    }

    public void Reset()
    {
        Array.Clear(_counts);
        Volatile.Write(ref _total, 0);
        Volatile.Write(ref _maxMicros, 0);
    }
}

/// <summary>What the clock measured: how far each stream's interval between two ticks strayed from the period.</summary>
public readonly record struct MediaClockStatistics(
    long Ticks, long SkippedTicks, long Intervals, TimeSpan DeviationP50, TimeSpan DeviationP99, TimeSpan DeviationMax,
    TimeSpan TickLatenessP99, TimeSpan LongestTick, int Streams);
