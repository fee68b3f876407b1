using Telephony.Sip.Auth;

namespace Telephony.Sip.Tests.Auth;

public class DigestClientTests
{
    [Test]
    public void Client_reproduces_the_rfc7616_sha256_example()
    {
        var challenge = new DigestChallenge
        {
            Realm = "http-auth@example.org",
            Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
            Opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
            Algorithm = DigestAlgorithm.Sha256,
            Qop = "auth, auth-int",
        };

        var credentials = DigestClient.Respond(challenge, "GET", "/dir/index.html", "Mufasa", "Circle of Life",
            cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", nonceCount: 1);

        Assert.That(credentials.Response, Is.EqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"));
        Assert.That((credentials.Qop, credentials.NonceCount, credentials.Opaque),
            Is.EqualTo(("auth", "00000001", "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS")));
        Assert.That(credentials.Algorithm, Is.EqualTo(DigestAlgorithm.Sha256));
    }

    [Test]
    public void Client_reproduces_the_rfc2617_md5_example()
    {
        DigestChallenge.TryParse("Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", " +
                                 "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"",
            out var challenge, out _);

        var credentials = DigestClient.Respond(challenge!, "GET", "/dir/index.html", "Mufasa", "Circle Of Life", "0a4f113b");

        Assert.That(credentials.Response, Is.EqualTo("6629fae49393a05397450978507c4ef1"));
    }

    [Test]
    public void Nonce_count_is_eight_lowercase_hex_digits()
    {
        var challenge = new DigestChallenge { Realm = "r", Nonce = "n", Qop = "auth" };

        Assert.That(DigestClient.Respond(challenge, "REGISTER", "sip:r", "u", "p", nonceCount: 0x1a).NonceCount,
            Is.EqualTo("0000001a"));
    }

    [Test]
    public void Client_makes_a_fresh_cnonce_each_time()
    {
        var challenge = new DigestChallenge { Realm = "r", Nonce = "n", Qop = "auth" };

        var a = DigestClient.Respond(challenge, "REGISTER", "sip:r", "u", "p");
        var b = DigestClient.Respond(challenge, "REGISTER", "sip:r", "u", "p");

        Assert.That(a.Cnonce, Does.Match("^[0-9a-f]{32}$"));
        Assert.That(a.Cnonce, Is.Not.EqualTo(b.Cnonce));
    }

    [Test]
    public void Challenge_without_qop_gets_an_rfc2069_response()
    {
        var challenge = new DigestChallenge { Realm = "r", Nonce = "n" };

        var credentials = DigestClient.Respond(challenge, "INVITE", "sip:12345@r", "u", "p");

        Assert.That((credentials.Qop, credentials.Cnonce, credentials.NonceCount), Is.EqualTo(((string?)null, (string?)null, (string?)null)));
        Assert.That(credentials.ToHeaderValue(), Does.Not.Contain("qop").And.Not.Contain("nc="));
        Assert.That(credentials.Response, Is.EqualTo(DigestComputation.ExpectedResponse(credentials, "INVITE", "p")));
    }

    [Test]
    public void Topmost_supported_challenge_is_chosen()
    {
        var headers = new[]
        {
            "Digest realm=\"r\", nonce=\"a\", algorithm=SHA-512-256, qop=\"auth\"",
            "Digest realm=\"r\", nonce=\"b\", algorithm=SHA-256, qop=\"auth\"",
            "Digest realm=\"r\", nonce=\"c\", algorithm=MD5, qop=\"auth\"",
        };

        Assert.That(DigestClient.ChooseChallenge(headers)!.Algorithm, Is.EqualTo(DigestAlgorithm.Sha256));
        Assert.That(DigestClient.ChooseChallenge(["Basic realm=\"r\""]), Is.Null);
    }
}
