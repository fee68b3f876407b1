using System.Buffers.Binary;
using Telephony.Media.Codecs;

namespace Telephony.EndToEnd.Media;

/// <summary>
/// Writes the RTP capture SIPp's <c>play_pcap_audio</c> replays: classic libpcap format (magic a1b2c3d4,
/// link type 1, Ethernet), one IPv4/UDP/RTP packet per 20 ms frame of the given PCM, encoded with the given
/// G.711 codec. SIPp keeps the capture's timing and payload and rewrites addresses and ports to the call's,
/// so only the RTP header (RFC 3550 §5.1) and the frame spacing matter; made from a WAV in the test, so no
/// binary fixture is committed.
/// </summary>
public static class SippRtpPcap
{
    private const int FrameSamples = 160; // 20 ms at 8 kHz
    private const int HeaderBytes = 14 + 20 + 8 + 12;

    public static void Write(string path, ReadOnlySpan<short> pcm, IAudioCodec codec, uint ssrc = 0x5EED1234)
    {
        using var file = File.Create(path);
        Span<byte> global = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(global, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(global[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(global[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(global[16..], 65535); // snaplen
        BinaryPrimitives.WriteUInt32LittleEndian(global[20..], 1);     // LINKTYPE_ETHERNET
        file.Write(global);

        var frame = new short[FrameSamples];
        var packet = new byte[16 + HeaderBytes + FrameSamples];
        var frames = (pcm.Length + FrameSamples - 1) / FrameSamples;
        for (var i = 0; i < frames; i++)
        {
            var take = Math.Min(FrameSamples, pcm.Length - i * FrameSamples);
            pcm.Slice(i * FrameSamples, take).CopyTo(frame);
            frame.AsSpan(take).Clear();
            var p = packet.AsSpan();
            p.Clear();
            var micros = i * 20_000L;
            BinaryPrimitives.WriteUInt32LittleEndian(p, (uint)(micros / 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(p[4..], (uint)(micros % 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(p[8..], HeaderBytes + FrameSamples);
            BinaryPrimitives.WriteUInt32LittleEndian(p[12..], HeaderBytes + FrameSamples);
            var eth = p[16..];
            BinaryPrimitives.WriteUInt16BigEndian(eth[12..], 0x0800); // IPv4
            var ip = eth[14..];
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], 20 + 8 + 12 + FrameSamples);
            ip[8] = 64;  // TTL
            ip[9] = 17;  // UDP
            ip[12] = 127; ip[15] = 1;
            ip[16] = 127; ip[19] = 1;
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Ipv4Checksum(ip[..20]));
            var udp = ip[20..];
            BinaryPrimitives.WriteUInt16BigEndian(udp, 6000);
            BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 6000);
            BinaryPrimitives.WriteUInt16BigEndian(udp[4..], 8 + 12 + FrameSamples);
            var rtp = udp[8..];
            rtp[0] = 0x80; // V=2
            rtp[1] = (byte)(codec.StaticPayloadType | (i == 0 ? 0x80 : 0)); // marker on the first packet (§5.1)
            BinaryPrimitives.WriteUInt16BigEndian(rtp[2..], (ushort)i);
            BinaryPrimitives.WriteUInt32BigEndian(rtp[4..], (uint)(i * FrameSamples));
            BinaryPrimitives.WriteUInt32BigEndian(rtp[8..], ssrc);
            codec.Encode(frame, rtp[12..]);
            file.Write(packet);
        }
    }

    private static ushort Ipv4Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i < header.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
