using Telephony.Sip.Auth;

namespace Telephony.Sip.Tests.Auth;

public class DigestComputationTests
{
    // RFC 7616 §3.9.1. The password is "Circle of Life" with a lowercase "of" (erratum 4495);
    // RFC 2617 §3.5 used "Circle Of Life".
    private const string Rfc7616Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private const string Rfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    [Test]
    public void Rfc2617_section_3_5_example_gives_the_published_md5_response()
    {
        var ha1 = DigestComputation.Ha1(DigestAlgorithm.Md5, "Mufasa", "testrealm@host.com", "Circle Of Life");
        var ha2 = DigestComputation.Ha2(DigestAlgorithm.Md5, "GET", "/dir/index.html");

        var response = DigestComputation.Response(DigestAlgorithm.Md5, ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            "00000001", "0a4f113b", "auth", ha2);

        Assert.That(response, Is.EqualTo("6629fae49393a05397450978507c4ef1"));
    }

    [Test]
    public void Rfc7616_section_3_9_1_example_gives_the_published_sha256_response()
    {
        var ha1 = DigestComputation.Ha1(DigestAlgorithm.Sha256, "Mufasa", "http-auth@example.org", "Circle of Life");
        var ha2 = DigestComputation.Ha2(DigestAlgorithm.Sha256, "GET", "/dir/index.html");

        var response = DigestComputation.Response(DigestAlgorithm.Sha256, ha1, Rfc7616Nonce, "00000001", Rfc7616Cnonce, "auth", ha2);

        Assert.That(response, Is.EqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"));
    }

    [Test]
    public void Rfc7616_section_3_9_1_example_gives_the_published_md5_response()
    {
        var ha1 = DigestComputation.Ha1(DigestAlgorithm.Md5, "Mufasa", "http-auth@example.org", "Circle of Life");
        var ha2 = DigestComputation.Ha2(DigestAlgorithm.Md5, "GET", "/dir/index.html");

        var response = DigestComputation.Response(DigestAlgorithm.Md5, ha1, Rfc7616Nonce, "00000001", Rfc7616Cnonce, "auth", ha2);

        Assert.That(response, Is.EqualTo("8ca523f5e9506fed4657c9700eebdbec"));
    }

    [Test]
    public void Rfc2069_example_without_qop_gives_the_published_response()
    {
        // RFC 2069 §2.4: the password there is "CircleOfLife", without spaces.
        var ha1 = DigestComputation.Ha1(DigestAlgorithm.Md5, "Mufasa", "testrealm@host.com", "CircleOfLife");
        var ha2 = DigestComputation.Ha2(DigestAlgorithm.Md5, "GET", "/dir/index.html");

        var response = DigestComputation.Response(DigestAlgorithm.Md5, ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", ha2);

        Assert.That(response, Is.EqualTo("1949323746fe6a43ef61f9606e7febea"));
    }

    [Test]
    public void Hashes_are_lowercase_hex_of_the_right_length()
    {
        Assert.That(DigestAlgorithm.Md5.Hash("x"), Does.Match("^[0-9a-f]{32}$"));
        Assert.That(DigestAlgorithm.Sha256.Hash("x"), Does.Match("^[0-9a-f]{64}$"));
    }

    [Test]
    public void Non_ascii_usernames_are_hashed_as_utf8()
    {
        Assert.That(DigestComputation.Ha1(DigestAlgorithm.Md5, "张三", "r", "p"),
            Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData("张三:r:p"u8))));
    }

    [TestCase("MD5", DigestAlgorithm.Md5)]
    [TestCase("md5", DigestAlgorithm.Md5)]
    [TestCase("SHA-256", DigestAlgorithm.Sha256)]
    [TestCase("sha-256", DigestAlgorithm.Sha256)]
    public void Algorithm_tokens_are_case_insensitive(string token, DigestAlgorithm expected)
    {
        Assert.That(DigestAlgorithms.TryParse(token, out var algorithm), Is.True);
        Assert.That(algorithm, Is.EqualTo(expected));
    }

    [TestCase("MD5-sess")]
    [TestCase("SHA-512-256")]
    [TestCase("")]
    public void Algorithms_we_do_not_implement_are_refused(string token)
    {
        Assert.That(DigestAlgorithms.TryParse(token, out _), Is.False);
    }
}
