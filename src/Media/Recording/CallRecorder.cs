using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Media.Audio;

namespace Telephony.Media.Recording;

/// <summary>
/// Writes one call party's audio to a WAV file while the call goes on. At most every
/// <see cref="FlushInterval"/> (1 s by default, by <see cref="TimeProvider"/>) the samples go to the operating
/// system and the RIFF sizes are rewritten, so if the process dies the file is a valid WAV missing at most
/// that last interval. Writes come from the media path every 20 ms, so the check rides on them: no timer per
/// call. Not thread-safe: one writer (the stream's media tick) at a time.
/// </summary>
public sealed class CallRecorder : IDisposable
{
    private readonly WavWriter _writer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _flushToDisk;
    private long _lastFlush;
    private bool _closed;

    public string Path { get; }
    public int SampleRate => _writer.SampleRate;
    public TimeSpan FlushInterval { get; }

    /// <summary>The audio written so far (flushed or not).</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)_writer.SamplesWritten / _writer.SampleRate);

    /// <param name="path">the WAV file to create (its folder is created when missing)</param>
    /// <param name="sampleRate">8000 or 16000 (or any other rate the caller's PCM has)</param>
    /// <param name="flushInterval">at most 1 s, by default 1 s</param>
    /// <param name="flushToDisk">also fsync at each flush: survives a power cut, costs an fsync per call a second</param>
    public CallRecorder(string path, int sampleRate, TimeProvider time, ILogger? logger = null,
        WavEncoding encoding = WavEncoding.Pcm16, TimeSpan? flushInterval = null, bool flushToDisk = false)
    {
        ArgumentNullException.ThrowIfNull(time);
        var interval = flushInterval ?? TimeSpan.FromSeconds(1);
        if (interval <= TimeSpan.Zero || interval > TimeSpan.FromSeconds(1))
            throw new ArgumentOutOfRangeException(nameof(flushInterval), interval, "between 0 and 1 s: a crash may lose at most one interval");
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        Path = path;
        FlushInterval = interval;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _flushToDisk = flushToDisk;
        // FileShare.Read: the recording may be listened to (or collected after a crash) while it grows.
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1);
        _writer = new WavWriter(stream, sampleRate, encoding);
        _writer.Flush(); // a valid, empty WAV from the first moment
        _lastFlush = time.GetTimestamp();
        _logger.LogDebug("Recording to {Path} at {SampleRate} Hz", path, sampleRate);
    }

    /// <summary>Appends the caller's PCM; flushes when the last flush is <see cref="FlushInterval"/> old.</summary>
    public void Write(ReadOnlySpan<short> pcm)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        _writer.Write(pcm);
        FlushIfDue();
    }

    /// <summary>Flushes when due; for a stream that went quiet (the media tick may call it without audio).</summary>
    public void FlushIfDue()
    {
        if (_closed) return;
        if (_time.GetElapsedTime(_lastFlush) < FlushInterval) return;
        _writer.Flush(_flushToDisk);
        _lastFlush = _time.GetTimestamp();
    }

    /// <summary>Writes what is left, the final sizes, and closes the file.</summary>
    public void Close()
    {
        if (_closed) return;
        _closed = true;
        _writer.Dispose();
        _logger.LogInformation("Recording {Path} closed: {DurationSeconds:F1} s", Path, Duration.TotalSeconds);
    }

    public void Dispose() => Close();
}
