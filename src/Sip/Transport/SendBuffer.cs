using System.Buffers;

namespace Telephony.Sip.Transport;

/// <summary>
/// One serialization buffer per thread, reused for every send: a message is serialized and sent on the same
/// thread before that thread serializes the next, so nothing is allocated per message on the send path.
/// </summary>
internal static class SendBuffer
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? _writer;

    public static ArrayBufferWriter<byte> Rent()
    {
        var writer = _writer ??= new ArrayBufferWriter<byte>(4096);
        writer.ResetWrittenCount();
        return writer;
    }
}
