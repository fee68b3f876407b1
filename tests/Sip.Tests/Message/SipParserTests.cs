using Telephony.Sip.Message;

namespace Telephony.Sip.Tests.Message;

public class SipParserTests
{
    private const string Invite =
        "INVITE sip:12345@hotline.example;transport=udp SIP/2.0\r\n" +
        "v: SIP/2.0/UDP 10.0.0.7:5062;branch=z9hG4bK776asdhds ;rport\r\n" +
        "Via: SIP/2.0/TCP proxy.example;branch=z9hG4bKa, SIP/2.0/UDP [2001:db8::9]:5070;branch=z9hG4bKb\r\n" +
        "Max-Forwards: 70\r\n" +
        "t: <sip:12345@hotline.example>\r\n" +
        "f: \"Zhang \\\"San\\\"\" <sip:13812345678@10.0.0.7>;tag=1928301774\r\n" +
        "i: a84b4c76e66710@pc33.example\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "m: <sip:13812345678@10.0.0.7:5062>\r\n" +
        "Subject: a folded\r\n  subject line\r\n" +
        "c: application/sdp\r\n" +
        "l: 4\r\n\r\n" +
        "v=0\r\nextra bytes beyond Content-Length";

    [Test]
    public void Compact_forms_folding_and_repeated_vias_parse_into_one_model()
    {
        var result = SipParser.Parse(Invite);
        Assert.That(result.Success, Is.True, result.ToString());
        var request = (SipRequest)result.Message!;
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("INVITE"));
            Assert.That(request.RequestUri.Transport, Is.EqualTo("udp"));
            Assert.That(request.Vias, Has.Count.EqualTo(3));
            Assert.That(request.TopVia!.HasRport, Is.True);
            Assert.That(request.TopVia.Port, Is.EqualTo(5062));
            Assert.That(request.Vias[2].Host, Is.EqualTo("[2001:db8::9]"));
            Assert.That(request.From!.DisplayName, Is.EqualTo("Zhang \"San\""));
            Assert.That(request.From.Tag, Is.EqualTo("1928301774"));
            Assert.That(request.To!.Tag, Is.Null);
            Assert.That(request.CSeq, Is.EqualTo(new CSeqHeader(314159, "INVITE")));
            Assert.That(request.Headers["Subject"], Is.EqualTo("a folded subject line"));
            Assert.That(request.BodyText, Is.EqualTo("v=0\r"), "a datagram body is cut to Content-Length");
        });
    }

    [Test]
    public void Serialized_message_parses_back_to_the_same_fields()
    {
        var first = SipParser.Parse(Invite).Message!;
        var again = SipParser.Parse(SipSerializer.ToBytes(first));
        Assert.That(again.Success, Is.True, again.ToString());
        Assert.That(again.Message!.StartLine, Is.EqualTo(first.StartLine));
        Assert.That(again.Message.Headers.Select(h => (h.Name, h.Value)).Where(h => h.Name != HeaderNames.ContentLength),
            Is.EqualTo(first.Headers.Select(h => (h.Name, h.Value)).Where(h => h.Name != HeaderNames.ContentLength)));
        Assert.That(again.Message.Body.ToArray(), Is.EqualTo(first.Body.ToArray()));
    }

    [TestCase("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 BYE\r\n\r\n", SipParseError.BadHeaderValue)]
    [TestCase("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCSeq: 1 INVITE\r\n\r\n", SipParseError.MissingHeader)]
    [TestCase("INVITE sip:a@b SIP/7.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 INVITE\r\n\r\n", SipParseError.UnsupportedVersion)]
    [TestCase("INVITE  sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 INVITE\r\n\r\n", SipParseError.BadStartLine)]
    [TestCase("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 INVITE\r\nContent-Length: 10\r\n\r\nabc", SipParseError.BodyTooShort)]
    [TestCase("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP [2001:db8::1;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 INVITE\r\n\r\n", SipParseError.BadHeaderValue)]
    [TestCase("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: \"unterminated <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 INVITE\r\n\r\n", SipParseError.BadHeaderValue)]
    [TestCase("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nMax-Forwards: 300\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 INVITE\r\n\r\n", SipParseError.BadHeaderValue)]
    [TestCase("OPTIONS sip:a@b SIP/2.0\r\nVia: , ,\r\nv:\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\n\r\n", SipParseError.MissingHeader)]
    [TestCase("SIP/2.0 4294967301 Huge\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 INVITE\r\n\r\n", SipParseError.BadStatusCode)]
    public void Malformed_messages_are_refused_with_a_reason(string text, SipParseError expected)
    {
        var result = SipParser.Parse(text);
        Assert.That(result.Error, Is.EqualTo(expected), result.ToString());
        Assert.That(result.Detail, Is.Not.Empty);
    }

    [Test]
    public void A_refused_request_keeps_enough_headers_to_answer_400()
    {
        var result = SipParser.Parse("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 INVITE\r\n\r\n");
        Assert.That(result.CanAnswer, Is.True);
        var response = SipMessageFactory.CreateResponse(result.Headers!, result.ResponseStatus, result.Detail!);
        Assert.That(response.StatusCode, Is.EqualTo(400));
        Assert.That(response.Headers[HeaderNames.Via], Is.EqualTo("SIP/2.0/UDP h;branch=z9hG4bK1"));
    }

    [TestCase("\r\n\r\n", SipParseError.Empty)]
    [TestCase("", SipParseError.Empty)]
    [TestCase("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h", SipParseError.Incomplete)]
    public void Keepalives_and_truncated_datagrams_do_not_parse(string text, SipParseError expected) =>
        Assert.That(SipParser.Parse(text).Error, Is.EqualTo(expected));

    [TestCase("sip:user@[2001:db8::10]:5070;transport=tcp", "[2001:db8::10]", 5070)]
    [TestCase("sip:[2001:db8::10]", "[2001:db8::10]", null)]
    [TestCase("sips:alice:secret@example.com;lr?subject=hi", "example.com", null)]
    public void Sip_uris_with_ipv6_references_parse(string text, string host, int? port)
    {
        Assert.That(SipUri.TryParse(text, out var uri, out var error), Is.True, error);
        Assert.That(uri!.Host, Is.EqualTo(host));
        Assert.That(uri.Port, Is.EqualTo(port));
        Assert.That(uri.ToString(), Is.EqualTo(text));
    }

    [TestCase("sip:[2001:db8::10")]
    [TestCase("sip:2001:db8::10")]
    [TestCase("sip:user@host:99999")]
    [TestCase("sip:us%zzer@host")]
    public void Bad_sip_uris_are_refused(string text) =>
        Assert.That(SipUri.TryParse(text, out _, out _), Is.False);

    [Test]
    public void An_addr_spec_may_be_followed_by_lws_before_its_parameters()
    {
        Assert.That(NameAddress.TryParse("sip:a@b.example ;  tag = 7x", out var value, out var error), Is.True, error);
        Assert.That(value!.Uri.Host, Is.EqualTo("b.example"));
        Assert.That(value.Tag, Is.EqualTo("7x"));
        Assert.That(NameAddress.TryParse("sip:a@b.example x;tag=1", out _, out _), Is.False, "a space inside the addr-spec is still refused");
    }

    [Test]
    public void The_rfc3261_abnf_three_colon_ipv6_form_is_tolerated_and_written_without_the_extra_colon()
    {
        // RFC 5118 §4.10: a receiver may parse 2001:db8:::192.0.2.1, ignoring the extra colon.
        Assert.That(SipUri.TryParse("sip:user@[2001:db8:::192.0.2.1]:5070", out var uri, out var error), Is.True, error);
        Assert.That(uri!.Host, Is.EqualTo("[2001:db8::192.0.2.1]"));
        Assert.That(uri.Port, Is.EqualTo(5070));
        Assert.That(SipUri.TryParse("sip:[2001:db8:::1]", out _, out _), Is.False, "only before an IPv4 tail");
        Assert.That(SipUri.TryParse("sip:[2001:db8::::192.0.2.1]", out _, out _), Is.False);
    }

    [Test]
    public void A_request_without_from_to_and_call_id_is_still_answered_400_when_it_has_a_via()
    {
        // RFC 4475 §3.3.1: "Ideally, it will respond with a 400 Bad Request error."
        var result = SipParser.Parse("INVITE sip:a@b SIP/2.0\r\nCSeq: 1 INVITE\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nContent-Length: 0\r\n\r\n");
        Assert.That(result.Error, Is.EqualTo(SipParseError.MissingHeader));
        Assert.That(result.CanAnswer, Is.True);
        var response = SipMessageFactory.CreateResponse(result.Headers!, result.ResponseStatus, "Bad Request");
        Assert.That(response.Headers[HeaderNames.CSeq], Is.EqualTo("1 INVITE"));
        Assert.That(SipParser.Parse("INVITE sip:a@b SIP/2.0\r\nCSeq: 1 INVITE\r\n\r\n").CanAnswer, Is.False, "no Via: nowhere to send it");
        Assert.That(SipParser.Parse("ACK sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCSeq: 1 ACK\r\n\r\n").CanAnswer, Is.False, "ACK is never answered");
    }

    [Test]
    public void A_datagram_missing_only_its_empty_line_is_refused_for_its_worst_defect()
    {
        const string head = "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\n";
        Assert.That(SipParser.Parse(head + "CSeq: 1 OPTIONS\r\n").Error, Is.EqualTo(SipParseError.Incomplete));
        var mismatch = SipParser.Parse(head + "CSeq: 1 INVITE\r\n");
        Assert.That(mismatch.Error, Is.EqualTo(SipParseError.BadHeaderValue), mismatch.ToString());
        Assert.That(SipParser.Parse(head + "CSeq: 1 INVITE").Error, Is.EqualTo(SipParseError.Incomplete), "cut inside a line");
    }

    [TestCase("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\rInjected: 1\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\n\r\n", SipParseError.BadHeaderLine)]
    [TestCase("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\nTo: \"a\r\" <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\n\r\n", SipParseError.BadHeaderLine)]
    [TestCase("SIP/2.0 200 OK\rInjected: 1\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\n\r\n", SipParseError.BadStartLine)]
    public void A_bare_cr_is_refused_so_it_cannot_reach_a_response(string text, SipParseError expected)
    {
        var result = SipParser.Parse(text);
        Assert.That(result.Error, Is.EqualTo(expected), result.ToString());
        if (result.CanAnswer)
        {
            var response = SipSerializer.ToBytes(SipMessageFactory.CreateResponse(result.Headers!, result.ResponseStatus, "Bad Request"));
            Assert.That(response.Count(b => b == '\r'), Is.EqualTo(response.Count(b => b == '\n')), "every CR of the 400 ends a line");
        }
    }

    [Test]
    public void A_reason_quoting_a_huge_value_is_cut_short()
    {
        var result = SipParser.Parse($"OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP {new string('h', 70_000)}.;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\n\r\n");
        Assert.That(result.Error, Is.EqualTo(SipParseError.BadHeaderValue));
        Assert.That(result.Detail!.Length, Is.LessThanOrEqualTo(SipParseResult.MaxDetailLength));
        Assert.That(result.Detail, Does.StartWith("Via: "));
    }

    [Test]
    public void The_top_via_is_the_first_value_of_the_first_via_field()
    {
        var vias = string.Concat(Enumerable.Range(0, 500).Select(i => $"Via: SIP/2.0/UDP 10.0.{i / 250}.{i % 250 + 1};branch=z9hG4bKv{i}\r\n"));
        var text = $"OPTIONS sip:a@b SIP/2.0\r\nVia: , SIP/2.0/TCP first.example;branch=z9hG4bKfirst, SIP/2.0/UDP second.example;branch=z9hG4bK2\r\n{vias}" +
                   "From: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\n\r\n";
        var message = SipParser.Parse(text).Message!;
        Assert.That(message.TopVia!.Host, Is.EqualTo("first.example"));
        Assert.That(message.Vias, Has.Count.EqualTo(502));
        Assert.That(message.Headers.GetFirstValue(HeaderNames.CallId), Is.EqualTo("1"));
        Assert.That(message.Headers.GetFirstValue(HeaderNames.Route), Is.Null);
    }

    [Test]
    public void Uri_equivalence_follows_rfc3261_19_1_4()
    {
        Assert.That(SipUri.Parse("sip:%61lice@ATLANTA.com;transport=TCP").IsEquivalentTo(SipUri.Parse("sip:alice@AtLanTa.CoM;Transport=tcp")), Is.True);
        Assert.That(SipUri.Parse("sip:alice@atlanta.com").IsEquivalentTo(SipUri.Parse("sip:alice@atlanta.com:5060")), Is.False);
        Assert.That(SipUri.Parse("sip:carol@chicago.com").IsEquivalentTo(SipUri.Parse("sip:carol@chicago.com;security=on")), Is.True);
        Assert.That(SipUri.Parse("sip:bob@biloxi.com").IsEquivalentTo(SipUri.Parse("sip:bob@biloxi.com;transport=udp")), Is.False);
    }

    [Test]
    public void List_headers_split_on_commas_outside_quotes_and_brackets()
    {
        var values = new List<string>();
        SipHeaders.SplitList("\"Lee, Tom\" <sip:a@b;x=1,2>, <sip:c@d>;q=0.5 , sip:e@f", values);
        Assert.That(values, Is.EqualTo(new[] { "\"Lee, Tom\" <sip:a@b;x=1,2>", "<sip:c@d>;q=0.5", "sip:e@f" }));
    }
}
