namespace Telephony.Sip.UserAgent;

/// <summary>Hands out the local RTP port for a call's SDP (RFC 3550 §11: RTP on an even port, RTCP on the next).</summary>
public interface IRtpPortProvider
{
    /// <summary>A free even port, or null when the range is exhausted (the call is then refused with 503).</summary>
    int? Acquire();
    void Release(int port);
}

/// <summary>Even ports of the configured range, reused last: a port is not handed out again while held.</summary>
public sealed class RtpPortRange : IRtpPortProvider
{
    private readonly Queue<int> _free = new();
    private readonly HashSet<int> _held = new();
    private readonly Lock _gate = new();

    public RtpPortRange(int min, int max)
    {
        if (min < 1024 || max > 65535 || min >= max) throw new ArgumentException($"RTP port range {min}-{max} is not valid");
        for (var p = min + (min & 1); p + 1 <= max; p += 2) _free.Enqueue(p);
    }

    public int Available { get { lock (_gate) return _free.Count; } }

    public int? Acquire()
    {
        lock (_gate)
        {
            if (_free.Count == 0) return null;
            var port = _free.Dequeue();
            _held.Add(port);
            return port;
        }
    }

    public void Release(int port)
    {
        lock (_gate)
            if (_held.Remove(port)) _free.Enqueue(port);
    }
}
