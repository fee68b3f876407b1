using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Sip.Auth;
using Telephony.Sip.Message;
using Telephony.Sip.Registrar;
using Telephony.Sip.Tests.UserAgent;
using Telephony.Sip.Transport;
using Telephony.Sip.UserAgent;

namespace Telephony.Sip.Tests.Registrar;

/// <summary>
/// The registrar of RFC 3261 §10.3 with digest authentication (§22.4, RFC 8760), driven over loopback UDP with
/// exact REGISTER requests; the time-based cases (binding expiry, stale nonces) on a registrar with a fake clock.
/// </summary>
public class RegistrarTests
{
    private static readonly Dictionary<string, string> Accounts = new() { ["agent1"] = "secret1", ["agent2"] = "secret2" };

    private EngineHarness _harness = null!;
    private RawSipPeer _peer = null!;
    private string _callId = null!;
    private uint _cseq;
    private DigestChallenge? _challenge;
    private int _nc;

    private int Port => _harness.Port;
    private RegistrationStore Store => _harness.Engine.Registrar!.Store;
    private string RequestUri => $"sip:127.0.0.1:{Port}";

    [SetUp]
    public void Start()
    {
        _harness = new EngineHarness(t1: TimeSpan.FromMilliseconds(50), accounts: Accounts);
        _peer = new RawSipPeer(_harness.Port);
        _callId = Guid.NewGuid().ToString("N");
        _cseq = 0;
        _challenge = null;
        _nc = 0;
    }

    [TearDown]
    public async Task Stop()
    {
        _peer.Dispose();
        await _harness.DisposeAsync();
    }

    // ---- building REGISTER requests ----

    private static string Register(string requestUri, string viaHost, int viaPort, string callId, uint cseq,
        IEnumerable<string>? contacts = null, string? expires = null, string? authorization = null,
        string aor = "agent1", string fromUser = "agent1")
    {
        var sb = new StringBuilder();
        sb.Append($"REGISTER {requestUri} SIP/2.0\r\n");
        sb.Append($"Via: SIP/2.0/UDP {viaHost}:{viaPort};branch={SipMessageFactory.NewBranch()};rport\r\n");
        sb.Append("Max-Forwards: 70\r\n");
        // A fresh From tag each time: the engine's merged-request check (§8.2.2.2) keys on From tag, Call-ID and CSeq.
        sb.Append($"From: <sip:{fromUser}@12345.local>;tag={SipMessageFactory.NewTag()}\r\n");
        sb.Append($"To: <sip:{aor}@12345.local>\r\n");
        sb.Append($"Call-ID: {callId}\r\n");
        sb.Append($"CSeq: {cseq} REGISTER\r\n");
        foreach (var c in contacts ?? []) sb.Append($"Contact: {c}\r\n");
        if (expires is not null) sb.Append($"Expires: {expires}\r\n");
        if (authorization is not null) sb.Append($"Authorization: {authorization}\r\n");
        sb.Append("Content-Length: 0\r\n\r\n");
        return sb.ToString();
    }

    private string Contact(string user = "agent1", int port = 5070, string parameters = "") => $"<sip:{user}@127.0.0.1:{port}>{parameters}";

    /// <summary>Sends one REGISTER on the test's Call-ID with the next CSeq and returns the final response.</summary>
    private SipResponse Send(IEnumerable<string>? contacts = null, string? expires = null, string? authorization = null,
        string aor = "agent1", string fromUser = "agent1", uint? cseq = null)
    {
        var number = cseq ?? ++_cseq;
        _peer.Send(Register(RequestUri, _peer.LocalHost, _peer.LocalPort, _callId, number, contacts, expires, authorization, aor, fromUser));
        return ReceiveFinal();
    }

    private SipResponse ReceiveFinal()
    {
        while (true)
        {
            var message = _peer.Receive(3000) ?? throw new AssertionException("no response to REGISTER");
            if (message is SipResponse { StatusCode: >= 200 } r) return r;
        }
    }

    /// <summary>A challenge from the registrar (a REGISTER without credentials on its own Call-ID), of the given algorithm.</summary>
    private DigestChallenge FetchChallenge(DigestAlgorithm algorithm = DigestAlgorithm.Md5)
    {
        _peer.Send(Register(RequestUri, _peer.LocalHost, _peer.LocalPort, Guid.NewGuid().ToString("N"), 1, [Contact()], "3600"));
        var unauthorized = ReceiveFinal();
        Assert.That(unauthorized.StatusCode, Is.EqualTo(401));
        return Challenges(unauthorized).Single(c => c.Algorithm == algorithm);
    }

    private static List<DigestChallenge> Challenges(SipResponse response) =>
        response.Headers.GetAll(HeaderNames.WwwAuthenticate).Select(v =>
        {
            Assert.That(DigestChallenge.TryParse(v, out var c, out var error), Is.True, error);
            return c!;
        }).ToList();

    /// <summary>Credentials for the next REGISTER: one challenge per test, nonce-count advancing as a real client does.</summary>
    private string Credentials(string user = "agent1", string password = "secret1", string? uri = null, DigestAlgorithm algorithm = DigestAlgorithm.Md5)
    {
        if (_challenge is null || _challenge.Algorithm != algorithm)
        {
            _challenge = FetchChallenge(algorithm);
            _nc = 0;
        }
        return DigestClient.Respond(_challenge, SipMethod.Register, uri ?? RequestUri, user, password, nonceCount: ++_nc).ToHeaderValue();
    }

    /// <summary>An authenticated REGISTER of agent1 that must succeed.</summary>
    private SipResponse RegisterOk(IEnumerable<string>? contacts, string? expires = null, uint? cseq = null)
    {
        var ok = Send(contacts, expires, Credentials(), cseq: cseq);
        Assert.That(ok.StatusCode, Is.EqualTo(200), ok.StartLine);
        return ok;
    }

    private static int ExpiresOf(NameAddress contact) => int.Parse(contact.Parameters["expires"]!);

    // ---- authentication (§10.3 steps 3-4, §22.4, RFC 8760) ----

    [Test]
    public void Register_without_credentials_gets_401_with_a_sha256_then_an_md5_challenge_offering_qop_auth()
    {
        var response = Send([Contact()], "3600");
        Assert.That(response.StatusCode, Is.EqualTo(401));
        Assert.That(response.To!.Tag, Is.Not.Null, "a final response carries a To tag");
        var challenges = Challenges(response);
        Assert.That(challenges.Select(c => c.Algorithm), Is.EqualTo(new[] { DigestAlgorithm.Sha256, DigestAlgorithm.Md5 }));
        Assert.That(challenges, Has.All.Matches<DigestChallenge>(c => c.OffersQopAuth && c.Qop == "auth" && !c.Stale && c.Realm == "12345.local"));
        Assert.That(Store.Lookup("agent1"), Is.Empty, "nothing is bound before authentication");
    }

    [Test]
    public void Register_with_md5_credentials_gets_200_listing_the_contact_with_its_expires()
    {
        var ok = Send([Contact()], "3600", Credentials(algorithm: DigestAlgorithm.Md5));
        Assert.That(ok.StatusCode, Is.EqualTo(200));
        Assert.That(ok.Contacts, Has.Count.EqualTo(1));
        Assert.That(ok.Contacts[0].Uri.ToString(), Is.EqualTo("sip:agent1@127.0.0.1:5070"));
        Assert.That(ExpiresOf(ok.Contacts[0]), Is.InRange(3599, 3600));
        Assert.That(ok.Headers[HeaderNames.Date], Is.Not.Null);
        var binding = Store.Lookup("agent1").Single();
        Assert.That(binding.Uri.ToString(), Is.EqualTo("sip:agent1@127.0.0.1:5070"));
        Assert.That(binding.Source.EndPoint.Port, Is.EqualTo(_peer.LocalPort), "the binding remembers where the REGISTER came from");
    }

    [Test]
    public void Register_with_sha256_credentials_gets_200()
    {
        var ok = Send([Contact()], "3600", Credentials(algorithm: DigestAlgorithm.Sha256));
        Assert.That(ok.StatusCode, Is.EqualTo(200));
        Assert.That(Store.Lookup("agent1"), Has.Count.EqualTo(1));
    }

    [Test]
    public void Register_with_a_wrong_password_gets_401_again_and_binds_nothing()
    {
        var response = Send([Contact()], "3600", Credentials(password: "not-the-password"));
        Assert.That(response.StatusCode, Is.EqualTo(401));
        Assert.That(Challenges(response), Has.All.Matches<DigestChallenge>(c => !c.Stale), "stale=true is only for a client that knows the password");
        Assert.That(Store.Lookup("agent1"), Is.Empty);
    }

    [Test]
    public void Register_replaying_a_nonce_count_gets_401()
    {
        var authorization = Credentials();
        Assert.That(Send([Contact()], "3600", authorization).StatusCode, Is.EqualTo(200));
        Assert.That(Send([Contact(port: 5080)], "3600", authorization).StatusCode, Is.EqualTo(401), "the same nc for the same nonce is a replay");
        Assert.That(Store.Lookup("agent1"), Has.Count.EqualTo(1));
    }

    [Test]
    public void Register_for_an_unknown_user_gets_404()
    {
        var response = Send([Contact("nobody")], "3600", aor: "nobody", fromUser: "nobody");
        Assert.That(response.StatusCode, Is.EqualTo(404));
    }

    [Test]
    public void Register_of_someone_elses_aor_gets_403()
    {
        var response = Send([Contact()], "3600", Credentials(user: "agent2", password: "secret2"), aor: "agent1", fromUser: "agent2");
        Assert.That(response.StatusCode, Is.EqualTo(403));
        Assert.That(Store.Lookup("agent1"), Is.Empty);
    }

    [Test]
    public void Register_whose_credentials_name_another_uri_gets_400()
    {
        // A correct digest, but computed over another Request-URI (RFC 7616 §3.4.6, RFC 2617 §3.2.2.5): no binding.
        var response = Send([Contact()], "3600", Credentials(uri: "sip:elsewhere.example.com"));
        Assert.That(response.StatusCode, Is.EqualTo(400));
        Assert.That(Store.Lookup("agent1"), Is.Empty);
    }

    // ---- bindings (§10.3 steps 5-8) ----

    [Test]
    public void Expires_below_min_expires_gets_423_with_min_expires()
    {
        var brief = Send([Contact()], "30", Credentials());
        Assert.That(brief.StatusCode, Is.EqualTo(423));
        Assert.That(brief.Headers[HeaderNames.MinExpires], Is.EqualTo("60"));
        var briefParameter = Send([Contact(parameters: ";expires=59")], null, Credentials());
        Assert.That(briefParameter.StatusCode, Is.EqualTo(423), "the contact's expires parameter counts too");
        Assert.That(Store.Lookup("agent1"), Is.Empty);
    }

    [Test]
    public void Expires_above_the_maximum_is_cut_to_it()
    {
        var ok = RegisterOk([Contact()], "100000");
        Assert.That(ExpiresOf(ok.Contacts.Single()), Is.InRange(7199, 7200));
    }

    [Test]
    public void Several_contacts_for_one_aor_are_all_bound_and_listed()
    {
        var ok = RegisterOk([Contact(port: 5070), Contact(port: 5080, parameters: ";expires=120")], "3600");
        Assert.That(ok.Contacts.Select(c => c.Uri.Port), Is.EquivalentTo(new int?[] { 5070, 5080 }));
        Assert.That(ExpiresOf(ok.Contacts.Single(c => c.Uri.Port == 5080)), Is.InRange(119, 120), "the contact parameter beats the Expires header");
        // A second registration from elsewhere (another Call-ID) adds to the set.
        _callId = Guid.NewGuid().ToString("N");
        var more = RegisterOk([Contact(port: 5090)], "3600");
        Assert.That(more.Contacts, Has.Count.EqualTo(3));
        Assert.That(Store.Lookup("agent1"), Has.Count.EqualTo(3));
    }

    [Test]
    public void Refresh_keeps_one_binding_with_the_new_expiry()
    {
        RegisterOk([Contact()], "3600");
        var refreshed = RegisterOk([Contact()], "600");
        Assert.That(refreshed.Contacts, Has.Count.EqualTo(1));
        Assert.That(ExpiresOf(refreshed.Contacts[0]), Is.InRange(599, 600));
        var binding = Store.Lookup("agent1").Single();
        Assert.That(binding.CSeq, Is.EqualTo(_cseq));
    }

    [Test]
    public void Expires_zero_on_one_contact_removes_only_that_binding()
    {
        RegisterOk([Contact(port: 5070), Contact(port: 5080)], "3600");
        var ok = RegisterOk([Contact(port: 5070, parameters: ";expires=0")]);
        Assert.That(ok.Contacts.Select(c => c.Uri.Port), Is.EqualTo(new int?[] { 5080 }));
        Assert.That(Store.Lookup("agent1").Select(b => b.Uri.Port), Is.EqualTo(new int?[] { 5080 }));
    }

    [Test]
    public void Wildcard_contact_with_expires_zero_removes_every_binding()
    {
        RegisterOk([Contact(port: 5070), Contact(port: 5080)], "3600");
        var ok = RegisterOk(["*"], "0");
        Assert.That(ok.Contacts, Is.Empty);
        Assert.That(ok.Headers.Contains(HeaderNames.Contact), Is.False);
        Assert.That(Store.Lookup("agent1"), Is.Empty);
    }

    [Test]
    public void Wildcard_contact_without_expires_zero_gets_400()
    {
        RegisterOk([Contact()], "3600");
        Assert.That(Send(["*"], null, Credentials()).StatusCode, Is.EqualTo(400));
        Assert.That(Send(["*"], "3600", Credentials()).StatusCode, Is.EqualTo(400));
        Assert.That(Send(["*", Contact(port: 5080)], "0", Credentials()).StatusCode, Is.EqualTo(400), "* must stand alone");
        Assert.That(Store.Lookup("agent1"), Has.Count.EqualTo(1));
    }

    [Test]
    public void Register_without_contact_fetches_the_bindings_and_changes_nothing()
    {
        RegisterOk([Contact(port: 5070), Contact(port: 5080)], "3600");
        var fetched = RegisterOk(null);
        Assert.That(fetched.Contacts.Select(c => c.Uri.Port), Is.EquivalentTo(new int?[] { 5070, 5080 }));
        Assert.That(fetched.Contacts, Has.All.Matches<NameAddress>(c => ExpiresOf(c) is > 3500 and <= 3600));
        Assert.That(Store.Lookup("agent1"), Has.Count.EqualTo(2));
    }

    [Test]
    public void Register_with_an_unparseable_contact_gets_400()
    {
        RegisterOk([Contact()], "3600");
        var response = Send(["<sip:agent1@127.0.0.1:5080"], "3600", Credentials());
        Assert.That(response.StatusCode, Is.EqualTo(400), "not mistaken for a fetch");
        Assert.That(Store.Lookup("agent1"), Has.Count.EqualTo(1));
    }

    [Test]
    public void Same_call_id_with_a_lower_cseq_is_refused_and_leaves_the_binding()
    {
        RegisterOk([Contact()], "3600", cseq: 10);
        var stale = Send([Contact()], "0", Credentials(), cseq: 5);
        Assert.That(stale.StatusCode, Is.EqualTo(500));
        Assert.That(Send([Contact()], "0", Credentials(), cseq: 10).StatusCode, Is.EqualTo(500), "an equal CSeq is no newer either");
        Assert.That(Store.Lookup("agent1"), Has.Count.EqualTo(1));
        Assert.That(Send(["*"], "0", Credentials(), cseq: 7).StatusCode, Is.EqualTo(500), "nor may an old request remove everything");
        Assert.That(Store.Lookup("agent1"), Has.Count.EqualTo(1));
        // Another Call-ID (the phone rebooted) may update whatever its CSeq.
        _callId = Guid.NewGuid().ToString("N");
        RegisterOk([Contact(parameters: ";expires=0")], cseq: 1);
        Assert.That(Store.Lookup("agent1"), Is.Empty);
    }

    // ---- time: binding expiry and stale nonces, on a registrar with a fake clock ----

    private sealed class Direct
    {
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
        public SipRegistrar Registrar { get; }
        public SipEndPoint Source { get; } = new(SipTransportKind.Udp, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 5070));
        private const string Uri = "sip:12345.local";
        private readonly string _callId = Guid.NewGuid().ToString("N");
        private uint _cseq;

        public Direct() => Registrar = new SipRegistrar(new SipEngineOptions { DigestAlgorithms = [Telephony.Sip.Auth.DigestAlgorithm.Sha256, Telephony.Sip.Auth.DigestAlgorithm.Md5] }, new ConfiguredAccounts(Accounts), Clock, NullLogger.Instance);

        public SipResponse Handle(IEnumerable<string>? contacts, string? expires, string? authorization)
        {
            var text = Register(Uri, "127.0.0.1", 5070, _callId, ++_cseq, contacts, expires, authorization);
            var parsed = SipParser.Parse(Encoding.UTF8.GetBytes(text));
            Assert.That(parsed.Success, Is.True);
            return Registrar.Handle((SipRequest)parsed.Message!, Source);
        }

        public string Answer(SipResponse unauthorized, int nc = 1)
        {
            var md5 = Challenges(unauthorized).Single(c => c.Algorithm == DigestAlgorithm.Md5);
            return DigestClient.Respond(md5, SipMethod.Register, Uri, "agent1", "secret1", nonceCount: nc).ToHeaderValue();
        }
    }

    [Test]
    public void Bindings_expire_on_the_clock_and_lookup_then_finds_nothing()
    {
        var r = new Direct();
        var challenge = r.Handle(["<sip:agent1@127.0.0.1:5070>"], "60", null);
        var ok = r.Handle(["<sip:agent1@127.0.0.1:5070>", "<sip:agent1@127.0.0.1:5080>;expires=120"], "60", r.Answer(challenge));
        Assert.That(ok.StatusCode, Is.EqualTo(200));
        Assert.That(r.Registrar.Store.Lookup("agent1"), Has.Count.EqualTo(2));
        r.Clock.Advance(TimeSpan.FromSeconds(30));
        var fetched = r.Handle(null, null, r.Answer(challenge, nc: 2));
        Assert.That(fetched.Contacts.Select(ExpiresOf), Is.EquivalentTo(new[] { 30, 90 }), "the 200 gives the time left");
        r.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.That(r.Registrar.Store.Lookup("agent1").Select(b => b.Uri.Port), Is.EqualTo(new int?[] { 5080 }));
        r.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.That(r.Registrar.Store.Lookup("agent1"), Is.Empty);
        Assert.That(r.Registrar.Store.Snapshot().GetValueOrDefault("agent1"), Is.Null.Or.Empty);
    }

    [Test]
    public void Expired_nonce_with_the_right_password_gets_401_with_stale_true_then_the_new_nonce_works()
    {
        var r = new Direct();
        var challenge = r.Handle(["<sip:agent1@127.0.0.1:5070>"], "3600", null);
        r.Clock.Advance(TimeSpan.FromSeconds(301));
        var stale = r.Handle(["<sip:agent1@127.0.0.1:5070>"], "3600", r.Answer(challenge));
        Assert.That(stale.StatusCode, Is.EqualTo(401));
        var challenges = Challenges(stale);
        Assert.That(challenges, Has.Count.EqualTo(2));
        Assert.That(challenges, Has.All.Matches<DigestChallenge>(c => c.Stale));
        Assert.That(r.Registrar.Store.Lookup("agent1"), Is.Empty);
        Assert.That(r.Handle(["<sip:agent1@127.0.0.1:5070>"], "3600", r.Answer(stale)).StatusCode, Is.EqualTo(200));
    }

    [Test]
    public void Expired_nonce_with_a_wrong_password_is_not_told_stale()
    {
        var r = new Direct();
        var challenge = r.Handle(["<sip:agent1@127.0.0.1:5070>"], "3600", null);
        r.Clock.Advance(TimeSpan.FromSeconds(301));
        var md5 = Challenges(challenge).Single(c => c.Algorithm == DigestAlgorithm.Md5);
        var wrong = DigestClient.Respond(md5, SipMethod.Register, "sip:12345.local", "agent1", "guess").ToHeaderValue();
        var response = r.Handle(["<sip:agent1@127.0.0.1:5070>"], "3600", wrong);
        Assert.That(response.StatusCode, Is.EqualTo(401));
        Assert.That(Challenges(response), Has.All.Matches<DigestChallenge>(c => !c.Stale));
    }
}
