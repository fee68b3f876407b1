using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Telephony.Sip.Message;
using Telephony.Sip.Transport;
using Telephony.Testing;

namespace Telephony.Sip.Tests.Transport;

public class TcpTransportTests
{
    private static SipTransportLayer Start(int port, FakeTimeProvider? time = null, int maxPerSource = 64, int maxBytes = 65535, TimeSpan? idle = null)
    {
        ListenPoint.TryParse($"tcp:127.0.0.1:{port}", out var tcp, out _);
        ListenPoint.TryParse($"udp:127.0.0.1:{port}", out var udp, out _);
        var layer = new SipTransportLayer(new SipTransportOptions
        {
            Listen = [udp, tcp], MaxTcpConnectionsPerSource = maxPerSource, MaxMessageBytes = maxBytes,
            TcpIdleTimeout = idle ?? TimeSpan.FromMinutes(10),
        }, time);
        layer.RequestReceived = (request, source) => layer.Send(SipMessageFactory.CreateResponse(request, 200), source);
        layer.Start();
        return layer;
    }

    private static string Options(int n, string transport = "TCP") =>
        $"OPTIONS sip:12345@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/{transport} 127.0.0.1:5999;branch=z9hG4bK{n}\r\nFrom: <sip:a@b>;tag={n}\r\n" +
        $"To: <sip:c@d>\r\nCall-ID: c{n}\r\nCSeq: {n} OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    private static bool IsClosedByPeer(Socket s, int timeoutMs = 3000)
    {
        var buffer = new byte[4096];
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            if (!s.Poll(100_000, SelectMode.SelectRead)) continue;
            try { if (s.Receive(buffer) == 0) return true; }
            catch (SocketException) { return true; }
        }
        return false;
    }

    [Test]
    public void Two_requests_in_one_segment_and_one_request_split_over_segments_are_framed_by_content_length()
    {
        var port = FreePorts.Next();
        using var layer = Start(port);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(IPAddress.Loopback, port);
        client.Send(Encoding.ASCII.GetBytes(Options(1) + Options(2)));
        var third = Encoding.ASCII.GetBytes(Options(3));
        client.Send(third.AsSpan(0, 40));
        Thread.Sleep(50);
        client.Send(third.AsSpan(40));
        var received = new StringBuilder();
        var buffer = new byte[8192];
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (DateTime.UtcNow < deadline && CountOf(received.ToString(), "SIP/2.0 200") < 3)
            if (client.Poll(100_000, SelectMode.SelectRead)) received.Append(Encoding.ASCII.GetString(buffer, 0, client.Receive(buffer)));
        Assert.That(CountOf(received.ToString(), "SIP/2.0 200"), Is.EqualTo(3), received.ToString());
        Assert.That(layer.TcpConnections, Is.EqualTo(1), "responses reuse the request's connection");
    }

    [Test]
    public void Connections_over_the_per_source_cap_are_refused()
    {
        var port = FreePorts.Next();
        using var layer = Start(port, maxPerSource: 3);
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                s.Connect(IPAddress.Loopback, port);
                sockets.Add(s);
            }
            Assert.That(IsClosedByPeer(sockets[4]), Is.True, "the fifth connection is closed");
            Assert.That(() => layer.TcpConnections, Is.EqualTo(3).After(2000, 20));
        }
        finally
        {
            foreach (var s in sockets) s.Dispose();
        }
    }

    [Test]
    public void A_message_over_the_size_cap_closes_the_connection()
    {
        var port = FreePorts.Next();
        using var layer = Start(port, maxBytes: 2048);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(IPAddress.Loopback, port);
        client.Send(Encoding.ASCII.GetBytes(Options(1).Replace("Content-Length: 0", "Subject: " + new string('x', 4000) + "\r\nContent-Length: 0")));
        Assert.That(IsClosedByPeer(client), Is.True);
    }

    [Test]
    public void A_stream_message_without_content_length_closes_the_connection()
    {
        var port = FreePorts.Next();
        using var layer = Start(port);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(IPAddress.Loopback, port);
        client.Send(Encoding.ASCII.GetBytes(Options(1).Replace("Content-Length: 0\r\n", "")));
        Assert.That(IsClosedByPeer(client), Is.True);
    }

    [Test]
    public void Idle_connections_are_closed_after_the_timeout()
    {
        var port = FreePorts.Next();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var layer = Start(port, time, idle: TimeSpan.FromSeconds(30));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(IPAddress.Loopback, port);
        Assert.That(() => layer.TcpConnections, Is.EqualTo(1).After(2000, 20));
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.That(layer.TcpConnections, Is.EqualTo(1), "not idle long enough yet");
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.That(IsClosedByPeer(client), Is.True);
    }

    [Test]
    public void A_double_crlf_keepalive_gets_a_single_crlf_pong()
    {
        var port = FreePorts.Next();
        using var layer = Start(port);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(IPAddress.Loopback, port);
        client.Send("\r\n\r\n"u8.ToArray());
        var buffer = new byte[16];
        Assert.That(client.Poll(2_000_000, SelectMode.SelectRead), Is.True);
        Assert.That(Encoding.ASCII.GetString(buffer, 0, client.Receive(buffer)), Is.EqualTo("\r\n"));
    }

    [Test]
    public void Udp_request_gets_received_and_rport_stamped_and_the_response_goes_to_the_source_port()
    {
        var port = FreePorts.Next();
        SipRequest? seen = null;
        using var layer = Start(port);
        layer.RequestReceived = (request, source) => { seen = request; layer.Send(SipMessageFactory.CreateResponse(request, 200), source); };
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var request = Options(7, "UDP").Replace("127.0.0.1:5999;branch=z9hG4bK7", "10.1.2.3:5999;branch=z9hG4bK7;rport");
        client.SendTo(Encoding.ASCII.GetBytes(request), new IPEndPoint(IPAddress.Loopback, port));
        var buffer = new byte[4096];
        Assert.That(client.Poll(2_000_000, SelectMode.SelectRead), Is.True, "the response came back to the source port, not 5999 (RFC 3581)");
        var response = (SipResponse)SipParser.Parse(buffer.AsSpan(0, client.Receive(buffer))).Message!;
        var via = response.TopVia!;
        Assert.That(via.Received, Is.EqualTo("127.0.0.1"));
        Assert.That(via.Rport, Is.EqualTo(((IPEndPoint)client.LocalEndPoint!).Port));
        Assert.That(seen!.TopVia!.Received, Is.EqualTo("127.0.0.1"));
    }

    private static int CountOf(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
