using System.Text;

namespace Telephony.Sip.Message;

public enum FrameStatus
{
    /// <summary>A whole message is at the start of the buffer.</summary>
    Complete,
    /// <summary>Only CRLFs so far: keep-alive (RFC 5626 §3.5.1 double-CRLF ping) or noise before a start line.</summary>
    KeepAlive,
    NeedMore,
    /// <summary>The header section or declared body exceeds the size cap: close the connection.</summary>
    TooLarge,
    /// <summary>No usable Content-Length: on a stream the message boundary is lost, so the connection closes (§18.3).</summary>
    BadLength,
}

/// <summary>
/// Message boundaries on stream transports (RFC 3261 §18.3): the header section ends at the first empty line
/// and Content-Length, mandatory on streams, gives the body length.
/// </summary>
public static class SipFraming
{
    /// <param name="buffer">bytes received and not yet consumed</param>
    /// <param name="maxMessageBytes">cap on one message (headers + body)</param>
    /// <param name="skip">leading CRLF bytes to discard before the message (or, for KeepAlive, all of them)</param>
    /// <param name="length">the message's length after <paramref name="skip"/> when Complete</param>
    public static FrameStatus Frame(ReadOnlySpan<byte> buffer, int maxMessageBytes, out int skip, out int length)
    {
        skip = 0;
        length = 0;
        while (skip < buffer.Length && buffer[skip] is (byte)'\r' or (byte)'\n') skip++;
        if (skip == buffer.Length) return skip > 0 ? FrameStatus.KeepAlive : FrameStatus.NeedMore;
        var data = buffer[skip..];
        var end = data.IndexOf("\r\n\r\n"u8);
        var terminator = 4;
        var lfEnd = data.IndexOf("\n\n"u8);
        if (lfEnd >= 0 && (end < 0 || lfEnd < end)) { end = lfEnd; terminator = 2; }
        if (end < 0) return data.Length > maxMessageBytes ? FrameStatus.TooLarge : FrameStatus.NeedMore;
        var headerBytes = end + terminator;
        if (!TryFindContentLength(data[..end], out var bodyLength)) return FrameStatus.BadLength;
        if ((long)headerBytes + bodyLength > maxMessageBytes) return FrameStatus.TooLarge;
        if (data.Length < headerBytes + bodyLength) return FrameStatus.NeedMore;
        length = headerBytes + bodyLength;
        return FrameStatus.Complete;
    }

    /// <summary>Finds <c>Content-Length</c> or its compact form <c>l</c> among the header lines (no folding expected).</summary>
    private static bool TryFindContentLength(ReadOnlySpan<byte> headers, out int value)
    {
        value = -1;
        var found = false;
        while (!headers.IsEmpty)
        {
            var lf = headers.IndexOf((byte)'\n');
            var line = lf >= 0 ? headers[..lf] : headers;
            headers = lf >= 0 ? headers[(lf + 1)..] : default;
            var colon = line.IndexOf((byte)':');
            if (colon <= 0) continue;
            var name = line[..colon].TrimEnd(" \t"u8);
            if (!(Ascii.EqualsIgnoreCase(name, "Content-Length"u8) || Ascii.EqualsIgnoreCase(name, "l"u8))) continue;
            var text = line[(colon + 1)..].Trim(" \t\r"u8);
            if (text.IsEmpty || text.Length > 9) return false;
            var n = 0;
            foreach (var b in text)
            {
                if (b is < (byte)'0' or > (byte)'9') return false;
                n = n * 10 + (b - '0');
            }
            if (found && n != value) return false;
            value = n;
            found = true;
        }
        return found;
    }
}
