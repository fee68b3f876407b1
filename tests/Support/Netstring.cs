using System.Text;

namespace Telephony.Testing;

/// <summary>
/// Netstrings (<c>LEN:BYTES,</c>, D. J. Bernstein), the framing of baresip's ctrl_tcp. The decoder takes
/// bytes as they arrive from the socket and yields each complete payload.
/// </summary>
internal sealed class Netstring
{
    private readonly List<byte> _buffer = [];

    public static byte[] Encode(string payload)
    {
        var body = Encoding.UTF8.GetBytes(payload);
        return [.. Encoding.ASCII.GetBytes($"{body.Length}:"), .. body, (byte)','];
    }

    /// <summary>Adds received bytes and returns the payloads they complete; throws on a malformed frame (a bug in the peer or in us).</summary>
    public List<string> Feed(ReadOnlySpan<byte> received)
    {
        _buffer.AddRange(received);
        var payloads = new List<string>();
        while (true)
        {
            var colon = _buffer.IndexOf((byte)':');
            if (colon < 0) break;
            var length = 0;
            for (var i = 0; i < colon; i++)
            {
                var digit = _buffer[i] - '0';
                if (digit is < 0 or > 9) throw new FormatException($"Bad netstring length: {Encoding.ASCII.GetString([.. _buffer.Take(colon)])}");
                length = checked(length * 10 + digit);
            }
            if (_buffer.Count < colon + 1 + length + 1) break;
            if (_buffer[colon + 1 + length] != ',') throw new FormatException("Netstring without its trailing comma");
            payloads.Add(Encoding.UTF8.GetString([.. _buffer.GetRange(colon + 1, length)]));
            _buffer.RemoveRange(0, colon + 1 + length + 1);
        }
        return payloads;
    }
}
