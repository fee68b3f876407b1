using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Telephony.Sip.Message;

namespace Telephony.Sip.Transport;

/// <summary>
/// One TCP connection carrying SIP in both directions (RFC 3261 §18.3 framing by Content-Length, §18.2.2
/// responses on the connection the request came in on). Reused for later requests to the same peer.
/// </summary>
internal sealed class TcpConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly ILogger _log;
    private readonly int _maxBytes;
    private readonly Lock _sendGate = new();
    private readonly CancellationTokenSource _stop = new();
    private int _closed;
    private long _partialSince;

    public IPEndPoint Remote { get; }
    public IPEndPoint Local { get; }
    public long LastActivityTicks { get; private set; }
    /// <summary>When the first byte of the incomplete message now buffered arrived, or 0 when none is buffered.</summary>
    public long PartialSinceTicks => Volatile.Read(ref _partialSince);
    public bool IsClosed => Volatile.Read(ref _closed) != 0;
    public event Action<TcpConnection>? Closed;

    public TcpConnection(Socket socket, int maxBytes, TimeSpan sendTimeout, ILogger log, long nowTicks)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _socket.SendTimeout = (int)Math.Clamp(sendTimeout.TotalMilliseconds, 1, int.MaxValue);
        _maxBytes = maxBytes;
        _log = log;
        Remote = (IPEndPoint)socket.RemoteEndPoint!;
        Local = (IPEndPoint)socket.LocalEndPoint!;
        LastActivityTicks = nowTicks;
    }

    public SipEndPoint Peer => new(SipTransportKind.Tcp, Remote);

    /// <summary>Reads until the peer closes, handing each framed message up; a framing error closes the connection.</summary>
    public async Task RunAsync(Action<ReadOnlyMemory<byte>, TcpConnection> onMessage, Func<long> now)
    {
        var buffer = new byte[8192];
        var filled = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                if (filled == buffer.Length)
                {
                    if (buffer.Length >= _maxBytes + 8192) { Close("message over the size cap"); return; }
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, _maxBytes + 8192));
                }
                var n = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, _stop.Token);
                if (n == 0) break;
                filled += n;
                var received = now();
                LastActivityTicks = received;
                var offset = 0;
                while (true)
                {
                    var status = SipFraming.Frame(buffer.AsSpan(offset, filled - offset), _maxBytes, out var skip, out var length);
                    if (status == FrameStatus.KeepAlive)
                    {
                        // RFC 5626 §4.4.1: a double-CRLF ping gets a single-CRLF pong.
                        if (skip >= 4) SendRaw("\r\n"u8);
                        offset += skip;
                        continue;
                    }
                    if (status == FrameStatus.NeedMore) break;
                    if (status is FrameStatus.TooLarge or FrameStatus.BadLength)
                    {
                        _log.LogWarning("Closing TCP connection from {Remote}: {Reason}", Remote, status == FrameStatus.TooLarge ? "message over the size cap" : "no usable Content-Length");
                        Close(status.ToString());
                        return;
                    }
                    onMessage(buffer.AsMemory(offset + skip, length), this);
                    offset += skip + length;
                }
                // The bytes left over start a message: it began in this read if anything before it was consumed.
                if (filled == offset) Volatile.Write(ref _partialSince, 0);
                else if (offset > 0 || PartialSinceTicks == 0) Volatile.Write(ref _partialSince, received);
                if (offset > 0)
                {
                    Buffer.BlockCopy(buffer, offset, buffer, 0, filled - offset);
                    filled -= offset;
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
        catch (SocketException) { }
        catch (Exception e)
        {
            _log.LogError(e, "TCP connection from {Remote} failed", Remote);
        }
        Close("closed by peer");
    }

    public bool Send(SipMessage message)
    {
        var writer = SendBuffer.Rent();
        SipSerializer.Write(message, writer);
        return SendRaw(writer.WrittenSpan);
    }

    private bool SendRaw(ReadOnlySpan<byte> bytes)
    {
        if (IsClosed) return false;
        try
        {
            lock (_sendGate)
            {
                while (!bytes.IsEmpty)
                {
                    var sent = _socket.Send(bytes, SocketFlags.None);
                    bytes = bytes[sent..];
                }
            }
            return true;
        }
        catch (SocketException e)
        {
            // TimedOut: the peer has not read for TcpSendTimeout (its window and our buffer are full).
            Close($"send failed ({e.SocketErrorCode})");
            return false;
        }
        catch (ObjectDisposedException)
        {
            Close("send failed");
            return false;
        }
    }

    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        _log.LogDebug("TCP connection {Remote} closed: {Reason}", Remote, reason);
        _stop.Cancel();
        try { _socket.Shutdown(SocketShutdown.Both); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        _socket.Dispose();
        Closed?.Invoke(this);
    }

    public void Dispose() => Close("disposed");
}
