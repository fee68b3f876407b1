using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Text;
using Telephony.Sip.Calls;
using Telephony.Sip.Message;
using Telephony.Sip.Tests.UserAgent;

namespace Telephony.Sip.Tests.Robustness;

/// <summary>
/// 100,000 reproducible mutants of valid INVITE/OPTIONS/REGISTER/BYE/ACK/180 messages (<see cref="SipMutator"/>)
/// fired at a real engine: most over UDP, as fast as the engine takes them in (a window on its receive count,
/// responses drained and not waited for), the rest over several TCP connections, beside TCP peers that send
/// garbage and must be closed by the engine. Afterwards the engine has thrown nothing from its own code, answers
/// OPTIONS over UDP and TCP, completes an INVITE/200/ACK/BYE call, and holds no stray TCP connection.
/// </summary>
[NonParallelizable]
public class MutatedMessageTests
{
    private const int Total = ParserMutationTests.Count;
    private const int TcpConnections = 3;
    private const int TcpMutants = 5_000;
    private const int UdpMutants = Total - TcpMutants;
    private const int Window = 128;

    /// <summary>Exceptions thrown (even if caught) inside the engine's code while the storm runs, by type and place.</summary>
    private readonly ConcurrentDictionary<string, int> _engineExceptions = new();

    private void OnFirstChance(object? sender, FirstChanceExceptionEventArgs e)
    {
        if (e.Exception is SocketException or ObjectDisposedException or OperationCanceledException or IOException) return;
        var trace = new StackTrace(1, false).ToString();
        // Frames of the engine (Telephony.Sip.*), not of this test assembly.
        var frames = trace.Split('\n').Select(f => f.Trim()).Where(f => f.StartsWith("at Telephony.Sip.", StringComparison.Ordinal) && !f.StartsWith("at Telephony.Sip.Tests.", StringComparison.Ordinal)).ToList();
        if (frames.Count == 0) return;
        _engineExceptions.AddOrUpdate($"{e.Exception.GetType().Name}: {e.Exception.Message} {frames[0]}", 1, (_, n) => n + 1);
    }

    [Test]
    public async Task One_hundred_thousand_mutants_over_udp_and_tcp_leave_the_engine_answering()
    {
        // T1 = 100 ms: transactions the mutants open are gone 64·T1 = 6.4 s later, so the heap can be checked after the storm.
        await using var harness = new EngineHarness(t1: TimeSpan.FromMilliseconds(100));
        harness.Policy = call => { call.Reject(486); return Task.CompletedTask; }; // no media held by mutant calls
        var transport = harness.Engine.Transport;
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        AppDomain.CurrentDomain.FirstChanceException += OnFirstChance;
        using var stop = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        try
        {
            var garbage = Task.Factory.StartNew(() => GarbageConnections(harness.Port), TaskCreationOptions.LongRunning);
            var tcp = Enumerable.Range(0, TcpConnections)
                .Select(i => Task.Factory.StartNew(() => TcpStorm(harness.Port, i, TcpMutants / TcpConnections + (i < TcpMutants % TcpConnections ? 1 : 0), stop.Token), TaskCreationOptions.LongRunning)).ToArray();
            var udp = UdpStorm(harness, stop.Token);

            var garbageResults = await garbage;
            var tcpResults = await Task.WhenAll(tcp);
            watch.Stop();
            var sent = udp.Sent + tcpResults.Sum(r => r.Sent);
            TestContext.Out.WriteLine($"{sent} mutants in {watch.Elapsed.TotalSeconds:F1} s: {sent / watch.Elapsed.TotalSeconds:F0} messages/s " +
                                      $"({udp.Sent} UDP, {udp.Stalls} window stalls, {udp.Responses} responses drained; {tcpResults.Sum(r => r.Sent)} TCP making " +
                                      $"{tcpResults.Sum(r => r.Frames)} whole messages on {tcpResults.Sum(r => r.Connections)} connections, " +
                                      $"{tcpResults.Sum(r => r.ClosedAsPredicted)} closed by the engine on a framing error (slowest {tcpResults.Max(r => r.SlowestCloseMs)} ms), " +
                                      $"{tcpResults.Sum(r => r.ResponseBytes)} response bytes)");
            TestContext.Out.WriteLine($"engine: {transport.MessagesReceived} received, {transport.MessagesRejected} answered 400/505, {transport.MessagesDropped} dropped, " +
                                      $"{harness.Engine.Transactions.Count} live transactions");
            foreach (var g in garbageResults) TestContext.Out.WriteLine($"garbage connection: {g}");
            Assert.That(sent, Is.EqualTo(Total));
            Assert.That(tcpResults.Sum(r => r.NotClosed), Is.Zero, "TCP connections with a framing error the engine did not close");
            // ~100 ms; seconds when the UDP receive loops kept the pool threads and the TCP loops waited in the queue.
            Assert.That(tcpResults.Max(r => r.SlowestCloseMs), Is.LessThan(2500), "slowest close of a TCP connection with a framing error (ms)");
            Assert.That(tcpResults.Sum(r => r.ClosedUnexpectedly), Is.Zero, "TCP connections the engine closed without a framing error");
            Assert.That(garbageResults.All(g => g.Closed), Is.True, "the engine closes every garbage connection: " + string.Join("; ", garbageResults));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= OnFirstChance;
            stop.Cancel();
        }

        Assert.That(_engineExceptions, Is.Empty, "exceptions inside the engine:" + Environment.NewLine +
            string.Join(Environment.NewLine, _engineExceptions.OrderByDescending(e => e.Value).Select(e => $"{e.Value} × {e.Key}")));

        // Still serving: OPTIONS over UDP and TCP, then a whole call.
        using (var udpPeer = new RawSipPeer(harness.Port))
        {
            udpPeer.Send(Requests.Invite(udpPeer, harness.Port, "after-storm-udp", body: null, method: "OPTIONS"));
            udpPeer.Expect(200, method: "OPTIONS");
        }
        using (var tcpPeer = new RawSipPeer(harness.Port, tcp: true))
        {
            tcpPeer.Send(Requests.Invite(tcpPeer, harness.Port, "after-storm-tcp", body: null, method: "OPTIONS"));
            tcpPeer.Expect(200, method: "OPTIONS");
        }
        harness.Policy = call => { call.Ring(); call.Answer(); return Task.CompletedTask; };
        using (var caller = new RawSipPeer(harness.Port))
        {
            const string callId = "after-storm-call";
            caller.Send(Requests.Invite(caller, harness.Port, callId, fromTag: "storm-caller"));
            var ok = caller.Expect(200, timeoutMs: 5000, method: "INVITE");
            caller.Send(Requests.Ack(caller, harness.Port, callId, ok));
            SipCall call;
            lock (harness.Calls) call = harness.Calls.Last(c => c.CallId == callId);
            await call.AnsweredTask.WaitAsync(TimeSpan.FromSeconds(3));
            caller.Send(Requests.InDialog(caller, "BYE", ok, cseq: 2));
            caller.Expect(200, method: "BYE");
            Assert.That(await call.Completion.WaitAsync(TimeSpan.FromSeconds(3)), Is.EqualTo(CallEndReason.RemoteHangup));
        }

        // No TCP connection left behind (the ones above are closed by now or about to be), memory back in bounds.
        var deadline = Stopwatch.StartNew();
        while (transport.TcpConnections > 1 && deadline.ElapsedMilliseconds < 3000) await Task.Delay(20);
        Assert.That(transport.TcpConnections, Is.LessThanOrEqualTo(1), "TCP connections the engine still holds");
        var memoryPeak = GC.GetTotalMemory(forceFullCollection: true);
        var live = harness.Engine.Transactions.Count;
        deadline.Restart();
        while (harness.Engine.Transactions.Count > 0 && deadline.ElapsedMilliseconds < 15_000) await Task.Delay(100);
        Assert.That(harness.Engine.ActiveCalls, Is.Empty, "calls left in the engine");
        // The harness keeps every SipCall it was offered (and each its whole session); they are not the engine's.
        lock (harness.Calls) harness.Calls.Clear();
        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        TestContext.Out.WriteLine($"managed heap {memoryBefore / 1048576} MB before, {memoryPeak / 1048576} MB right after ({live} transactions timing out), " +
                                  $"{memoryAfter / 1048576} MB once they ended after {deadline.Elapsed.TotalSeconds:F1} s ({harness.Engine.Transactions.Count} left)");
        Assert.That(harness.Engine.Transactions.Count, Is.Zero, "transactions that never end");
        Assert.That(memoryAfter - memoryBefore, Is.LessThan(32L * 1048576), "heap kept after every transaction ended");
    }

    private sealed record UdpResult(int Sent, int Stalls, int Responses);

    /// <summary>UDP mutants from one socket, at most <see cref="Window"/> ahead of what the engine has taken in; a drain thread reads the responses.</summary>
    private static UdpResult UdpStorm(EngineHarness harness, CancellationToken stop)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = 4 * 1024 * 1024;
        socket.SendBufferSize = 4 * 1024 * 1024;
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var local = (IPEndPoint)socket.LocalEndPoint!;
        var engine = new IPEndPoint(IPAddress.Loopback, harness.Port);
        var responses = 0;
        var drain = new Thread(() =>
        {
            var buffer = new byte[65536];
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (!socket.Poll(50_000, SelectMode.SelectRead)) continue;
                    socket.Receive(buffer);
                    responses++;
                }
                catch (SocketException) { }
                catch (ObjectDisposedException) { break; }
            }
        }) { IsBackground = true, Name = "udp drain" };
        drain.Start();

        var mutator = new SipMutator(seed: 4475, maxLength: 65_000) { Host = "127.0.0.1", Port = local.Port, Transport = "UDP", EnginePort = harness.Port };
        var transport = harness.Engine.Transport;
        var baseline = transport.MessagesReceived;
        var stalls = 0;
        for (var i = 0; i < UdpMutants; i++)
        {
            var mutant = mutator.Next();
            // As fast as the engine keeps up: wait (a little) while too many datagrams are in flight.
            var spin = Stopwatch.StartNew();
            while (i - (transport.MessagesReceived - baseline) > Window)
            {
                if (spin.ElapsedMilliseconds > 20) { stalls++; break; }
                Thread.Yield();
            }
            try { socket.SendTo(mutant, engine); }
            catch (SocketException) { } // an ICMP error from an earlier datagram
        }
        var settle = Stopwatch.StartNew();
        while (transport.MessagesReceived - baseline < UdpMutants - Window && settle.ElapsedMilliseconds < 5000) Thread.Sleep(10);
        var result = new UdpResult(UdpMutants, stalls, Volatile.Read(ref responses));
        socket.Close();
        drain.Join(1000);
        return result;
    }

    private sealed record TcpResult(int Sent, int Frames, int Connections, int ClosedAsPredicted, int ClosedUnexpectedly, int NotClosed, long SlowestCloseMs, long ResponseBytes);

    /// <summary>
    /// TCP mutants on one connection at a time. The sender frames its own stream exactly as the engine does
    /// (<see cref="SipFraming"/>, 65535-octet cap), so it knows when a mutant breaks the framing (no usable
    /// Content-Length, over the cap: §18.3); it then stops, requires the engine to close the connection within
    /// 5 s, and opens the next one. A reader drains what the engine sends back.
    /// </summary>
    private static TcpResult TcpStorm(int enginePort, int index, int count, CancellationToken stop)
    {
        int sent = 0, frames = 0, connections = 0, predicted = 0, unexpected = 0, notClosed = 0;
        long slowest = 0, responses = 0;
        while (sent < count && !stop.IsCancellationRequested)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { SendTimeout = 10_000, NoDelay = true };
            socket.Connect(new IPEndPoint(IPAddress.Loopback, enginePort));
            connections++;
            using var closed = new ManualResetEventSlim();
            var reader = new Thread(() =>
            {
                var buffer = new byte[65536];
                try
                {
                    while (true)
                    {
                        var n = socket.Receive(buffer);
                        if (n == 0) break;
                        Interlocked.Add(ref responses, n);
                    }
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
                closed.Set();
            }) { IsBackground = true };
            reader.Start();
            var mutator = new SipMutator(seed: 5118 + index * 7919 + connections, maxLength: 70_000)
            {
                Host = "127.0.0.1", Port = ((IPEndPoint)socket.LocalEndPoint!).Port, Transport = "TCP", EnginePort = enginePort,
            };
            var pending = new List<byte>();
            var broken = false;
            while (sent < count && !broken && !closed.IsSet)
            {
                var mutant = mutator.Next();
                try { socket.Send(mutant); }
                catch (SocketException) { break; }
                sent++;
                pending.AddRange(mutant);
                broken = FrameLikeTheEngine(pending, ref frames);
            }
            if (broken)
            {
                var watch = Stopwatch.StartNew();
                if (closed.Wait(5000)) { predicted++; slowest = Math.Max(slowest, watch.ElapsedMilliseconds); }
                else notClosed++;
            }
            else if (closed.IsSet) unexpected++;
            else
            {
                socket.Shutdown(SocketShutdown.Send);
                closed.Wait(5000);
            }
            reader.Join(5000);
        }
        return new TcpResult(sent, frames, connections, predicted, unexpected, notClosed, slowest, Interlocked.Read(ref responses));
    }

    /// <summary>Consumes whole messages and keep-alives from <paramref name="pending"/>; true when the engine must close the connection.</summary>
    private static bool FrameLikeTheEngine(List<byte> pending, ref int frames)
    {
        while (true)
        {
            var status = SipFraming.Frame(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending), 65535, out var skip, out var length);
            switch (status)
            {
                case FrameStatus.KeepAlive:
                    pending.RemoveRange(0, skip);
                    continue;
                case FrameStatus.Complete:
                    pending.RemoveRange(0, skip + length);
                    frames++;
                    continue;
                case FrameStatus.NeedMore:
                    return false;
                default:
                    return true;
            }
        }
    }

    private sealed record GarbageResult(string Kind, bool Closed, long BytesSent, long Milliseconds)
    {
        public override string ToString() => $"{Kind}: {(Closed ? "closed" : "NOT closed")} after {BytesSent} bytes, {Milliseconds} ms";
    }

    /// <summary>Peers the engine must hang up on: binary garbage (over the size cap), and a header section without Content-Length (§18.3).</summary>
    private static GarbageResult[] GarbageConnections(int enginePort)
    {
        var random = new Random(3261);
        var results = new List<GarbageResult>();
        foreach (var kind in new[] { "binary garbage", "headers without Content-Length", "negative Content-Length", "NUL flood" })
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { SendTimeout = 5_000 };
            socket.Connect(new IPEndPoint(IPAddress.Loopback, enginePort));
            var watch = Stopwatch.StartNew();
            long bytes = 0;
            var closed = false;
            var once = kind.Contains("Content-Length", StringComparison.Ordinal); // one message is enough to lose the framing
            while (!closed && watch.ElapsedMilliseconds < 10_000 && bytes < (once ? 1 : 300_000))
            {
                var chunk = kind switch
                {
                    "binary garbage" => RandomBytes(random, 8192, avoid: (byte)'\n'),
                    "headers without Content-Length" => Encoding.ASCII.GetBytes($"GARBAGE sip:x SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bK{random.Next()}\r\nX: y\r\n\r\n"),
                    "negative Content-Length" => Encoding.ASCII.GetBytes("OPTIONS sip:x SIP/2.0\r\nContent-Length: -5\r\n\r\n"),
                    _ => new byte[8192],
                };
                try
                {
                    socket.Send(chunk);
                    bytes += chunk.Length;
                }
                catch (SocketException) { closed = true; break; }
                if (socket.Poll(0, SelectMode.SelectRead)) closed = WaitClosed(socket, 0);
            }
            // Loopback buffers absorb a lot before the reset shows: give the engine 3 s to have closed it.
            closed = closed || WaitClosed(socket, 3000);
            results.Add(new GarbageResult(kind, closed, bytes, watch.ElapsedMilliseconds));
        }
        return results.ToArray();
    }

    /// <summary>Reads (and discards) until the engine closes the connection; false when it is still open after <paramref name="ms"/>.</summary>
    private static bool WaitClosed(Socket socket, int ms)
    {
        var buffer = new byte[65536];
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var left = Math.Max(0, ms - watch.ElapsedMilliseconds);
            if (!socket.Poll((int)left * 1000, SelectMode.SelectRead)) return false;
            try
            {
                if (socket.Receive(buffer) == 0) return true;
            }
            catch (SocketException) { return true; }
            if (watch.ElapsedMilliseconds >= ms) return false;
        }
    }

    private static byte[] RandomBytes(Random random, int n, byte avoid)
    {
        var b = new byte[n];
        random.NextBytes(b);
        for (var i = 0; i < n; i++) if (b[i] == avoid) b[i] = 0x20;
        return b;
    }
}
