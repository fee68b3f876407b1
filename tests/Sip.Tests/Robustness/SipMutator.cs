using System.Text;

namespace Telephony.Sip.Tests.Robustness;

/// <summary>
/// Reproducible malformed SIP: valid INVITE/OPTIONS/REGISTER/BYE/ACK/response seeds (fresh Call-ID, branch and
/// tag each time, so the ones that survive are new requests), then one to four mutations each: bit flips, byte
/// insertions and deletions, truncation, duplicated headers, oversized values, hundreds of Via lines, absurd
/// Content-Length values, bodies longer or shorter than declared, NULs, broken line ends and folding, special
/// characters in values, start-line damage, or plain garbage.
/// </summary>
public sealed class SipMutator
{
    private readonly Random _random;
    private readonly int _maxLength;
    private long _serial;

    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 5062;
    public string Transport { get; init; } = "UDP";
    public int EnginePort { get; init; } = 5060;

    /// <param name="seed">the Random seed: the same seed gives the same messages</param>
    /// <param name="maxLength">cap on one message (a UDP datagram carries at most 65507 octets)</param>
    public SipMutator(int seed, int maxLength = 200_000)
    {
        _random = new Random(seed);
        _maxLength = maxLength;
    }

    public const int SeedKinds = 6;

    private static readonly byte[][] Interesting =
    [
        "\0"u8.ToArray(), "\r"u8.ToArray(), "\n"u8.ToArray(), "\r\n"u8.ToArray(), "\r\n\r\n"u8.ToArray(), "\r\n "u8.ToArray(),
        ":"u8.ToArray(), ";"u8.ToArray(), ","u8.ToArray(), "<"u8.ToArray(), ">"u8.ToArray(), "\""u8.ToArray(), "\\"u8.ToArray(),
        "%"u8.ToArray(), "%zz"u8.ToArray(), "%00"u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(), "[::1"u8.ToArray(), "::::"u8.ToArray(),
        "@"u8.ToArray(), "?"u8.ToArray(), "="u8.ToArray(), " "u8.ToArray(), "\t"u8.ToArray(), "/"u8.ToArray(), "sip:"u8.ToArray(),
        "99999999999999999999"u8.ToArray(), "-1"u8.ToArray(), "\xff\xfe"u8.ToArray(), new byte[] { 0xc3, 0x28 }, new byte[] { 0xe2, 0x82 },
        "\u0661\u0662"u8.ToArray(), ";branch="u8.ToArray(), ";rport"u8.ToArray(), ";tag="u8.ToArray(), ";received=[::"u8.ToArray(),
    ];

    private static readonly string[] ContentLengths =
    [
        "99999999999999999999", "2147483647", "2147483648", "4294967296", "-1", "-0", "1e3", "0x10", " 12 ", "", "00000000000000000005",
        "\u0661\u0662", "65536", "1000000000", "5, 5", "5 6", "+5",
    ];

    /// <summary>A valid message of kind <paramref name="kind"/> (0 INVITE with SDP, 1 OPTIONS, 2 REGISTER, 3 BYE, 4 ACK, 5 a 180 response).</summary>
    public string Seed(int kind, string? callId = null, string? branch = null, string? tag = null)
    {
        var n = Interlocked.Increment(ref _serial);
        callId ??= $"mut{n}x{_random.Next():x}@{Host}";
        branch ??= $"z9hG4bKm{n}x{_random.Next():x}";
        tag ??= $"t{_random.Next():x}";
        var via = $"Via: SIP/2.0/{Transport} {Host}:{Port};branch={branch};rport\r\n";
        var common = $"Max-Forwards: 70\r\nFrom: \"Citizen {n % 97}\" <sip:138{n % 100000000:D8}@{Host}>;tag={tag}\r\nCall-ID: {callId}\r\n";
        var ruri = $"sip:12345@127.0.0.1:{EnginePort}";
        var contact = $"Contact: <sip:138{n % 100000000:D8}@{Host}:{Port}{(Transport == "TCP" ? ";transport=tcp" : "")}>\r\n";
        switch (kind)
        {
            case 0:
                var sdp = "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
                          "m=audio 49170 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n";
                return $"INVITE {ruri} SIP/2.0\r\n{via}{common}To: <sip:12345@127.0.0.1>\r\nCSeq: 1 INVITE\r\n{contact}" +
                       $"Supported: timer, 100rel\r\nSession-Expires: 1800\r\nAllow: INVITE, ACK, BYE, CANCEL, OPTIONS\r\n" +
                       $"Content-Type: application/sdp\r\nContent-Length: {sdp.Length}\r\n\r\n{sdp}";
            case 1:
                return $"OPTIONS {ruri} SIP/2.0\r\n{via}{common}To: <sip:12345@127.0.0.1>\r\nCSeq: 1 OPTIONS\r\nAccept: application/sdp\r\nContent-Length: 0\r\n\r\n";
            case 2:
                return $"REGISTER sip:127.0.0.1:{EnginePort} SIP/2.0\r\n{via}{common}To: <sip:agent1@127.0.0.1>\r\nCSeq: 1 REGISTER\r\n{contact}Expires: 3600\r\nContent-Length: 0\r\n\r\n";
            case 3:
                return $"BYE {ruri} SIP/2.0\r\n{via}{common}To: <sip:12345@127.0.0.1>;tag=remote{n}\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n";
            case 4:
                return $"ACK {ruri} SIP/2.0\r\n{via}{common}To: <sip:12345@127.0.0.1>;tag=remote{n}\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
            default:
                return $"SIP/2.0 180 Ringing\r\n{via}{common}To: <sip:12345@127.0.0.1>;tag=remote{n}\r\nCSeq: 1 INVITE\r\n{contact}Content-Length: 0\r\n\r\n";
        }
    }

    /// <summary>The next mutant (of a random seed kind).</summary>
    public byte[] Next() => Mutate(Encoding.UTF8.GetBytes(Seed(_random.Next(SeedKinds))));

    public byte[] Mutate(byte[] message)
    {
        var data = new List<byte>(message);
        var count = 1 + (_random.Next(10) switch { < 6 => 0, < 9 => 1, _ => 2 + _random.Next(2) });
        for (var i = 0; i < count; i++) Apply(data, NextOperation());
        if (data.Count > _maxLength) data.RemoveRange(_maxLength, data.Count - _maxLength);
        return data.ToArray();
    }

    /// <summary>Operations 0-16, the two that build 25-70 KB messages (5, 6) rarer than the others (about 1.5% each).</summary>
    private int NextOperation()
    {
        var op = _random.Next(17);
        return op is 5 or 6 && _random.Next(4) != 0 ? 0 : op;
    }

    private void Apply(List<byte> d, int op)
    {
        switch (op)
        {
            case 0: // bit flips
                for (int k = 0, n = 1 + _random.Next(8); k < n && d.Count > 0; k++) d[_random.Next(d.Count)] ^= (byte)(1 << _random.Next(8));
                break;
            case 1: // insert interesting or random bytes
                d.InsertRange(_random.Next(d.Count + 1), _random.Next(2) == 0 ? Interesting[_random.Next(Interesting.Length)] : RandomBytes(1 + _random.Next(16)));
                break;
            case 2: // delete a span
                if (d.Count > 0)
                {
                    var at = _random.Next(d.Count);
                    d.RemoveRange(at, Math.Min(d.Count - at, 1 + _random.Next(64)));
                }
                break;
            case 3: // truncate
                if (d.Count > 0) { var cut = _random.Next(d.Count); d.RemoveRange(cut, d.Count - cut); }
                break;
            case 4: // duplicate a header line (in place or elsewhere)
                if (HeaderLine(d) is var (start, length) && length > 0)
                {
                    var line = d.GetRange(start, length);
                    var copies = 1 + _random.Next(_random.Next(4) == 0 ? 50 : 4);
                    var where = _random.Next(2) == 0 ? start : HeaderLine(d)?.Start ?? start;
                    for (var c = 0; c < copies; c++) d.InsertRange(where, line);
                }
                break;
            case 5: // an oversized header value (up to 70 KB; the cap trims it for UDP)
                InsertHeader(d, (_random.Next(3) switch { 0 => "X-Big", 1 => "Subject", _ => "Via" }) + ": " + (_random.Next(3) == 0 ? "SIP/2.0/UDP " : "") +
                    new string((char)('a' + _random.Next(26)), _random.Next(2) == 0 ? 70_000 : 1_000 + _random.Next(60_000)));
                break;
            case 6: // hundreds of Via lines
                var vias = new StringBuilder();
                for (int v = 0, n = _random.Next(2) == 0 ? 500 : 10 + _random.Next(300); v < n; v++)
                    vias.Append("Via: SIP/2.0/UDP 10.").Append(v % 250).Append('.').Append(v / 250).Append(".1:5060;branch=z9hG4bKv").Append(v).Append("\r\n");
                InsertHeader(d, vias.ToString().TrimEnd());
                break;
            case 7: // absurd Content-Length
                ReplaceHeader(d, _random.Next(2) == 0 ? "Content-Length" : "l", ContentLengths[_random.Next(ContentLengths.Length)]);
                break;
            case 8: // body longer or shorter than Content-Length
                if (_random.Next(2) == 0) d.AddRange(RandomBytes(1 + _random.Next(_random.Next(4) == 0 ? 5000 : 50)));
                else
                {
                    var k = Math.Min(d.Count, 1 + _random.Next(40));
                    d.RemoveRange(d.Count - k, k);
                }
                break;
            case 9: // garbage, sometimes shaped like SIP
                d.Clear();
                if (_random.Next(3) == 0) d.AddRange(RandomBytes(_random.Next(2000)));
                else
                {
                    var sb = new StringBuilder(RandomToken()).Append(' ').Append(RandomToken()).Append(" SIP/2.0\r\n");
                    for (int h = 0, n = _random.Next(20); h < n; h++) sb.Append(RandomToken()).Append(": ").Append(RandomToken()).Append("\r\n");
                    if (_random.Next(2) == 0) sb.Append("\r\n");
                    d.AddRange(Encoding.Latin1.GetBytes(sb.ToString()));
                }
                break;
            case 10: // NULs
                for (int k = 0, n = 1 + _random.Next(20); k < n; k++) d.Insert(_random.Next(d.Count + 1), 0);
                break;
            case 11: // line ends: CRLF to LF or CR, or the empty line removed
                ReplaceAll(d, "\r\n"u8.ToArray(), _random.Next(3) switch { 0 => "\n"u8.ToArray(), 1 => "\r"u8.ToArray(), _ => "\r\n\r\n"u8.ToArray() }, _random.Next(4) == 0);
                if (_random.Next(3) == 0 && IndexOf(d, "\r\n\r\n"u8) is var blank && blank >= 0) d.RemoveRange(blank, 2);
                break;
            case 12: // a header value replaced by something special
                ReplaceHeader(d, RandomHeaderName(d), Encoding.Latin1.GetString(Interesting[_random.Next(Interesting.Length)]) + (_random.Next(2) == 0 ? RandomToken() : ""));
                break;
            case 13: // folding inserted at a random place
                d.InsertRange(_random.Next(d.Count + 1), _random.Next(2) == 0 ? "\r\n "u8.ToArray() : "\r\n\t"u8.ToArray());
                break;
            case 14: // start line damage
                var eol = IndexOf(d, "\r\n"u8);
                if (eol < 0) eol = d.Count;
                var startLine = Encoding.Latin1.GetString(d.GetRange(0, eol).ToArray());
                var parts = startLine.Split(' ');
                var which = _random.Next(parts.Length);
                parts[which] = _random.Next(4) switch { 0 => RandomToken(), 1 => "SIP/" + _random.Next(10) + "." + _random.Next(10), 2 => "", _ => parts[which] + " " };
                d.RemoveRange(0, eol);
                d.InsertRange(0, Encoding.Latin1.GetBytes(string.Join(' ', parts)));
                break;
            case 15: // a mandatory header removed
                RemoveHeader(d, RandomHeaderName(d));
                break;
            default: // bytes swapped between two places
                if (d.Count > 2)
                {
                    int a = _random.Next(d.Count), b = _random.Next(d.Count);
                    (d[a], d[b]) = (d[b], d[a]);
                }
                break;
        }
    }

    private byte[] RandomBytes(int n)
    {
        var b = new byte[n];
        _random.NextBytes(b);
        return b;
    }

    private string RandomToken()
    {
        const string chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~<>\"@:;,/[]?={}\\ ";
        var n = 1 + _random.Next(_random.Next(8) == 0 ? 200 : 12);
        var sb = new StringBuilder(n);
        for (var i = 0; i < n; i++) sb.Append(chars[_random.Next(_random.Next(3) == 0 ? chars.Length : 66)]);
        return sb.ToString();
    }

    /// <summary>A random header line (start, length including its CRLF) before the empty line, or null.</summary>
    private (int Start, int Length)? HeaderLine(List<byte> d)
    {
        var lines = new List<(int, int)>();
        var start = IndexOf(d, "\r\n"u8);
        if (start < 0) return null;
        start += 2;
        while (start < d.Count)
        {
            var end = IndexOf(d, "\r\n"u8, start);
            if (end < 0 || end == start) break;
            lines.Add((start, end + 2 - start));
            start = end + 2;
        }
        return lines.Count == 0 ? null : lines[_random.Next(lines.Count)];
    }

    private string RandomHeaderName(List<byte> d)
    {
        if (HeaderLine(d) is not var (start, length)) return "Via";
        var line = Encoding.Latin1.GetString(d.GetRange(start, length).ToArray());
        var colon = line.IndexOf(':');
        return colon > 0 ? line[..colon].Trim() : "Via";
    }

    private void InsertHeader(List<byte> d, string field)
    {
        var at = HeaderLine(d)?.Start ?? Math.Min(d.Count, IndexOf(d, "\r\n"u8) is var e && e >= 0 ? e + 2 : d.Count);
        d.InsertRange(at, Encoding.Latin1.GetBytes(field + "\r\n"));
    }

    private static void ReplaceHeader(List<byte> d, string name, string value)
    {
        var text = Encoding.Latin1.GetString(d.ToArray());
        var at = text.IndexOf("\r\n" + name + ":", StringComparison.OrdinalIgnoreCase);
        if (at < 0) return;
        var valueStart = at + 2 + name.Length + 1;
        var end = text.IndexOf("\r\n", valueStart, StringComparison.Ordinal);
        if (end < 0) end = text.Length;
        d.RemoveRange(valueStart, end - valueStart);
        d.InsertRange(valueStart, Encoding.Latin1.GetBytes(" " + value));
    }

    private static void RemoveHeader(List<byte> d, string name)
    {
        var text = Encoding.Latin1.GetString(d.ToArray());
        var at = text.IndexOf("\r\n" + name + ":", StringComparison.OrdinalIgnoreCase);
        if (at < 0) return;
        var end = text.IndexOf("\r\n", at + 2, StringComparison.Ordinal);
        if (end < 0) return;
        d.RemoveRange(at, end - at);
    }

    private static void ReplaceAll(List<byte> d, byte[] from, byte[] to, bool onlyFirst)
    {
        var source = d.ToArray();
        var result = new List<byte>(source.Length + 64);
        var rest = source.AsSpan();
        while (true)
        {
            var at = rest.IndexOf(from);
            if (at < 0) break;
            result.AddRange(rest[..at]);
            result.AddRange(to);
            rest = rest[(at + from.Length)..];
            if (onlyFirst) break;
        }
        result.AddRange(rest);
        d.Clear();
        d.AddRange(result);
    }

    private static int IndexOf(List<byte> d, ReadOnlySpan<byte> what, int from = 0)
    {
        if (from > d.Count) return -1;
        var at = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(d)[from..].IndexOf(what);
        return at < 0 ? -1 : at + from;
    }
}
