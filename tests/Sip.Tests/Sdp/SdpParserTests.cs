using Telephony.Sip.Sdp;

namespace Telephony.Sip.Tests.Sdp;

public class SdpParserTests
{
    private static SessionDescription Parse(string text)
    {
        Assert.That(SessionDescription.TryParse(text, out var sdp, out var error), Is.True, error);
        return sdp!;
    }

    [TestCase(nameof(SdpSamples.Baresip))]
    [TestCase(nameof(SdpSamples.SippPcma))]
    [TestCase(nameof(SdpSamples.CarrierSbc))]
    [TestCase(nameof(SdpSamples.Opus))]
    public void Real_offers_round_trip_byte_for_byte(string sample)
    {
        var text = (string)typeof(SdpSamples).GetField(sample)!.GetValue(null)!;
        Assert.That(Parse(text).ToString(), Is.EqualTo(text));
    }

    [Test]
    public void Baresip_offer_is_read_into_the_model()
    {
        var sdp = Parse(SdpSamples.Baresip);

        Assert.That(sdp.Origin, Is.EqualTo(new Origin("-", "1775094281", 3121559436, "IN", SdpAddressType.IP4, "192.168.10.23")));
        Assert.That(sdp.Connection, Is.EqualTo(new ConnectionData("IN", SdpAddressType.IP4, "192.168.10.23")));
        Assert.That(sdp.Timings.Single().ToString(), Is.EqualTo("0 0"));
        Assert.That(sdp.Attributes, Is.EqualTo(new[] { new SdpAttribute("tool", "baresip 3.10.1") }));
        Assert.That(sdp.MediaDescriptions, Has.Count.EqualTo(2));

        var audio = sdp.MediaDescriptions[0];
        Assert.That(audio.Port, Is.EqualTo(10000));
        Assert.That(audio.Protocol, Is.EqualTo("RTP/AVP"));
        Assert.That(audio.Formats, Is.EqualTo(new[] { "96", "9", "0", "8", "101" }));
        Assert.That(audio.Bandwidths, Is.EqualTo(new[] { "AS:64" }));
        Assert.That(audio.GetRtpMap("96"), Is.EqualTo(new AudioCodec("opus", 96, 48000, 2)));
        Assert.That(audio.GetFmtp("101"), Is.EqualTo("0-15"));
        Assert.That(audio.Direction, Is.EqualTo(MediaDirection.SendRecv));
        Assert.That(sdp.MediaDescriptions[1].Media, Is.EqualTo("video"));
    }

    [Test]
    public void Static_payload_types_are_known_without_rtpmap()
    {
        var audio = Parse(SdpSamples.CarrierSbc).MediaDescriptions[0];

        Assert.That(audio.GetCodecs(), Is.EqualTo(new[]
        {
            AudioCodec.Pcma, AudioCodec.Pcmu, new AudioCodec("G729", 18, 8000), new AudioCodec("telephone-event", 97, 8000),
        }));
        Assert.That(audio.Ptime, Is.EqualTo(20));
        Assert.That(audio.MaxPtime, Is.EqualTo(40));
    }

    [Test]
    public void Lf_only_line_ends_are_accepted_and_written_back_as_crlf()
    {
        var lf = SdpSamples.SippPcma.Replace("\r\n", "\n");

        Assert.That(Parse(lf).ToString(), Is.EqualTo(SdpSamples.SippPcma));
    }

    [Test]
    public void Unknown_attributes_keep_their_place_and_value()
    {
        var text = SdpSamples.WithAudio("a=x-custom:some value : with colons\r\na=rtcp-mux\r\na=empty:");
        var sdp = Parse(text);

        Assert.That(sdp.MediaDescriptions[0].Attributes, Does.Contain(new SdpAttribute("x-custom", "some value : with colons")));
        Assert.That(sdp.MediaDescriptions[0].Attributes, Does.Contain(new SdpAttribute("empty", "")));
        Assert.That(sdp.ToString(), Is.EqualTo(text));
    }

    [Test]
    public void Media_level_connection_overrides_the_session_one()
    {
        var sdp = Parse(SdpSamples.WithAudio("c=IN IP4 198.51.100.7"));

        Assert.That(sdp.EffectiveConnection(sdp.MediaDescriptions[0])!.Address, Is.EqualTo("198.51.100.7"));
    }

    [Test]
    public void Ipv6_connection_is_parsed()
    {
        var sdp = Parse(SdpSamples.WithAudio("c=IN IP6 2001:db8::7"));

        var connection = sdp.MediaDescriptions[0].Connection!;
        Assert.That(connection.AddressType, Is.EqualTo(SdpAddressType.IP6));
        Assert.That(connection.TryGetIPAddress(), Is.EqualTo(System.Net.IPAddress.Parse("2001:db8::7")));
    }

    [Test]
    public void Port_count_and_odd_spacing_in_m_line_are_tolerated()
    {
        var sdp = Parse(SdpSamples.WithAudio("").Replace("m=audio 20000 RTP/AVP 9 0 8 101", "m=audio  20000/2 RTP/AVP  9 0"));

        var audio = sdp.MediaDescriptions[0];
        Assert.That((audio.Port, audio.PortCount), Is.EqualTo((20000, (int?)2)));
        Assert.That(audio.Formats, Is.EqualTo(new[] { "9", "0" }));
    }

    [Test]
    public void Fractional_ptime_is_rounded()
    {
        Assert.That(Parse(SdpSamples.WithAudio("a=ptime:20.0")).MediaDescriptions[0].Ptime, Is.EqualTo(20));
    }

    [TestCase("", "empty SDP")]
    [TestCase("o=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 1 RTP/AVP 0\n", "expected v= but found o=")]
    [TestCase("v=0\ns=-\nt=0 0\nm=audio 1 RTP/AVP 0\n", "expected o= but found s=")]
    [TestCase("v=0\no=- 1 1 IN IP4 1.2.3.4\nt=0 0\nm=audio 1 RTP/AVP 0\n", "expected s= but found t=")]
    [TestCase("v=0\no=- 1 1 IN IP4 1.2.3.4\n", "missing s= line")]
    [TestCase("v=1\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 1 RTP/AVP 0\n", "unsupported SDP version")]
    [TestCase("v=0\no=- 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 1 RTP/AVP 0\n", "o= needs 6 fields")]
    [TestCase("v=0\no=- 1 x IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 1 RTP/AVP 0\n", "session version")]
    [TestCase("v=0\no=- 1 1 IN IPX 1.2.3.4\ns=-\nt=0 0\nm=audio 1 RTP/AVP 0\n", "IP4 or IP6")]
    [TestCase("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\n", "no m= line")]
    [TestCase("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nm=audio 1 RTP/AVP 0\n", "m= before any t= line")]
    [TestCase("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=IN IP4\nt=0 0\nm=audio 1 RTP/AVP 0\n", "c= needs 3 fields")]
    [TestCase("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 70000 RTP/AVP 0\n", "port is not a number")]
    [TestCase("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 1 RTP/AVP\n", "lists no formats")]
    [TestCase("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 1 RTP/AVP 0\nt=0 0\n", "only allowed at session level")]
    [TestCase("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nx=what\nm=audio 1 RTP/AVP 0\n", "unknown line type x=")]
    [TestCase("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 1 RTP/AVP 0\nv=0\n", "a second v= line")]
    [TestCase("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=IN IP4 1.1.1.1\nc=IN IP4 1.1.1.1\nt=0 0\nm=audio 1 RTP/AVP 0\n", "a second session-level c=")]
    [TestCase("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 1 RTP/AVP 0\na=\n", "without an attribute name")]
    [TestCase("INVITE sip:12345@example.cn SIP/2.0\n", "expected <type>=<value>")]
    [TestCase("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nr=7d 1h 0 25h\n\nm=audio 1 RTP/AVP 0\nr=1\n", "only allowed at session level")]
    public void Malformed_sdp_is_rejected_with_a_reason(string text, string reason)
    {
        var ok = SessionDescription.TryParse(text, out var sdp, out var error);

        Assert.That(ok, Is.False);
        Assert.That(sdp, Is.Null);
        Assert.That(error, Does.Contain(reason));
    }

    [Test]
    public void Garbage_never_throws()
    {
        var random = new Random(12345);
        var alphabet = "vosctma=: \r\n0123456789IP4/RTPAV.-";
        for (var i = 0; i < 2000; i++)
        {
            var chars = new char[random.Next(0, 200)];
            for (var j = 0; j < chars.Length; j++)
                chars[j] = alphabet[random.Next(alphabet.Length)];
            Assert.DoesNotThrow(() => SessionDescription.TryParse(new string(chars), out _, out _));
        }
        // Truncations of a real offer, too: each prefix must parse or fail cleanly.
        for (var n = 0; n < SdpSamples.Baresip.Length; n++)
            Assert.DoesNotThrow(() => SessionDescription.TryParse(SdpSamples.Baresip[..n], out _, out _));
    }

    [Test]
    public void Null_text_is_rejected()
    {
        Assert.That(SessionDescription.TryParse(null, out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo("empty SDP"));
    }

    [Test]
    public void Description_built_in_code_is_written_in_rfc_order()
    {
        var sdp = new SessionDescription
        {
            Origin = new Origin("hotline", "9", 2, "IN", SdpAddressType.IP4, "10.0.0.1"),
            Connection = new ConnectionData("IN", SdpAddressType.IP4, "10.0.0.1"),
        };
        var audio = new MediaDescription { Port = 4000 };
        audio.Formats.Add("0");
        audio.Attributes.Add(new SdpAttribute("rtpmap", "0 PCMU/8000"));
        audio.Ptime = 20;
        audio.Direction = MediaDirection.RecvOnly;
        sdp.MediaDescriptions.Add(audio);
        sdp.Attributes.Add(new SdpAttribute("tool", "Telephony"));

        Assert.That(sdp.ToString(), Is.EqualTo(
            "v=0\r\no=hotline 9 2 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\na=tool:Telephony\r\n" +
            "m=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=ptime:20\r\na=recvonly\r\n"));
    }
}
