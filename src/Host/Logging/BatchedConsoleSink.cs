using System.Collections.Concurrent;
using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Telephony.Host.Logging;

/// <summary>
/// Writes log events to standard output in batches from one background thread: a call's log line costs the
/// SIP thread that logs it one queue insert, and the console one write per batch (every 50 ms, at once for
/// warnings and errors) instead of a wake-up and a write per line — at a thousand calls a second the
/// per-line writes and wake-ups of an ordinary async console sink were ~15 % of the engine's CPU
/// (docs/PERFORMANCE.md). The queue is bounded: past <see cref="DefaultCapacity"/> events (by default), new ones are counted
/// and dropped (the count is written as soon as there is room) rather than stall the engine.
/// </summary>
public sealed class BatchedConsoleSink : ILogEventSink, IDisposable
{
    public const int DefaultCapacity = 100_000;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly int _capacity;
    private readonly ITextFormatter _formatter;
    private readonly ConcurrentQueue<LogEvent> _queue = new();
    private readonly AutoResetEvent _urgent = new(false);
    private readonly Stream _output;
    private readonly StreamWriter _writer;
    private readonly Thread _thread;
    private int _count;
    private long _dropped;
    private volatile bool _stopping;

    public BatchedConsoleSink(ITextFormatter formatter, Stream? output = null, int capacity = DefaultCapacity)
    {
        _capacity = capacity;
        _formatter = formatter;
        _output = output ?? Console.OpenStandardOutput();
        _writer = new StreamWriter(_output, new UTF8Encoding(false), bufferSize: 64 * 1024) { AutoFlush = false };
        _thread = new Thread(Pump) { IsBackground = true, Name = "log writer" };
        _thread.Start();
    }

    public void Emit(LogEvent logEvent)
    {
        if (Interlocked.Increment(ref _count) > _capacity)
        {
            Interlocked.Decrement(ref _count);
            Interlocked.Increment(ref _dropped);
            return;
        }
        _queue.Enqueue(logEvent);
        if (logEvent.Level >= LogEventLevel.Warning) _urgent.Set();
    }

    private void Pump()
    {
        while (!_stopping)
        {
            _urgent.WaitOne(Interval);
            Drain();
        }
        Drain();
    }

    private void Drain()
    {
        var wrote = false;
        try
        {
            while (_queue.TryDequeue(out var e))
            {
                Interlocked.Decrement(ref _count);
                _formatter.Format(e, _writer);
                wrote = true;
            }
            var dropped = Interlocked.Exchange(ref _dropped, 0);
            if (dropped > 0)
            {
                _writer.WriteLine($"{DateTime.Now:HH:mm:ss.fff} [WRN] Telephony.Host.Logging: {dropped} log events dropped: the log writer could not keep up");
                wrote = true;
            }
            if (wrote) _writer.Flush();
        }
        catch (IOException)
        {
            // Standard output closed (the parent went away): nothing to write to; keep the engine running.
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _urgent.Set();
        _thread.Join(TimeSpan.FromSeconds(5));
        try { _writer.Flush(); } catch (IOException) { }
        _urgent.Dispose();
    }
}
