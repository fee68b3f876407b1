using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Telephony.Media.Clock;
using Telephony.Media.Dtmf;

namespace Telephony.Media.Rtp;

// The receive path of a session: symmetric RTP latching and the hand-off to statistics, jitter buffer and
// the telephone-event receiver.
//
// Where datagrams come from: on Linux the media clock's worker reads both sockets every tick (DatagramPoller:
// epoll, then one recvmsg per waiting datagram, stamped with the kernel's receive time), on the thread that then
// plays the frame out, so a packet costs one system call and no thread hand-off. Elsewhere, or when epoll is
// refused, each socket keeps one ReceiveFromAsync pending (the runtime's socket engine, then a pool thread): the
// SocketAddress overload allocates nothing per datagram. Both paths end in OnRtp/OnRtcp.
public sealed partial class RtpSession
{
    private volatile SocketAddress? _rtpDestination;
    private volatile SocketAddress? _rtcpDestination;
    private IPAddress? _sdpAddress;
    private SocketAddress? _latchedRtp;
    private SocketAddress? _latchedRtcp;
    private long _received;
    private long _ignored;
    private long _malformed;
    private long _unknownPayload;

    /// <summary>Where RTP goes now: the latched source, else the SDP's address.</summary>
    public IPEndPoint? RemoteEndPoint { get; private set; }
    public bool Latched => _latchedRtp is not null;
    public long PacketsReceived => Interlocked.Read(ref _received);
    /// <summary>Valid packets from other sources after latching (or before, from a non-SDP address).</summary>
    public long PacketsIgnored => Interlocked.Read(ref _ignored);
    public long PacketsMalformed => Interlocked.Read(ref _malformed);
    public long PacketsUnknownPayload => Interlocked.Read(ref _unknownPayload);

    private long _lastPacketAt;
    /// <summary>Time since the last accepted RTP packet (since the start when none came): for a media timeout in Host.</summary>
    public TimeSpan SinceLastPacket => _time.GetElapsedTime(Interlocked.Read(ref _lastPacketAt) is var t and not 0 ? t : _epoch);

    /// <summary>The SDP's c=/m= changed (re-INVITE): send there until a packet from the new address latches.</summary>
    public void UpdateRemote(IPEndPoint remote)
    {
        lock (_lock)
        {
            _latchedRtp = null;
            _latchedRtcp = null;
            SetSdpRemote(remote);
        }
    }

    private void SetSdpRemote(IPEndPoint remote)
    {
        _sdpAddress = remote.Address;
        RemoteEndPoint = remote;
        _rtpDestination = remote.Serialize();
        _rtcpDestination = new IPEndPoint(remote.Address, remote.Port + 1).Serialize();
    }

    private const int RtpChannel = 0;
    private const int RtcpChannel = 1;

    /// <summary>A datagram read by the clock's worker (<see cref="MediaClockRegistration.Listen"/>).</summary>
    public void OnDatagram(int channel, ReadOnlySpan<byte> datagram, SocketAddress from, long arrival)
    {
        if (_closed) return;
        try
        {
            // The kernel's stamp is on the Stopwatch timeline: good for the system clock; a test's clock has its own.
            var at = ReferenceEquals(_time, TimeProvider.System) ? arrival : _time.GetTimestamp();
            if (channel == RtcpChannel) OnRtcp(datagram, from);
            else OnRtp(datagram, from, at);
        }
        catch (Exception e)
        {
            // A parser bug must not end the call's media: log and keep receiving.
            _logger.LogError(e, "RTP datagram on port {Port} failed", _sockets.Port);
        }
    }

    private async Task ReceiveLoopAsync(Socket socket, bool rtcp)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(2048, pinned: true);
        var from = new SocketAddress(socket.AddressFamily);
        while (!_closed)
        {
            int n;
            try
            {
                n = await socket.ReceiveFromAsync(buffer, SocketFlags.None, from).ConfigureAwait(false);
            }
            catch (ObjectDisposedException) { return; }
            catch (SocketException e) when (!_closed && e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize)
            {
                continue; // an ICMP error for an earlier send (Windows reports them here), or an oversized datagram
            }
            catch (SocketException e)
            {
                if (!_closed) _logger.LogWarning("RTP receive on port {Port} stopped: {Error}", _sockets.Port, e.SocketErrorCode);
                return;
            }
            try
            {
                if (rtcp) OnRtcp(buffer.AsSpan(0, n), from);
                else OnRtp(buffer.AsSpan(0, n), from, _time.GetTimestamp());
            }
            catch (Exception e)
            {
                // A parser bug must not end the call's media: log and keep receiving.
                _logger.LogError(e, "RTP datagram on port {Port} failed", _sockets.Port);
            }
        }
    }

    private void OnRtp(ReadOnlySpan<byte> datagram, SocketAddress from, long at)
    {
        if (!RtpHeader.TryParse(datagram, out var header, out _)) { Interlocked.Increment(ref _malformed); return; }
        var isAudio = header.PayloadType == _options.AudioPayloadType;
        var isEvent = header.PayloadType == _options.TelephoneEventPayloadType;
        if (!isAudio && !isEvent) { Interlocked.Increment(ref _unknownPayload); return; }

        var arrival = ArrivalUnits(at);
        lock (_lock)
        {
            if (!Latch(from, ref _latchedRtp, rtcp: false)) { Interlocked.Increment(ref _ignored); return; }
            Interlocked.Increment(ref _received);
            Interlocked.Exchange(ref _lastPacketAt, at);
            _stats.OnPacket(header.Ssrc, header.SequenceNumber, header.Timestamp, arrival);
            var payload = header.PayloadOf(datagram);
            if (isAudio) _jitter.Push(header, payload, arrival);
            else if (TelephoneEventPayload.TryParse(payload, out var ev, out _))
                _events.OnPacket(header.Timestamp, ev, _time.GetElapsedTime(_epoch));
        }
    }

    /// <summary>
    /// Symmetric RTP (RFC 4961) with latching: the first valid packet from an acceptable source fixes
    /// where we send; later packets from elsewhere are ignored (a stray or spoofed stream cannot take over
    /// the call). Called under the lock.
    /// </summary>
    private bool Latch(SocketAddress from, ref SocketAddress? latched, bool rtcp)
    {
        if (latched is not null) return latched.Equals(from);
        var endpoint = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(from);
        var acceptable = _options.Latching == RtpLatching.AnySource || _sdpAddress is null
            || endpoint.Address.Equals(_sdpAddress)
            // RTCP: the address RTP latched to is as good as the SDP's.
            || (rtcp && RemoteEndPoint is { } r && endpoint.Address.Equals(r.Address));
        if (!acceptable) return false;
        latched = endpoint.Serialize();
        if (rtcp)
        {
            _rtcpDestination = latched;
        }
        else
        {
            _rtpDestination = latched;
            RemoteEndPoint = endpoint;
            if (_latchedRtcp is null) _rtcpDestination = new IPEndPoint(endpoint.Address, endpoint.Port + 1).Serialize();
            _logger.LogDebug("RTP on port {Port} latched to {Remote}", _sockets.Port, endpoint);
        }
        return true;
    }

    private uint ArrivalUnits(long at) =>
        unchecked((uint)((Math.Max(at, _epoch) - _epoch) * _options.Decoder.RtpClockRate / _time.TimestampFrequency));
}
