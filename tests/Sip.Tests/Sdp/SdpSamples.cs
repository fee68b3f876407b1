namespace Telephony.Sip.Tests.Sdp;

/// <summary>
/// Offers written by hand in the shape real peers send them: baresip (opus first, G.722, video), SIPp's
/// uac scenarios (one codec plus DTMF), and a carrier SBC (PCMA/PCMU, ptime, odd DTMF payload number).
/// </summary>
internal static class SdpSamples
{
    public static string Crlf(string text) => text.Replace("\r\n", "\n").Replace("\n", "\r\n");

    public static readonly string Baresip = Crlf("""
        v=0
        o=- 1775094281 3121559436 IN IP4 192.168.10.23
        s=-
        c=IN IP4 192.168.10.23
        t=0 0
        a=tool:baresip 3.10.1
        m=audio 10000 RTP/AVP 96 9 0 8 101
        b=AS:64
        a=rtpmap:96 opus/48000/2
        a=fmtp:96 stereo=1;sprop-stereo=1
        a=rtpmap:9 G722/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15
        a=sendrecv
        a=label:1
        a=ssrc:2863071373 cname:88d2a1c4-7dd3-4f6a-9c5a-3c1c0d8b8a11
        a=rtcp-rsize
        m=video 10002 RTP/AVP 100
        b=AS:512
        a=rtpmap:100 H264/90000
        a=fmtp:100 packetization-mode=1;profile-level-id=42e01f
        a=sendrecv
        a=label:2

        """);

    public static readonly string SippPcma = Crlf("""
        v=0
        o=user1 53655765 2353687637 IN IP4 127.0.0.1
        s=-
        c=IN IP4 127.0.0.1
        t=0 0
        m=audio 6000 RTP/AVP 8 101
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-11,16

        """);

    /// <summary>A carrier SBC: static types without rtpmap, DTMF on 97, ptime 20, maxptime 40.</summary>
    public static readonly string CarrierSbc = Crlf("""
        v=0
        o=HuaweiSBC 1700000000 1700000001 IN IP4 10.20.30.40
        s=SBC call
        c=IN IP4 10.20.30.41
        t=0 0
        m=audio 30000 RTP/AVP 8 0 18 97
        a=rtpmap:97 telephone-event/8000
        a=fmtp:97 0-15
        a=fmtp:18 annexb=no
        a=ptime:20
        a=maxptime:40
        a=sendrecv

        """);

    public static readonly string Opus = Crlf("""
        v=0
        o=- 1 1 IN IP4 192.0.2.5
        s=-
        c=IN IP4 192.0.2.5
        t=0 0
        m=audio 4000 RTP/AVP 111 18
        a=rtpmap:111 opus/48000/2
        a=rtpmap:18 G729/8000

        """);

    public static string WithAudio(string audioLines, string sessionExtra = "", string connection = "192.0.2.10") => Crlf($"""
        v=0
        o=peer 42 7 IN IP4 {connection}
        s=-
        c=IN IP4 {connection}
        t=0 0
        {sessionExtra}
        m=audio 20000 RTP/AVP 9 0 8 101
        a=rtpmap:9 G722/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-16
        {audioLines}

        """).Replace("\r\n\r\n", "\r\n").TrimStart();
}
