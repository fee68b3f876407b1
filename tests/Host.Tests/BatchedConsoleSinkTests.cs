using System.Text;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;
using Telephony.Host.Logging;

namespace Telephony.Host.Tests;

public class BatchedConsoleSinkTests
{
    private static readonly MessageTemplateTextFormatter Format = new("[{Level:u3}] {Message:lj}{NewLine}");

    private static LogEvent Event(string text, LogEventLevel level = LogEventLevel.Information) =>
        new(DateTimeOffset.Now, level, null, new MessageTemplateParser().Parse(text), []);

    [Test]
    public void Events_are_written_in_order_within_the_batch_interval()
    {
        var output = new MemoryStream();
        var sink = new BatchedConsoleSink(Format, output);
        for (var i = 0; i < 100; i++) sink.Emit(Event($"line {i}"));
        // Written by the writer thread without a Dispose: the length only grows once a batch is flushed.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (output.Length < 100 * "[INF] line 99\n".Length / 2 && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.That(output.Length, Is.GreaterThan(0), "nothing was written within 5 s");
        sink.Dispose();
        var text = Encoding.UTF8.GetString(output.ToArray());
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Is.EqualTo(Enumerable.Range(0, 100).Select(i => $"[INF] line {i}")));
    }

    [Test]
    public void The_hosts_template_writes_enum_and_string_values_without_quotes()
    {
        var output = new MemoryStream();
        var sink = new BatchedConsoleSink(new MessageTemplateTextFormatter(Logs.OutputTemplate), output);
        var template = new MessageTemplateParser().Parse("Call {CallId} ended: {Reason}");
        sink.Emit(new LogEvent(DateTimeOffset.Now, LogEventLevel.Information, null, template,
            [new LogEventProperty("CallId", new ScalarValue("abc")), new LogEventProperty("Reason", new ScalarValue(DayOfWeek.Monday))]));
        sink.Dispose();
        Assert.That(Encoding.UTF8.GetString(output.ToArray()), Does.Contain("Call abc ended: Monday"));
    }

    [Test]
    public void Dispose_writes_what_is_still_queued()
    {
        var output = new MemoryStream();
        var sink = new BatchedConsoleSink(Format, output);
        sink.Emit(Event("last words", LogEventLevel.Error));
        sink.Dispose();
        Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo("[ERR] last words" + Environment.NewLine));
    }

    [Test]
    public void A_full_queue_drops_new_events_and_reports_how_many()
    {
        var output = new GatedStream();
        var sink = new BatchedConsoleSink(Format, output, capacity: 2);
        sink.Emit(Event("first", LogEventLevel.Warning));
        Assert.That(output.Entered.Wait(TimeSpan.FromSeconds(5)), "the writer thread never wrote the first event");
        // The writer is now stuck in its write: two more fit in the queue, three are dropped.
        for (var i = 0; i < 5; i++) sink.Emit(Event($"queued {i}"));
        output.Gate.Release();
        sink.Dispose();
        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.That(text, Does.Contain("[WRN] first"));
        Assert.That(text, Does.Contain("[INF] queued 0").And.Contain("[INF] queued 1"));
        Assert.That(text, Does.Not.Contain("queued 2"));
        Assert.That(text, Does.Contain("3 log events dropped"));
    }

    /// <summary>A stream whose first write blocks until released, like a terminal nobody reads.</summary>
    private sealed class GatedStream : MemoryStream
    {
        public readonly ManualResetEventSlim Entered = new();
        public readonly SemaphoreSlim Gate = new(0);
        private bool _first = true;

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (_first)
            {
                _first = false;
                Entered.Set();
                Gate.Wait();
            }
            base.Write(buffer, offset, count);
        }
    }
}
