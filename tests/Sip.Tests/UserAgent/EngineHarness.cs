using System.Net;
using System.Net.Sockets;
using System.Text;
using Telephony.Sip.Calls;
using Telephony.Sip.Message;
using Telephony.Sip.Registrar;
using Telephony.Sip.Transaction;
using Telephony.Sip.Transport;
using Telephony.Sip.UserAgent;
using Telephony.Testing;

namespace Telephony.Sip.Tests.UserAgent;

/// <summary>A real engine on loopback (UDP and TCP, IPv4 and IPv6) with short SIP timers, and a raw SIP peer to poke it with.</summary>
public sealed class EngineHarness : IAsyncDisposable
{
    public SipEngine Engine { get; }
    public int Port { get; }
    public List<SipCall> Calls { get; } = new();
    public Func<SipCall, Task> Policy { get; set; } = call => { call.Ring(); call.Answer(); return Task.CompletedTask; };

    public EngineHarness(TimeSpan? t1 = null, int minSe = 90, IReadOnlyDictionary<string, string>? accounts = null)
    {
        Port = FreePorts.Next();
        var listen = new List<ListenPoint>();
        foreach (var text in new[] { $"udp:127.0.0.1:{Port}", $"tcp:127.0.0.1:{Port}", $"udp:[::1]:{Port}", $"tcp:[::1]:{Port}" })
        {
            ListenPoint.TryParse(text, out var p, out _);
            listen.Add(p);
        }
        // Both digest algorithms, RFC 8760 order: the wire tests cover SHA-256 and MD5 (the product default offers MD5 only).
        var options = new SipEngineOptions
        {
            Transport = new SipTransportOptions { Listen = listen }, MinSessionExpiresSeconds = minSe,
            DigestAlgorithms = [Telephony.Sip.Auth.DigestAlgorithm.Sha256, Telephony.Sip.Auth.DigestAlgorithm.Md5],
        };
        Engine = new SipEngine(options, new RtpPortRange(40000, 40999), new ConfiguredAccounts(accounts ?? new Dictionary<string, string> { ["agent1"] = "secret1" }),
            timers: new SipTimerOptions { T1 = t1 ?? TimeSpan.FromMilliseconds(500) });
        Engine.IncomingCall = call => { lock (Calls) Calls.Add(call); return Policy(call); };
        Engine.Start();
    }

    public SipCall WaitForCall(int index = 0, int timeoutMs = 3000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            lock (Calls) if (Calls.Count > index) return Calls[index];
            Thread.Sleep(10);
        }
        throw new AssertionException("the engine reported no call");
    }

    public async ValueTask DisposeAsync() => await Engine.DisposeAsync();
}

/// <summary>A hand-driven SIP peer on a UDP (or TCP) socket, for sending exact bytes and reading what comes back.</summary>
public sealed class RawSipPeer : IDisposable
{
    private readonly Socket _socket;
    private readonly IPEndPoint _engine;
    private readonly bool _tcp;
    private readonly byte[] _buffer = new byte[65536];
    private readonly List<byte> _stream = new();

    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;
    public string LocalHost => ((IPEndPoint)_socket.LocalEndPoint!).Address.AddressFamily == AddressFamily.InterNetworkV6 ? "[::1]" : "127.0.0.1";
    public string Transport => _tcp ? "TCP" : "UDP";

    public RawSipPeer(int enginePort, bool tcp = false, bool ipv6 = false)
    {
        _tcp = tcp;
        var address = ipv6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        _engine = new IPEndPoint(address, enginePort);
        _socket = new Socket(address.AddressFamily, tcp ? SocketType.Stream : SocketType.Dgram, tcp ? ProtocolType.Tcp : ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(address, 0));
        if (tcp) _socket.Connect(_engine);
    }

    public void Send(string text) => Send(Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n").Replace("\n", "\r\n")));

    public void Send(byte[] bytes)
    {
        if (_tcp) _socket.Send(bytes);
        else _socket.SendTo(bytes, _engine);
    }

    public void Send(SipMessage message) => Send(SipSerializer.ToBytes(message));

    /// <summary>The next message from the engine, or null after <paramref name="timeoutMs"/>.</summary>
    public SipMessage? Receive(int timeoutMs = 2000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            if (_tcp && TryFrame(out var framed)) return framed;
            var left = (int)(deadline - DateTime.UtcNow).TotalMilliseconds;
            if (left <= 0) return null;
            if (!_socket.Poll(left * 1000, SelectMode.SelectRead)) return null;
            var n = _socket.Receive(_buffer);
            if (_tcp) { _stream.AddRange(_buffer.AsSpan(0, n).ToArray()); continue; }
            var result = SipParser.Parse(_buffer.AsSpan(0, n));
            if (result.Success) return result.Message;
        }
    }

    private bool TryFrame(out SipMessage? message)
    {
        message = null;
        var data = _stream.ToArray();
        if (SipFraming.Frame(data, 65536, out var skip, out var length) != FrameStatus.Complete) return false;
        _stream.RemoveRange(0, skip + length);
        message = SipParser.Parse(data.AsSpan(skip, length)).Message;
        return message is not null;
    }

    /// <summary>Reads until a response with <paramref name="status"/> arrives (skipping others), or fails.</summary>
    public SipResponse Expect(int status, int timeoutMs = 3000, string? method = null)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        var seen = new List<string>();
        while (DateTime.UtcNow < deadline)
        {
            var m = Receive((int)Math.Max(1, (deadline - DateTime.UtcNow).TotalMilliseconds));
            if (m is SipResponse r && r.StatusCode == status && (method is null || r.CSeq.Method == method)) return r;
            if (m is not null) seen.Add(m.StartLine);
        }
        throw new AssertionException($"no {status} within {timeoutMs} ms; saw: {string.Join(" | ", seen)}");
    }

    public SipRequest ExpectRequest(string method, int timeoutMs = 5000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        var seen = new List<string>();
        while (DateTime.UtcNow < deadline)
        {
            var m = Receive((int)Math.Max(1, (deadline - DateTime.UtcNow).TotalMilliseconds));
            if (m is SipRequest r && r.Method == method) return r;
            if (m is not null) seen.Add(m.StartLine);
        }
        throw new AssertionException($"no {method} within {timeoutMs} ms; saw: {string.Join(" | ", seen)}");
    }

    public void Dispose() => _socket.Dispose();
}

/// <summary>Builds the requests a simple UAC sends.</summary>
public static class Requests
{
    public const string Offer =
        "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        "m=audio 49170 RTP/AVP 0 8 9 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:9 G722/8000\r\n" +
        "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n";

    public static string Invite(RawSipPeer peer, int enginePort, string callId, string? body = Offer, uint cseq = 1,
        string branch = "", string extra = "", string fromTag = "from1", string? toTag = null, string method = "INVITE", string ruri = "12345")
    {
        branch = branch.Length > 0 ? branch : SipMessageFactory.NewBranch();
        var host = peer.LocalHost;
        var engineHost = host;
        var sb = new StringBuilder();
        sb.Append($"{method} sip:{ruri}@{engineHost}:{enginePort} SIP/2.0\r\n");
        sb.Append($"Via: SIP/2.0/{peer.Transport} {host}:{peer.LocalPort};branch={branch};rport\r\n");
        sb.Append("Max-Forwards: 70\r\n");
        sb.Append($"From: \"Citizen\" <sip:13812345678@{host}>;tag={fromTag}\r\n");
        sb.Append($"To: <sip:12345@{engineHost}>{(toTag is null ? "" : ";tag=" + toTag)}\r\n");
        sb.Append($"Call-ID: {callId}\r\n");
        sb.Append($"CSeq: {cseq} {method}\r\n");
        sb.Append($"Contact: <sip:13812345678@{host}:{peer.LocalPort}{(peer.Transport == "TCP" ? ";transport=tcp" : "")}>\r\n");
        sb.Append(extra);
        if (body is null) sb.Append("Content-Length: 0\r\n\r\n");
        else sb.Append($"Content-Type: application/sdp\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}");
        return sb.ToString();
    }

    /// <summary>The ACK for a 2xx: in-dialog, new branch, same CSeq number (§13.2.2.4).</summary>
    public static string Ack(RawSipPeer peer, int enginePort, string callId, SipResponse ok, string? body = null, uint cseq = 1)
    {
        var to = ok.Headers[HeaderNames.To]!;
        var sb = new StringBuilder();
        sb.Append($"ACK {ok.Contacts[0].Uri} SIP/2.0\r\n");
        sb.Append($"Via: SIP/2.0/{peer.Transport} {peer.LocalHost}:{peer.LocalPort};branch={SipMessageFactory.NewBranch()};rport\r\n");
        sb.Append("Max-Forwards: 70\r\n");
        sb.Append($"From: {ok.Headers[HeaderNames.From]}\r\nTo: {to}\r\nCall-ID: {callId}\r\nCSeq: {cseq} ACK\r\n");
        if (body is null) sb.Append("Content-Length: 0\r\n\r\n");
        else sb.Append($"Content-Type: application/sdp\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}");
        return sb.ToString();
    }

    /// <summary>Another in-dialog request (BYE, INFO, re-INVITE, UPDATE) from the caller.</summary>
    public static string InDialog(RawSipPeer peer, string method, SipResponse ok, uint cseq, string? body = null, string extra = "")
    {
        var sb = new StringBuilder();
        sb.Append($"{method} {ok.Contacts[0].Uri} SIP/2.0\r\n");
        sb.Append($"Via: SIP/2.0/{peer.Transport} {peer.LocalHost}:{peer.LocalPort};branch={SipMessageFactory.NewBranch()};rport\r\n");
        sb.Append("Max-Forwards: 70\r\n");
        sb.Append($"From: {ok.Headers[HeaderNames.From]}\r\nTo: {ok.Headers[HeaderNames.To]}\r\nCall-ID: {ok.CallId}\r\nCSeq: {cseq} {method}\r\n");
        sb.Append($"Contact: <sip:13812345678@{peer.LocalHost}:{peer.LocalPort}>\r\n");
        sb.Append(extra);
        if (body is null) sb.Append("Content-Length: 0\r\n\r\n");
        else sb.Append($"Content-Type: application/sdp\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}");
        return sb.ToString();
    }
}
