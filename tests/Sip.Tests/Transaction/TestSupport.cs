using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Telephony.Sip.Message;
using Telephony.Sip.Transaction;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Tests.Transaction;

/// <summary>A transport that records every message handed to it, with the fake-clock time it was sent.</summary>
internal sealed class RecordingSender(Func<TimeSpan> clock) : ISipSender
{
    private readonly List<Sent> _sent = new();

    public sealed record Sent(SipMessage Message, SipEndPoint To, TimeSpan At)
    {
        public SipRequest Request => (SipRequest)Message;
        public SipResponse Response => (SipResponse)Message;
    }

    /// <summary>When set and true for a message, the send fails as a transport error would.</summary>
    public Func<SipMessage, bool>? Refuse { get; set; }

    public bool Send(SipMessage message, SipEndPoint destination)
    {
        lock (_sent) _sent.Add(new Sent(message, destination, clock()));
        return Refuse?.Invoke(message) != true;
    }

    public List<Sent> All
    {
        get { lock (_sent) return [.. _sent]; }
    }

    public List<Sent> Requests(string method) => All.Where(s => s.Message is SipRequest r && r.Method == method).ToList();
    public List<Sent> Responses(int status) => All.Where(s => s.Message is SipResponse r && r.StatusCode == status).ToList();
    public List<Sent> Responses() => All.Where(s => s.Message is SipResponse).ToList();

    public void Clear()
    {
        lock (_sent) _sent.Clear();
    }
}

/// <summary>Collects log entries so tests can see that an exception was logged rather than thrown.</summary>
internal sealed class ListLogger : ILogger
{
    public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Entries) Entries.Add((logLevel, formatter(state, exception), exception));
    }
}

/// <summary>A layer on a fake clock with a recording transport and recording TU callbacks.</summary>
internal sealed class Harness : IDisposable
{
    public static readonly SipEndPoint Udp = new(SipTransportKind.Udp, IPEndPoint.Parse("192.0.2.10:5060"));
    public static readonly SipEndPoint Tcp = new(SipTransportKind.Tcp, IPEndPoint.Parse("192.0.2.10:5060"));

    private readonly DateTimeOffset _start;

    public Harness(SipTimerOptions? options = null)
    {
        Time = new FakeTimeProvider();
        _start = Time.GetUtcNow();
        Log = new ListLogger();
        Queue = new SipTimerQueue(Time, Log);
        Sender = new RecordingSender(() => Now);
        Options = options ?? new SipTimerOptions();
        Layer = new TransactionLayer(Sender, Queue, Options, Log)
        {
            NewRequest = t => { lock (NewRequests) NewRequests.Add(t); OnNewRequest?.Invoke(t); },
            AckReceived = (ack, _) => { lock (Acks) Acks.Add(ack); },
            StrayResponse = (response, _) => { lock (Strays) Strays.Add(response); },
        };
    }

    public FakeTimeProvider Time { get; }
    public ListLogger Log { get; }
    public SipTimerQueue Queue { get; }
    public RecordingSender Sender { get; }
    public SipTimerOptions Options { get; }
    public TransactionLayer Layer { get; }
    public List<ServerTransaction> NewRequests { get; } = new();
    public List<SipRequest> Acks { get; } = new();
    public List<SipResponse> Strays { get; } = new();

    /// <summary>What the TU does with a new server transaction, besides recording it.</summary>
    public Action<ServerTransaction>? OnNewRequest { get; set; }

    public TimeSpan Now => Time.GetUtcNow() - _start;

    /// <summary>
    /// Moves the fake clock to <paramref name="at"/> one deadline at a time. FakeTimeProvider.Advance jumps to the
    /// end and only then runs what fell due, so a callback would see the end time and re-arm from there; stepping
    /// makes every timer fire, and every retransmission get recorded, at its own instant, as on a real clock.
    /// </summary>
    public void AdvanceTo(TimeSpan at) => StepTo(Time, Queue, () => Now, at);

    public void Advance(TimeSpan by) => AdvanceTo(Now + by);

    public static void StepTo(FakeTimeProvider time, SipTimerQueue queue, Func<TimeSpan> now, TimeSpan at)
    {
        Assert.That(at, Is.GreaterThanOrEqualTo(now()), "time only moves forward");
        while (queue.NextDue is { } next && now() + next <= at)
            time.Advance(next > TimeSpan.Zero ? next : TimeSpan.FromMilliseconds(1));
        if (at > now()) time.Advance(at - now());
    }

    /// <summary>No live transaction and no pending timer: nothing leaked.</summary>
    public void AssertIdle()
    {
        Assert.That(Layer.Count, Is.EqualTo(0), "live transactions");
        Assert.That(Queue.Pending, Is.EqualTo(0), "pending timers");
    }

    public void Dispose()
    {
        Layer.Dispose();
        Queue.Dispose();
    }
}

/// <summary>Messages as the transport would hand them over: text through <see cref="SipParser"/>.</summary>
internal static class Sip
{
    public const string CallId = "a84b4c76e66710@192.0.2.10";

    public static SipRequest Request(
        string method, string? branch, string transport = "UDP", string sentBy = "192.0.2.10:5060", uint cseq = 1,
        string callId = CallId, string fromTag = "1928301774", string? toTag = null,
        string uri = "sip:12345@hotline.example.cn", string extraHeaders = "")
    {
        var text =
            $"{method} {uri} SIP/2.0\r\n" +
            $"Via: SIP/2.0/{transport} {sentBy}{(branch is null ? "" : ";branch=" + branch)}\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: \"Caller\" <sip:13800138000@carrier.example.cn>;tag={fromTag}\r\n" +
            $"To: <sip:12345@hotline.example.cn>{(toTag is null ? "" : ";tag=" + toTag)}\r\n" +
            $"Call-ID: {callId}\r\n" +
            $"CSeq: {cseq} {method}\r\n" +
            extraHeaders +
            "Content-Length: 0\r\n\r\n";
        return (SipRequest)Parse(text);
    }

    public static SipRequest Invite(string? branch = "z9hG4bK74bf9", string transport = "UDP", string extraHeaders = "") =>
        Request(SipMethod.Invite, branch, transport, extraHeaders: extraHeaders);

    /// <summary>A response to <paramref name="request"/> as it comes off the wire (Via, From, To, Call-ID, CSeq copied).</summary>
    public static SipResponse Response(SipRequest request, int status, string? toTag = "as83kd9bs") =>
        (SipResponse)Parse(SipMessageFactory.CreateResponse(request, status, toTag: status == 100 ? null : toTag).ToString());

    public static SipMessage Parse(string text)
    {
        var result = SipParser.Parse(text);
        Assert.That(result.Success, Is.True, result.ToString());
        return result.Message!;
    }

    public static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);
    public static TimeSpan S(double s) => TimeSpan.FromSeconds(s);
}
