using Microsoft.Extensions.Time.Testing;
using Telephony.Sip.Auth;

namespace Telephony.Sip.Tests.Auth;

public class DigestServerTests
{
    private const string Realm = "12345.example.cn";
    private const string Uri = "sip:12345.example.cn";

    private FakeTimeProvider _time = null!;
    private DigestServer _server = null!;

    private static string? Passwords(string user) => user == "1001" ? "s3cret" : null;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.FromHours(8)));
        _server = new DigestServer(Realm, _time);
    }

    private DigestCredentials Respond(DigestAlgorithm algorithm, string user = "1001", string password = "s3cret", int nc = 1, string method = "REGISTER")
    {
        var challenge = _server.CreateChallenges().Single(c => c.Algorithm == algorithm);
        // Through the header text, as it would travel.
        DigestChallenge.TryParse(challenge.ToHeaderValue(), out var parsed, out _);
        var credentials = DigestClient.Respond(parsed!, method, Uri, user, password, nonceCount: nc);
        Assert.That(DigestCredentials.TryParse(credentials.ToHeaderValue(), out var back, out var error), Is.True, error);
        return back!;
    }

    private DigestVerification Verify(DigestCredentials credentials, string method = "REGISTER") =>
        _server.Verify(credentials, method, Passwords);

    [Test]
    public void Challenges_offer_sha256_first_then_md5_with_qop_auth()
    {
        var challenges = _server.CreateChallenges();

        Assert.That(challenges.Select(c => c.Algorithm), Is.EqualTo(new[] { DigestAlgorithm.Sha256, DigestAlgorithm.Md5 }));
        Assert.That(challenges.All(c => c is { Realm: Realm, Qop: "auth", Stale: false }), Is.True);
        Assert.That(challenges[0].ToHeaderValue(), Does.StartWith($"Digest realm=\"{Realm}\", nonce=\"")
            .And.EndWith("\", algorithm=SHA-256, qop=\"auth\""));
    }

    [Test]
    public void Stale_challenges_say_so()
    {
        Assert.That(_server.CreateChallenges(stale: true).All(c => c.Stale), Is.True);
        Assert.That(_server.CreateChallenges(stale: true)[0].ToHeaderValue(), Does.Contain("stale=TRUE"));
    }

    [Test]
    public void Nonces_are_unique_and_url_safe()
    {
        var a = _server.CreateNonce();
        var b = _server.CreateNonce();

        Assert.That(a, Is.Not.EqualTo(b));
        Assert.That(a, Does.Match("^[A-Za-z0-9_-]{75}$"));
    }

    [TestCase(DigestAlgorithm.Sha256)]
    [TestCase(DigestAlgorithm.Md5)]
    public void Client_response_is_accepted(DigestAlgorithm algorithm)
    {
        Assert.That(Verify(Respond(algorithm)), Is.EqualTo(DigestVerification.Ok));
    }

    [Test]
    public void Nonce_is_good_until_its_lifetime_ends()
    {
        var credentials = Respond(DigestAlgorithm.Sha256);
        _time.Advance(TimeSpan.FromSeconds(299));

        Assert.That(Verify(credentials), Is.EqualTo(DigestVerification.Ok));
    }

    [Test]
    public void Expired_nonce_with_the_right_password_is_stale()
    {
        var credentials = Respond(DigestAlgorithm.Sha256);
        _time.Advance(TimeSpan.FromSeconds(301));

        Assert.That(Verify(credentials), Is.EqualTo(DigestVerification.Stale));
    }

    [Test]
    public void Expired_nonce_with_a_wrong_password_is_not_called_stale()
    {
        var credentials = Respond(DigestAlgorithm.Sha256, password: "guess");
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.That(Verify(credentials), Is.EqualTo(DigestVerification.WrongResponse));
    }

    [Test]
    public void Nonce_lifetime_can_be_configured()
    {
        _server = new DigestServer(Realm, _time, TimeSpan.FromSeconds(30));
        var credentials = Respond(DigestAlgorithm.Md5);
        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.That(Verify(credentials), Is.EqualTo(DigestVerification.Stale));
    }

    [Test]
    public void Nonce_from_the_future_is_stale()
    {
        // Issued by a node whose clock is a minute ahead (or by us before our clock stepped back).
        var secret = new byte[32];
        var ahead = new DigestServer(Realm, new FakeTimeProvider(_time.GetUtcNow().AddMinutes(1)), secret: secret);
        var credentials = DigestClient.Respond(ahead.CreateChallenges()[0], "REGISTER", Uri, "1001", "s3cret");

        Assert.That(new DigestServer(Realm, _time, secret: secret).Verify(credentials, "REGISTER", Passwords),
            Is.EqualTo(DigestVerification.Stale));
    }

    [Test]
    public void Tampered_nonce_is_bad()
    {
        var credentials = Respond(DigestAlgorithm.Sha256);
        var nonce = credentials.Nonce.ToCharArray();
        nonce[3] = nonce[3] == 'A' ? 'B' : 'A'; // inside the timestamp: an attacker extending its life
        var tampered = credentials with { Nonce = new string(nonce) };

        Assert.That(Verify(tampered), Is.EqualTo(DigestVerification.BadNonce));
    }

    [TestCase("")]
    [TestCase("dcd98b7102dd2f0e8b11d0f600bfb0c093")]
    [TestCase("not base64 at all!")]
    public void Nonce_we_never_issued_is_bad(string nonce)
    {
        Assert.That(Verify(Respond(DigestAlgorithm.Md5) with { Nonce = nonce }), Is.EqualTo(DigestVerification.BadNonce));
    }

    [Test]
    public void Junk_nonces_never_throw()
    {
        var credentials = Respond(DigestAlgorithm.Md5);
        var random = new Random(7);
        const string alphabet = "AZaz09-_+/= .\u00e9";
        for (var i = 0; i < 2000; i++)
        {
            var chars = new char[random.Next(2) == 0 ? 75 : random.Next(0, 120)];
            for (var j = 0; j < chars.Length; j++)
                chars[j] = alphabet[random.Next(alphabet.Length)];
            var junk = credentials with { Nonce = new string(chars) };
            Assert.That(Verify(junk), Is.EqualTo(DigestVerification.BadNonce));
        }
    }

    [Test]
    public void Nonce_in_non_canonical_spelling_is_bad()
    {
        var credentials = Respond(DigestAlgorithm.Md5);

        Assert.That(Verify(credentials with { Nonce = credentials.Nonce + "=" }), Is.EqualTo(DigestVerification.BadNonce));
    }

    [Test]
    public void Nonce_from_another_secret_is_bad()
    {
        var other = new DigestServer(Realm, _time, secret: new byte[32]);
        var challenge = other.CreateChallenges()[0];
        var credentials = DigestClient.Respond(challenge, "REGISTER", Uri, "1001", "s3cret");

        Assert.That(Verify(credentials), Is.EqualTo(DigestVerification.BadNonce));
    }

    [Test]
    public void Nonce_from_another_realm_of_the_same_process_is_bad()
    {
        var other = new DigestServer("other.example.cn", _time);
        var credentials = DigestClient.Respond(other.CreateChallenges()[0] with { Realm = Realm }, "REGISTER", Uri, "1001", "s3cret");

        Assert.That(Verify(credentials), Is.EqualTo(DigestVerification.BadNonce));
    }

    [Test]
    public void Wrong_password_is_a_wrong_response()
    {
        Assert.That(Verify(Respond(DigestAlgorithm.Sha256, password: "S3cret")), Is.EqualTo(DigestVerification.WrongResponse));
    }

    [Test]
    public void Response_for_another_method_is_wrong()
    {
        Assert.That(Verify(Respond(DigestAlgorithm.Sha256, method: "REGISTER"), method: "INVITE"),
            Is.EqualTo(DigestVerification.WrongResponse));
    }

    [Test]
    public void Uppercase_hex_response_is_accepted()
    {
        var credentials = Respond(DigestAlgorithm.Md5);

        Assert.That(Verify(credentials with { Response = credentials.Response.ToUpperInvariant() }), Is.EqualTo(DigestVerification.Ok));
    }

    [Test]
    public void Unknown_user_is_reported()
    {
        Assert.That(Verify(Respond(DigestAlgorithm.Md5, user: "9999")), Is.EqualTo(DigestVerification.UnknownUser));
    }

    [Test]
    public void Credentials_for_another_realm_are_a_realm_mismatch()
    {
        Assert.That(Verify(Respond(DigestAlgorithm.Md5) with { Realm = "proxy.example.cn" }),
            Is.EqualTo(DigestVerification.RealmMismatch));
    }

    [Test]
    public void Qop_auth_without_cnonce_is_malformed()
    {
        Assert.That(Verify(Respond(DigestAlgorithm.Md5) with { Cnonce = null }), Is.EqualTo(DigestVerification.Malformed));
    }

    [TestCase(null)]
    [TestCase("1")]
    [TestCase("0000000g")]
    [TestCase("00000000")]
    [TestCase("000000001")]
    public void Qop_auth_with_a_bad_or_missing_nonce_count_is_malformed(string? nc)
    {
        Assert.That(Verify(Respond(DigestAlgorithm.Md5) with { NonceCount = nc }), Is.EqualTo(DigestVerification.Malformed));
    }

    [Test]
    public void Qop_auth_int_is_malformed_since_we_never_offer_it()
    {
        Assert.That(Verify(Respond(DigestAlgorithm.Md5) with { Qop = "auth-int" }), Is.EqualTo(DigestVerification.Malformed));
    }

    [Test]
    public void Response_without_qop_is_refused_unless_allowed()
    {
        var challenge = _server.CreateChallenges()[1] with { Qop = null };
        var credentials = DigestClient.Respond(challenge, "REGISTER", Uri, "1001", "s3cret");

        Assert.That(Verify(credentials), Is.EqualTo(DigestVerification.Malformed));
        var lenient = new DigestServer(Realm, _time, acceptWithoutQop: true);
        Assert.That(lenient.Verify(credentials, "REGISTER", Passwords), Is.EqualTo(DigestVerification.Ok));
    }

    [Test]
    public void Replayed_request_is_detected_and_a_higher_nonce_count_is_accepted()
    {
        var first = Respond(DigestAlgorithm.Sha256);
        Assert.That(Verify(first), Is.EqualTo(DigestVerification.Ok));
        Assert.That(Verify(first), Is.EqualTo(DigestVerification.Replay));

        var challenge = new DigestChallenge { Realm = Realm, Nonce = first.Nonce, Algorithm = DigestAlgorithm.Sha256, Qop = "auth" };
        var second = DigestClient.Respond(challenge, "REGISTER", Uri, "1001", "s3cret", nonceCount: 2);
        var stale = DigestClient.Respond(challenge, "REGISTER", Uri, "1001", "s3cret", nonceCount: 2);

        Assert.That(Verify(second), Is.EqualTo(DigestVerification.Ok));
        Assert.That(Verify(stale), Is.EqualTo(DigestVerification.Replay));
    }

    [Test]
    public void Nonce_count_memory_stays_bounded()
    {
        _server = new DigestServer(Realm, _time, maxTrackedNonces: 3);
        var remembered = new List<DigestCredentials>();
        for (var i = 0; i < 10; i++)
        {
            var credentials = Respond(DigestAlgorithm.Md5);
            Assert.That(Verify(credentials), Is.EqualTo(DigestVerification.Ok));
            remembered.Add(credentials);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        // The newest nonces are still protected against replay.
        Assert.That(Verify(remembered[^1]), Is.EqualTo(DigestVerification.Replay));
        Assert.That(Verify(remembered[^2]), Is.EqualTo(DigestVerification.Replay));
    }

    [Test]
    public void Constructor_refuses_a_short_secret()
    {
        Assert.Throws<ArgumentException>(() => _ = new DigestServer(Realm, secret: new byte[8]));
    }

    [Test]
    public void Servers_of_one_process_share_the_default_secret()
    {
        var registrar = new DigestServer(Realm, _time);
        var credentials = DigestClient.Respond(registrar.CreateChallenges()[0], "INVITE", Uri, "1001", "s3cret");

        Assert.That(_server.Verify(credentials, "INVITE", Passwords), Is.EqualTo(DigestVerification.Ok));
    }
}
