using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Telephony.Media.Clock;

/// <summary>Gets the datagrams of the sockets it listens on (<see cref="MediaClockRegistration.Listen"/>).</summary>
public interface IDatagramReceiver
{
    /// <param name="channel">what the receiver gave when it listened (RTP or RTCP, say)</param>
    /// <param name="datagram">valid during the call only</param>
    /// <param name="from">the sender; reused for the next datagram, so copy it to keep it</param>
    /// <param name="arrival">when the kernel received it, in <see cref="Stopwatch.GetTimestamp"/> units</param>
    void OnDatagram(int channel, ReadOnlySpan<byte> datagram, SocketAddress from, long arrival);
}

/// <summary>
/// The receive pass of one media worker: an epoll set over the UDP sockets of that worker's streams, read without
/// blocking once per tick (docs/media-rtp.md, "Receiving"). Every call sends one packet per 20 ms, so at each tick
/// about one datagram waits on each socket: one epoll_wait names the ready sockets, one recvmsg each takes the
/// datagram with the kernel's receive time (SO_TIMESTAMPNS, so the jitter statistics and the jitter buffer see when
/// it really arrived, not when the tick read it), and a second epoll_wait finds the few with more. No thread, pool
/// work item or context switch per datagram, which is what the socket engine's async receives cost (two thread
/// hand-offs per packet: about a third of the engine's CPU at 400 calls).
/// </summary>
/// <remarks>
/// Level-triggered; a socket is read once per round and a tick runs at most <see cref="MaxRounds"/> rounds, so a
/// flood on one socket cannot hold the worker. A socket may be closed by another thread at any time: each read
/// holds a reference on its <see cref="SafeHandle"/>, so its descriptor cannot be closed (and reused by a new
/// socket) during the read, and entries are found by a key that is never reused, so a stale event of a removed
/// socket finds nothing.
/// </remarks>
internal sealed unsafe class DatagramPoller : IDisposable
{
    public const int MaxRounds = 8;
    private const int MaxEvents = 512;
    private const int DatagramBytes = 2048;
    private const int ControlBytes = 64;

    private readonly ILogger _logger;
    private readonly int _epoll;
    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, Entry> _entries = [];
    private readonly byte* _events;
    private readonly byte* _datagram;
    private readonly byte* _control;
    private ulong _nextKey;
    private long _truncated;
    private long _errors;
    private bool _disposed;

    private sealed record Entry(Socket Socket, SafeHandle Handle, IDatagramReceiver Receiver, int Channel, SocketAddress From);

    private DatagramPoller(int epoll, ILogger logger)
    {
        _epoll = epoll;
        _logger = logger;
        _events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * LinuxDatagrams.EpollEventSize));
        _datagram = (byte*)NativeMemory.Alloc(DatagramBytes);
        _control = (byte*)NativeMemory.Alloc(ControlBytes);
    }

    /// <summary>A poller, or null where epoll is not to be had (not Linux, or it failed): the sockets then receive asynchronously.</summary>
    public static DatagramPoller? TryCreate(ILogger logger)
    {
        if (!LinuxDatagrams.Supported) return null;
        try
        {
            var fd = LinuxDatagrams.epoll_create1(LinuxDatagrams.EpollCloexec);
            if (fd >= 0) return new DatagramPoller(fd, logger);
            logger.LogWarning("epoll_create1 failed (errno {Errno}): media sockets receive asynchronously", Marshal.GetLastPInvokeError());
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            logger.LogWarning("epoll is not available ({Reason}): media sockets receive asynchronously", e.Message);
        }
        return null;
    }

    /// <summary>Datagrams larger than the 2 KB buffer (dropped) and receive errors other than "nothing waiting".</summary>
    public long Truncated => Interlocked.Read(ref _truncated);
    public long Errors => Interlocked.Read(ref _errors);
    public int Count { get { lock (_gate) return _entries.Count; } }

    /// <summary>Adds a socket; its key for <see cref="Remove"/>, or null when the kernel refused it.</summary>
    public ulong? Add(Socket socket, IDatagramReceiver receiver, int channel)
    {
        var handle = socket.SafeHandle;
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var fd = (int)handle.DangerousGetHandle();
            var one = 1;
            // Without the kernel's time a datagram is stamped when read: still correct, within a tick.
            LinuxDatagrams.setsockopt(fd, LinuxDatagrams.SolSocket, LinuxDatagrams.SoTimestampNs, &one, sizeof(int));
            ulong key;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                key = ++_nextKey;
                _entries[key] = new Entry(socket, handle, receiver, channel, new SocketAddress(socket.AddressFamily));
            }
            var ev = stackalloc byte[16];
            LinuxDatagrams.WriteEvent(ev, LinuxDatagrams.EpollIn, key);
            if (LinuxDatagrams.epoll_ctl(_epoll, LinuxDatagrams.EpollCtlAdd, fd, ev) == 0) return key;
            _logger.LogWarning("epoll_ctl ADD of a media socket failed (errno {Errno})", Marshal.GetLastPInvokeError());
            lock (_gate) _entries.Remove(key);
            return null;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>Stops listening on the socket (before it is closed; a closed descriptor leaves the set by itself too).</summary>
    public void Remove(ulong key)
    {
        Entry? entry;
        lock (_gate)
        {
            if (!_entries.Remove(key, out entry) || _disposed) return;
        }
        var added = false;
        try
        {
            entry.Handle.DangerousAddRef(ref added);
            LinuxDatagrams.epoll_ctl(_epoll, LinuxDatagrams.EpollCtlDel, (int)entry.Handle.DangerousGetHandle(), null);
        }
        catch (ObjectDisposedException) { } // already closed: the kernel dropped it from the set
        finally
        {
            if (added) entry.Handle.DangerousRelease();
        }
    }

    /// <summary>Reads what is waiting on every socket, handing each datagram to its receiver. The datagrams read.</summary>
    public int Poll()
    {
        if (_disposed) return 0;
        var read = 0;
        // The kernel stamps with CLOCK_REALTIME; the receivers want the monotonic Stopwatch timeline.
        var monotonic = Stopwatch.GetTimestamp();
        var realNs = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
        for (var round = 0; round < MaxRounds; round++)
        {
            var n = LinuxDatagrams.epoll_wait(_epoll, _events, MaxEvents, 0);
            if (n <= 0) break;
            for (var i = 0; i < n; i++)
            {
                Entry? entry;
                lock (_gate) _entries.TryGetValue(LinuxDatagrams.EventData(_events, i), out entry);
                if (entry is not null && ReadOne(entry, monotonic, realNs)) read++;
            }
        }
        return read;
    }

    private bool ReadOne(Entry entry, long monotonic, long realNs)
    {
        var added = false;
        try
        {
            entry.Handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException) { return false; }
        try
        {
            var from = entry.From;
            var name = from.Buffer.Span;
            fixed (byte* namePointer = name)
            {
                var iov = new LinuxDatagrams.IoVec { Base = _datagram, Length = DatagramBytes };
                var msg = new LinuxDatagrams.MsgHdr
                {
                    Name = namePointer, NameLength = (uint)name.Length, Iov = &iov, IovLength = 1,
                    Control = _control, ControlLength = ControlBytes,
                };
                var n = (int)LinuxDatagrams.recvmsg((int)entry.Handle.DangerousGetHandle(), &msg, LinuxDatagrams.MsgDontWait);
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno is not (LinuxDatagrams.EAgain or LinuxDatagrams.EIntr) && Interlocked.Increment(ref _errors) == 1)
                        _logger.LogWarning("recvmsg on a media socket failed (errno {Errno}); counted, the socket stays", errno);
                    return false;
                }
                if ((msg.Flags & LinuxDatagrams.MsgTrunc) != 0) { Interlocked.Increment(ref _truncated); return false; }
                from.Size = (int)Math.Min(msg.NameLength, (uint)name.Length);
                var kernelNs = LinuxDatagrams.ReceiveTimeNs(msg);
                var arrival = kernelNs == 0 ? Stopwatch.GetTimestamp() : ToMonotonic(kernelNs, monotonic, realNs);
                entry.Receiver.OnDatagram(entry.Channel, new ReadOnlySpan<byte>(_datagram, n), from, arrival);
                return true;
            }
        }
        finally
        {
            if (added) entry.Handle.DangerousRelease();
        }
    }

    private static long ToMonotonic(long kernelNs, long monotonic, long realNs)
    {
        var agoNs = Math.Max(0, realNs - kernelNs);
        return monotonic - (Stopwatch.Frequency == 1_000_000_000 ? agoNs : (long)(agoNs * (Stopwatch.Frequency / 1e9)));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _entries.Clear();
        }
        LinuxDatagrams.close(_epoll);
        NativeMemory.Free(_events);
        NativeMemory.Free(_datagram);
        NativeMemory.Free(_control);
    }
}
