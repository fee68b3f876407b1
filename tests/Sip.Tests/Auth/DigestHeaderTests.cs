using Telephony.Sip.Auth;

namespace Telephony.Sip.Tests.Auth;

public class DigestHeaderTests
{
    [Test]
    public void Challenge_is_written_with_quoted_strings_and_token_algorithm()
    {
        var challenge = new DigestChallenge
        {
            Realm = "12345.example.cn",
            Nonce = "abc",
            Algorithm = DigestAlgorithm.Sha256,
            Qop = "auth",
        };

        Assert.That(challenge.ToHeaderValue(),
            Is.EqualTo("Digest realm=\"12345.example.cn\", nonce=\"abc\", algorithm=SHA-256, qop=\"auth\""));
    }

    [Test]
    public void Stale_and_opaque_are_written_when_set()
    {
        var challenge = new DigestChallenge { Realm = "r", Nonce = "n", Opaque = "o", Stale = true, Qop = "auth" };

        Assert.That(challenge.ToHeaderValue(),
            Is.EqualTo("Digest realm=\"r\", nonce=\"n\", opaque=\"o\", stale=TRUE, algorithm=MD5, qop=\"auth\""));
    }

    [Test]
    public void Rfc3261_example_challenge_is_parsed()
    {
        const string value = "Digest realm=\"atlanta.com\",\r\n domain=\"sip:boxesbybob.com\", qop=\"auth\",\r\n" +
                             " nonce=\"f84f1cec41e6cbe5aea9c8e88d359\",\r\n opaque=\"\", stale=FALSE, algorithm=MD5";

        Assert.That(DigestChallenge.TryParse(value, out var challenge, out var error), Is.True, error);
        Assert.That(challenge, Is.EqualTo(new DigestChallenge
        {
            Realm = "atlanta.com",
            Nonce = "f84f1cec41e6cbe5aea9c8e88d359",
            Opaque = "",
            Qop = "auth",
            Algorithm = DigestAlgorithm.Md5,
            Stale = false,
        }));
        Assert.That(challenge!.OffersQopAuth, Is.True);
    }

    [Test]
    public void Escapes_commas_in_quotes_odd_spacing_and_name_case_are_handled()
    {
        const string value = "digest   REALM = \"a \\\"quoted\\\" realm, with comma\" ,,nonce=\"n\\\\1\"  ,Qop=\"auth-int, auth\",stale=true ,  ALGORITHM=sha-256";

        Assert.That(DigestChallenge.TryParse(value, out var challenge, out var error), Is.True, error);
        Assert.That(challenge!.Realm, Is.EqualTo("a \"quoted\" realm, with comma"));
        Assert.That(challenge.Nonce, Is.EqualTo("n\\1"));
        Assert.That(challenge.Qop, Is.EqualTo("auth-int, auth"));
        Assert.That(challenge.OffersQopAuth, Is.True);
        Assert.That(challenge.Stale, Is.True);
        Assert.That(challenge.Algorithm, Is.EqualTo(DigestAlgorithm.Sha256));
    }

    [Test]
    public void Written_challenge_parses_back_to_itself_even_with_quotes_and_backslashes()
    {
        var challenge = new DigestChallenge { Realm = "r\"e\\al,m", Nonce = "n", Opaque = "x,y", Algorithm = DigestAlgorithm.Sha256, Qop = "auth", Stale = true };

        Assert.That(DigestChallenge.TryParse(challenge.ToHeaderValue(), out var parsed, out var error), Is.True, error);
        Assert.That(parsed, Is.EqualTo(challenge));
    }

    [Test]
    public void Missing_algorithm_means_md5_and_missing_qop_is_rfc2069()
    {
        Assert.That(DigestChallenge.TryParse("Digest realm=\"r\", nonce=\"n\"", out var challenge, out _), Is.True);
        Assert.That(challenge!.Algorithm, Is.EqualTo(DigestAlgorithm.Md5));
        Assert.That(challenge.Qop, Is.Null);
        Assert.That(challenge.OffersQopAuth, Is.False);
    }

    [TestCase(null, "empty")]
    [TestCase("", "empty")]
    [TestCase("Basic realm=\"r\"", "is not Digest")]
    [TestCase("Digest", "no parameters")]
    [TestCase("Digest nonce=\"n\"", "without realm")]
    [TestCase("Digest realm=\"r\"", "without nonce")]
    [TestCase("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256", "unsupported algorithm")]
    [TestCase("Digest realm=\"r, nonce=\"n\"", "expected \",\"")]
    [TestCase("Digest realm=\"r\", nonce=\"n", "unterminated")]
    [TestCase("Digest realm=\"r\", nonce=\"n\\", "unterminated")]
    [TestCase("Digest realm=\"r\" nonce=\"n\"", "expected \",\"")]
    [TestCase("Digest realm=\"r\", realm=\"s\", nonce=\"n\"", "appears twice")]
    [TestCase("Digest realm", "has no value")]
    [TestCase("Digest realm=, nonce=n", "empty value")]
    [TestCase("Digest =\"r\"", "expected a parameter name")]
    [TestCase("Digest realm=\"a\u0001b\", nonce=n", "control character")]
    [TestCase("Digest realm=\"a\\\nb\", nonce=n", "control character")]
    public void Bad_challenges_are_refused_with_a_reason(string? value, string reason)
    {
        Assert.That(DigestChallenge.TryParse(value, out var challenge, out var error), Is.False);
        Assert.That(challenge, Is.Null);
        Assert.That(error, Does.Contain(reason));
    }

    [Test]
    public void Rfc2617_example_authorization_is_parsed()
    {
        const string value = "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", " +
                             "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, " +
                             "nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", " +
                             "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

        Assert.That(DigestCredentials.TryParse(value, out var credentials, out var error), Is.True, error);
        Assert.That(credentials, Is.EqualTo(new DigestCredentials
        {
            Username = "Mufasa",
            Realm = "testrealm@host.com",
            Nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            Uri = "/dir/index.html",
            Response = "6629fae49393a05397450978507c4ef1",
            Qop = "auth",
            NonceCount = "00000001",
            Cnonce = "0a4f113b",
            Opaque = "5ccc069c403ebaf9f0171e9517f40e41",
        }));
        Assert.That(credentials!.EffectiveAlgorithm, Is.EqualTo(DigestAlgorithm.Md5));
        Assert.That(DigestComputation.ExpectedResponse(credentials, "GET", "Circle Of Life"), Is.EqualTo(credentials.Response));
    }

    [Test]
    public void Credentials_are_written_with_unquoted_qop_nc_and_algorithm()
    {
        var credentials = new DigestCredentials
        {
            Username = "1001",
            Realm = "12345.example.cn",
            Nonce = "n",
            Uri = "sip:12345.example.cn",
            Response = "r",
            Algorithm = DigestAlgorithm.Sha256,
            Cnonce = "c",
            Qop = "auth",
            NonceCount = "00000001",
        };

        Assert.That(credentials.ToHeaderValue(), Is.EqualTo(
            "Digest username=\"1001\", realm=\"12345.example.cn\", nonce=\"n\", uri=\"sip:12345.example.cn\", " +
            "response=\"r\", algorithm=SHA-256, cnonce=\"c\", qop=auth, nc=00000001"));
        Assert.That(DigestCredentials.TryParse(credentials.ToHeaderValue(), out var parsed, out _), Is.True);
        Assert.That(parsed, Is.EqualTo(credentials));
    }

    [Test]
    public void Quoted_qop_from_sloppy_clients_is_accepted()
    {
        const string value = "Digest username=\"u\",realm=\"r\",nonce=\"n\",uri=\"sip:r\",response=\"x\",qop=\"auth\",nc=00000002,cnonce=\"c\"";

        Assert.That(DigestCredentials.TryParse(value, out var credentials, out _), Is.True);
        Assert.That((credentials!.Qop, credentials.NonceCount), Is.EqualTo(("auth", "00000002")));
    }

    [TestCase("username")]
    [TestCase("realm")]
    [TestCase("nonce")]
    [TestCase("uri")]
    [TestCase("response")]
    public void Credentials_missing_a_required_parameter_are_refused(string missing)
    {
        var parts = new Dictionary<string, string>
        {
            ["username"] = "u", ["realm"] = "r", ["nonce"] = "n", ["uri"] = "sip:r", ["response"] = "x",
        };
        parts.Remove(missing);
        var value = "Digest " + string.Join(", ", parts.Select(p => $"{p.Key}=\"{p.Value}\""));

        Assert.That(DigestCredentials.TryParse(value, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(missing));
    }

    [Test]
    public void Writing_a_value_with_a_line_break_is_refused()
    {
        var challenge = new DigestChallenge { Realm = "r\r\nVia: evil", Nonce = "n" };

        Assert.Throws<ArgumentException>(() => challenge.ToHeaderValue());
    }

    [Test]
    public void Garbage_headers_never_throw()
    {
        var random = new Random(54321);
        const string alphabet = "Digest realm=\"\\, nonce qop=auth\r\n\t";
        for (var i = 0; i < 3000; i++)
        {
            var chars = new char[random.Next(0, 120)];
            for (var j = 0; j < chars.Length; j++)
                chars[j] = alphabet[random.Next(alphabet.Length)];
            var text = new string(chars);
            Assert.DoesNotThrow(() => DigestChallenge.TryParse(text, out _, out _));
            Assert.DoesNotThrow(() => DigestCredentials.TryParse(text, out _, out _));
        }
    }
}
