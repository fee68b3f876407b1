using System.Runtime.InteropServices;

namespace Telephony.Media.Clock;

/// <summary>
/// The Linux calls the media workers' receive pass needs (epoll(7), recvmsg(2) with SO_TIMESTAMPNS), declared
/// with the x86-64 and arm64 layouts of their structures. Nothing here allocates or throws: results are the
/// C return values and errno.
/// </summary>
internal static unsafe class LinuxDatagrams
{
    public const int EpollIn = 0x001;
    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const int EpollCloexec = 0x80000;
    public const int MsgDontWait = 0x40;
    public const int MsgTrunc = 0x20;
    public const int SolSocket = 1;
    public const int SoTimestampNs = 35; // SO_TIMESTAMPNS_OLD; its control message type SCM_TIMESTAMPNS has the same number
    public const int EAgain = 11;
    public const int EIntr = 4;

    /// <summary>Whether this process can use them: Linux on x86-64 or arm64 (the layouts below).</summary>
    public static bool Supported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>sizeof(struct epoll_event): packed on x86-64 (12), naturally aligned elsewhere (16).</summary>
    public static int EpollEventSize => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    /// <summary>The 64-bit user data of the event at <paramref name="index"/> in an epoll_wait buffer.</summary>
    public static ulong EventData(byte* events, int index) => *(ulong*)(events + index * EpollEventSize + (EpollEventSize == 12 ? 4 : 8));

    public static void WriteEvent(byte* ev, uint events, ulong data)
    {
        *(uint*)ev = events;
        *(ulong*)(ev + (EpollEventSize == 12 ? 4 : 8)) = data;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct CmsgHdr
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    /// <summary>The kernel's receive time of the datagram (CLOCK_REALTIME, ns), or 0 when no SCM_TIMESTAMPNS came with it.</summary>
    public static long ReceiveTimeNs(in MsgHdr msg)
    {
        var offset = 0;
        var control = (byte*)msg.Control;
        var header = sizeof(CmsgHdr);
        while (offset + header <= (int)msg.ControlLength)
        {
            var c = (CmsgHdr*)(control + offset);
            if ((int)c->Length < header) return 0;
            if (c->Level == SolSocket && c->Type == SoTimestampNs && (int)c->Length >= header + 16)
            {
                var spec = (long*)(control + offset + header);
                return spec[0] * 1_000_000_000L + spec[1];
            }
            offset += ((int)c->Length + 7) & ~7;
        }
        return 0;
    }

    [DllImport("libc", SetLastError = true)]
    public static extern int epoll_create1(int flags);

    [DllImport("libc", SetLastError = true)]
    public static extern int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [DllImport("libc", SetLastError = true)]
    public static extern int epoll_wait(int epfd, byte* events, int maxEvents, int timeout);

    [DllImport("libc", SetLastError = true)]
    public static extern nint recvmsg(int fd, MsgHdr* msg, int flags);

    [DllImport("libc", SetLastError = true)]
    public static extern int setsockopt(int fd, int level, int name, int* value, uint length);

    [DllImport("libc", SetLastError = true)]
    public static extern int close(int fd);
}
