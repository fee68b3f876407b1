using System.Net;
using System.Net.Sockets;
using System.Text;
using Telephony.Sip.Message;
using Telephony.Sip.Tests.UserAgent;

namespace Telephony.Sip.Tests.Message;

/// <summary>
/// Every RFC 4475 / RFC 5118 vector, byte for byte, sent to a real engine over UDP: a <c>reject</c> request gets
/// 400 (505 for the bad version) from the transport, a <c>parse</c> request gets some response from the UAS
/// (416, 501, 483, 401, 486 ...; none for ACK), a response gets none, and the engine still answers OPTIONS.
/// <para>
/// A response that the UAS sends goes where the vector's top Via says (RFC 3261 §18.2.2: <c>received</c>, which
/// the engine stamps with our source address, and the sent-by port or 5060), so each vector is sent from its own
/// socket bound to a fresh 127/8 address at that port. Several vectors reuse one branch and sent-by (the RFC 5118
/// REGISTERs, cparam01/02), which makes a later one a retransmission of an earlier one (§17.2.3); those go to a
/// new engine in a later round instead.
/// </para>
/// </summary>
[NonParallelizable]
public class TortureVectorEngineTests
{
    private sealed record Case(TortureVectorTests.Vector Vector, byte[] Bytes, SipParseResult Parsed)
    {
        public bool IsRequest => Parsed.Success ? Parsed.Message is SipRequest : Parsed.IsRequest;
        public string? Method => Parsed.Success ? (Parsed.Message as SipRequest)?.Method : Parsed.Method;
    }

    [Test]
    public async Task Every_vector_sent_to_a_real_engine_gets_the_answer_the_rfc_asks_for()
    {
        var cases = TortureVectorTests.All().Select(v => { var b = v.Bytes; return new Case(v, b, SipParser.Parse(b)); }).ToList();
        var rounds = new List<List<Case>>();
        var keys = new List<HashSet<string>>();
        foreach (var c in cases)
        {
            var key = TransactionKey(c);
            var round = key is null ? 0 : keys.FindIndex(k => !k.Contains(key));
            if (round < 0) round = keys.Count;
            while (rounds.Count <= round) { rounds.Add(new()); keys.Add(new()); }
            rounds[round].Add(c);
            if (key is not null) keys[round].Add(key);
        }

        var failures = new List<string>();
        var random = new Random(4475);
        var rejected = 0;
        foreach (var round in rounds)
        {
            await using var harness = new EngineHarness();
            harness.Policy = call => { call.Reject(486); return Task.CompletedTask; };
            var rejectedBefore = harness.Engine.Transport.MessagesRejected;
            var expectedRejects = 0;
            foreach (var c in round)
            {
                var outcome = Exchange(harness.Port, c, random);
                var verdict = Judge(c, outcome);
                TestContext.Out.WriteLine($"{c.Vector.File,-58} {c.Vector.Expect,-6} -> {(outcome.Statuses.Count == 0 ? "-" : string.Join(",", outcome.Statuses))}");
                if (verdict is not null) failures.Add($"{c.Vector.File}: {verdict}");
                if (c.Vector.Expect == "reject" && c.IsRequest) expectedRejects++;
            }
            rejected += expectedRejects;
            Assert.That(harness.Engine.Transport.MessagesRejected - rejectedBefore, Is.EqualTo(expectedRejects), "one 400/505 per reject request");

            using var peer = new RawSipPeer(harness.Port);
            peer.Send(Requests.Invite(peer, harness.Port, $"after-vectors-{rounds.IndexOf(round)}", body: null, method: "OPTIONS"));
            peer.Expect(200, method: "OPTIONS");
        }
        TestContext.Out.WriteLine($"{cases.Count} vectors in {rounds.Count} engine rounds; {rejected} rejected requests answered");
        Assert.That(failures, Is.Empty, string.Join(Environment.NewLine, failures));
    }

    /// <summary>The §17.2.3 identity of a request's server transaction (branch, sent-by, method), or its RFC 2543 stand-in.</summary>
    private static string? TransactionKey(Case c)
    {
        if (!c.Parsed.Success || c.Parsed.Message is not SipRequest request || request.TopVia is not { } via) return null;
        var method = request.Method == SipMethod.Ack ? SipMethod.Invite : request.Method;
        var id = via.IsRfc3261Branch ? via.Branch!.ToLowerInvariant() : $"2543 {request.CallId} {request.CSeq.Number}";
        return $"{id} {via.Host.ToLowerInvariant()}:{via.Port} {method}";
    }

    private sealed record Outcome(List<int> Statuses, string? Skipped);

    private static Outcome Exchange(int enginePort, Case c, Random random)
    {
        var via = c.Parsed.Success ? c.Parsed.Message!.TopVia : null;
        // Where a UAS response goes (§18.2.2, RFC 3581): our source port with rport, else the sent-by port or 5060.
        var port = via is null || via.HasRport ? 0 : via.Port ?? 5060;
        using var socket = BindLoopback(port, random);
        if (socket is null) return new Outcome([], $"no 127/8 address free on UDP port {port}");
        socket.SendTo(c.Bytes, new IPEndPoint(IPAddress.Loopback, enginePort));

        var expectAnswer = c.IsRequest && c.Method != SipMethod.Ack && (c.Vector.Expect == "parse" || c.Parsed.CanAnswer);
        var statuses = new List<int>();
        var buffer = new byte[65536];
        var deadline = DateTime.UtcNow.AddMilliseconds(expectAnswer ? 3000 : 400);
        while (DateTime.UtcNow < deadline)
        {
            var left = (int)(deadline - DateTime.UtcNow).TotalMilliseconds;
            if (left <= 0 || !socket.Poll(left * 1000, SelectMode.SelectRead)) break;
            int n;
            try { n = socket.Receive(buffer); }
            catch (SocketException) { continue; }
            statuses.Add(StatusOf(buffer.AsSpan(0, n)));
            // A final response ends the wait; a 1xx (100 Trying) may be followed by one.
            if (statuses[^1] >= 200) break;
        }
        return new Outcome(statuses, null);
    }

    private static string? Judge(Case c, Outcome o)
    {
        if (o.Skipped is not null)
        {
            Assert.Warn($"{c.Vector.File}: not checked, {o.Skipped}");
            return null;
        }
        var seen = o.Statuses.Count == 0 ? "nothing" : string.Join(", ", o.Statuses);
        if (!c.IsRequest || c.Method == SipMethod.Ack)
            return o.Statuses.Count == 0 ? null : $"a response or ACK must not be answered, got {seen}";
        if (c.Vector.Expect == "parse")
            return o.Statuses.Any(s => s >= 100) ? null : $"a well-formed request must get a response, got {seen}";
        var wanted = c.Parsed.ResponseStatus;
        if (c.Vector.Expect == "reject")
            return o.Statuses.Contains(wanted) ? null : $"expected {wanted} ({c.Parsed}), got {seen}";
        return null;
    }

    /// <summary>The status code of a response's start line, or -1 when the datagram is not a response.</summary>
    private static int StatusOf(ReadOnlySpan<byte> datagram)
    {
        var text = Encoding.ASCII.GetString(datagram[..Math.Min(datagram.Length, 16)]);
        return text.StartsWith("SIP/2.0 ", StringComparison.Ordinal) && text.Length >= 11 && int.TryParse(text.AsSpan(8, 3), out var s) ? s : -1;
    }

    /// <summary>A UDP socket on a random 127.x.y.z (not 127.0.0.1) at <paramref name="port"/> (0: any), or null if none is free.</summary>
    private static Socket? BindLoopback(int port, Random random)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var address = new IPAddress(new byte[] { 127, (byte)random.Next(1, 255), (byte)random.Next(0, 256), (byte)random.Next(1, 255) });
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(new IPEndPoint(address, port));
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
            }
        }
        return null;
    }
}
