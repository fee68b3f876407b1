using Telephony.Media.Rtp;
using Telephony.Sip.UserAgent;

namespace Telephony.Host.Engine;

/// <summary>
/// Sip's port provider backed by Media's allocator: the SDP's port is a pair already bound (so the port the
/// answer advertises is one we hold), claimed by the call's RTP session on answer. A pair nobody claimed is
/// closed on Release; a claimed pair is freed when its session closes, so a port is never reused under a
/// live session (Release of a claimed port is a no-op).
/// </summary>
public sealed class MediaPorts(RtpPortAllocator ports) : IRtpPortProvider
{
    public int? Acquire() => ports.Reserve();
    public void Release(int port) => ports.Release(port);
}
