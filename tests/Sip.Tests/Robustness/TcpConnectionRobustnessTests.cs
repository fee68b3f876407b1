using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Telephony.Sip.Message;
using Telephony.Sip.Transport;
using Telephony.Testing;

namespace Telephony.Sip.Tests.Robustness;

/// <summary>
/// TCP peers that would pin a connection (and a thread) forever: one that stops or trickles mid-message, and one
/// that never reads what it is sent.
/// </summary>
[NonParallelizable]
public class TcpConnectionRobustnessTests
{
    private const string Options =
        "OPTIONS sip:12345@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKtcp1\r\nMax-Forwards: 70\r\n" +
        "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:12345@127.0.0.1>\r\nCall-ID: tcp-robustness\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";

    private static (SipTransportLayer Layer, IPEndPoint EndPoint) StartLayer(TimeProvider time, TimeSpan? sendTimeout = null)
    {
        var port = FreePorts.Next();
        ListenPoint.TryParse($"tcp:127.0.0.1:{port}", out var point, out _);
        var layer = new SipTransportLayer(new SipTransportOptions
        {
            Listen = [point], TcpMessageTimeout = TimeSpan.FromSeconds(20), TcpSendTimeout = sendTimeout ?? TimeSpan.FromSeconds(3),
        }, time);
        layer.Start();
        return (layer, new IPEndPoint(IPAddress.Loopback, port));
    }

    private static Socket Connect(IPEndPoint to, int? receiveBuffer = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBuffer is { } size) socket.ReceiveBufferSize = size;
        socket.Connect(to);
        return socket;
    }

    /// <summary>True once the engine has closed <paramref name="socket"/> (a read returns 0 or the connection is reset).</summary>
    private static bool ClosedByEngine(Socket socket, int waitMs)
    {
        var buffer = new byte[4096];
        var deadline = Environment.TickCount64 + waitMs;
        while (true)
        {
            var left = deadline - Environment.TickCount64;
            if (!socket.Poll((int)Math.Max(0, left) * 1000, SelectMode.SelectRead)) return false;
            try
            {
                if (socket.Receive(buffer) == 0) return true;
            }
            catch (SocketException) { return true; }
            if (Environment.TickCount64 > deadline) return false;
        }
    }

    private static void WaitFor(Func<bool> condition, string what, int timeoutMs = 3000)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.ElapsedMilliseconds > timeoutMs) throw new AssertionException($"timed out waiting for {what}");
            Thread.Sleep(5);
        }
    }

    [Test]
    public void A_connection_that_stops_or_trickles_mid_message_is_closed_after_the_message_timeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (layer, endPoint) = StartLayer(time);
        try
        {
            var received = 0;
            layer.RequestReceived = (_, _) => Interlocked.Increment(ref received);
            using var complete = Connect(endPoint);
            using var stopped = Connect(endPoint);
            using var trickle = Connect(endPoint);
            complete.Send(Encoding.ASCII.GetBytes(Options));
            // A whole message and then the start of the next one: the partial message begins in that read.
            stopped.Send(Encoding.ASCII.GetBytes(Options + Options[..60]));
            trickle.Send(Encoding.ASCII.GetBytes(Options[..1]));
            WaitFor(() => Volatile.Read(ref received) == 2 && layer.TcpConnections == 3, "two requests on three connections");
            Thread.Sleep(200); // the trickle's first byte reaches its receive loop

            for (var second = 1; second <= 19; second++)
            {
                trickle.Send(Encoding.ASCII.GetBytes(Options.Substring(second, 1)));
                Thread.Sleep(10);
                time.Advance(TimeSpan.FromSeconds(1));
            }
            Assert.That(layer.TcpConnections, Is.EqualTo(3), "nothing closes before 20 s");
            for (var second = 20; second <= 26; second++)
            {
                trickle.Send(Encoding.ASCII.GetBytes(Options.Substring(second, 1)));
                Thread.Sleep(10);
                time.Advance(TimeSpan.FromSeconds(1));
            }
            Assert.That(ClosedByEngine(stopped, 2000), Is.True, "stopped mid-message");
            Assert.That(ClosedByEngine(trickle, 2000), Is.True, "one byte a second never completes a message");
            Assert.That(ClosedByEngine(complete, 300), Is.False, "a connection between messages stays for the idle timeout");
            WaitFor(() => layer.TcpConnections == 1, "the two closed connections to leave the table");
        }
        finally
        {
            layer.Dispose();
        }
    }

    [Test]
    public void A_peer_that_never_reads_makes_a_send_fail_after_the_send_timeout_instead_of_blocking_forever()
    {
        var (layer, endPoint) = StartLayer(TimeProvider.System, sendTimeout: TimeSpan.FromSeconds(1));
        try
        {
            SipEndPoint? peer = null;
            layer.RequestReceived = (_, source) => peer = source;
            using var client = Connect(endPoint, receiveBuffer: 4096);
            client.Send(Encoding.ASCII.GetBytes(Options));
            WaitFor(() => peer is not null, "the request");

            var big = (SipRequest)SipParser.Parse(Options.Replace("OPTIONS", "MESSAGE").Replace("Content-Length: 0\r\n", "Content-Type: text/plain\r\n")).Message!;
            big.Body = new byte[60_000];
            var sends = 0;
            var watch = Stopwatch.StartNew();
            var sender = Task.Run(() =>
            {
                while (layer.Send(big, peer!.Value)) sends++;
            });
            Assert.That(sender.Wait(TimeSpan.FromSeconds(20)), Is.True, $"Send still blocked after {watch.Elapsed.TotalSeconds:F0} s and {sends} messages");
            TestContext.Out.WriteLine($"{sends} sends of 60 KB before the send timed out after {watch.Elapsed.TotalSeconds:F1} s");
            WaitFor(() => layer.TcpConnections == 0, "the connection to close");
        }
        finally
        {
            layer.Dispose();
        }
    }
}
