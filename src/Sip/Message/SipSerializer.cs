using System.Buffers;
using System.Text;

namespace Telephony.Sip.Message;

/// <summary>
/// Writes a message in the form of RFC 3261 §7: start line, one line per header field (canonical names,
/// no folding), Content-Length always present and always the real body length (§18.3, §20.14), empty line,
/// body. Into an <see cref="IBufferWriter{T}"/> so a transport sends it in one call.
/// </summary>
public static class SipSerializer
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private static readonly byte[] ColonSpace = ": "u8.ToArray();

    public static void Write(SipMessage message, IBufferWriter<byte> output)
    {
        WriteText(output, message.StartLine);
        output.Write(Crlf);
        foreach (var field in message.Headers)
        {
            if (field.Name == HeaderNames.ContentLength) continue;
            WriteText(output, field.Name);
            output.Write(ColonSpace);
            WriteText(output, field.Value);
            output.Write(Crlf);
        }
        WriteText(output, HeaderNames.ContentLength);
        output.Write(ColonSpace);
        WriteText(output, message.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        output.Write(Crlf);
        output.Write(Crlf);
        output.Write(message.Body.Span);
    }

    public static byte[] ToBytes(SipMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(512 + message.Body.Length);
        Write(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteText(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        var n = Encoding.UTF8.GetBytes(text, span);
        output.Advance(n);
    }
}
