using System.Globalization;
using Microsoft.Extensions.Logging;
using Telephony.Sip.Auth;
using Telephony.Sip.Message;
using Telephony.Sip.Transport;
using Telephony.Sip.UserAgent;

namespace Telephony.Sip.Registrar;

/// <summary>
/// The registrar of RFC 3261 §10.3 with digest authentication (§22, RFC 8760 SHA-256 and MD5, qop=auth,
/// stale nonces re-challenged with stale=true): add, refresh and remove bindings, several contacts per
/// AOR, <c>Contact: *</c> with <c>Expires: 0</c> to remove all, a REGISTER without Contact to fetch them.
/// </summary>
public sealed class SipRegistrar
{
    private readonly SipEngineOptions _options;
    private readonly IAccountDirectory _accounts;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly DigestServer _digest;

    public RegistrationStore Store { get; }

    public SipRegistrar(SipEngineOptions options, IAccountDirectory accounts, TimeProvider time, ILogger log)
    {
        _options = options;
        _accounts = accounts;
        _time = time;
        _log = log;
        _digest = new DigestServer(options.Domain, time, challengeOrder: options.DigestAlgorithms);
        Store = new RegistrationStore(time);
    }

    public SipResponse Handle(SipRequest request, SipEndPoint source)
    {
        // Steps 3-4: authenticate, and the authenticated user may only change its own AOR.
        var to = request.To!;
        var user = to.Uri.User;
        if (user is null || _accounts.PasswordFor(user) is null)
            return SipMessageFactory.CreateResponse(request, 404, "Not Found");
        var authorization = request.Headers[HeaderNames.Authorization];
        if (authorization is null || !DigestCredentials.TryParse(authorization, out var credentials, out _))
            return Challenge(request, stale: false);
        // RFC 7616 §3.4.6, RFC 2617 §3.2.2.5: the digest-uri must name this request, or a digest captured from
        // another request could be replayed here. Checked before Verify, so a mismatch spends no nonce-count.
        if (!NamesRequestUri(credentials!.Uri, request.RequestUri))
            return SipMessageFactory.CreateResponse(request, 400, "Authorization uri does not match Request-URI");
        var verdict = _digest.Verify(credentials!, request.Method, _accounts.PasswordFor);
        switch (verdict)
        {
            case DigestVerification.Ok: break;
            case DigestVerification.Stale: return Challenge(request, stale: true);
            case DigestVerification.Malformed: return SipMessageFactory.CreateResponse(request, 400, "Bad Authorization Header");
            default:
                _log.LogWarning("REGISTER for {User} from {Source} refused: {Verdict}", user, source.ToString(), verdict);
                return Challenge(request, stale: false);
        }
        if (!string.Equals(credentials!.Username, user, StringComparison.Ordinal))
            return SipMessageFactory.CreateResponse(request, 403, "Forbidden (user does not own this AOR)");

        // Steps 5-8.
        var contacts = request.Headers.GetAll(HeaderNames.Contact);
        var expiresHeader = ParseExpires(request.Headers[HeaderNames.Expires]);
        if (contacts.Contains("*"))
        {
            if (contacts.Count != 1 || expiresHeader != 0) return SipMessageFactory.CreateResponse(request, 400, "Contact * needs Expires 0 and no other contacts");
            var removed = Store.Update(user, list => ApplyWildcard(list, request));
            if (removed is not null) return removed;
            _log.LogInformation("Unregistered every contact of {User}", user);
            return Ok(request, user);
        }
        var parsed = request.Contacts;
        if (parsed.Count != contacts.Count) return SipMessageFactory.CreateResponse(request, 400, "Bad Contact");
        var changes = new List<(NameAddress Contact, int Expires)>();
        foreach (var contact in parsed)
        {
            var expires = ParseExpires(contact.Parameters["expires"]) ?? expiresHeader ?? _options.DefaultRegisterExpiresSeconds;
            if (expires > 0 && expires < _options.MinRegisterExpiresSeconds)
            {
                var brief = SipMessageFactory.CreateResponse(request, 423);
                brief.Headers.Add(HeaderNames.MinExpires, _options.MinRegisterExpiresSeconds.ToString(CultureInfo.InvariantCulture));
                return brief;
            }
            changes.Add((contact, Math.Min(expires, _options.MaxRegisterExpiresSeconds)));
        }
        var failure = Store.Update(user, list => Apply(list, request, source, changes));
        if (failure is not null) return failure;
        foreach (var (contact, expires) in changes)
            _log.LogInformation("{Action} {User} at {Contact} for {Expires} s", expires == 0 ? "Unregistered" : "Registered", user, contact.Uri.ToString(), expires);
        return Ok(request, user);
    }

    private SipResponse? ApplyWildcard(List<Binding> list, SipRequest request)
    {
        var callId = request.CallId!;
        var cseq = request.CSeq.Number;
        if (list.Exists(b => b.CallId == callId && b.CSeq >= cseq)) return OutOfOrder(request);
        list.Clear();
        return null;
    }

    /// <summary>§10.3 step 7: same Call-ID needs a higher CSeq; expires 0 removes, otherwise add or update.</summary>
    private SipResponse? Apply(List<Binding> list, SipRequest request, SipEndPoint source, List<(NameAddress Contact, int Expires)> changes)
    {
        var callId = request.CallId!;
        var cseq = request.CSeq.Number;
        foreach (var (contact, _) in changes)
            if (list.Find(b => b.Uri.IsEquivalentTo(contact.Uri)) is { } existing && existing.CallId == callId && existing.CSeq >= cseq)
                return OutOfOrder(request);
        var now = _time.GetUtcNow();
        foreach (var (contact, expires) in changes)
        {
            list.RemoveAll(b => b.Uri.IsEquivalentTo(contact.Uri));
            if (expires > 0) list.Add(new Binding(contact, callId, cseq, now.AddSeconds(expires), source));
        }
        return null;
    }

    private static SipResponse OutOfOrder(SipRequest request) =>
        SipMessageFactory.CreateResponse(request, 500, "Out Of Order Registration");

    private SipResponse Ok(SipRequest request, string user)
    {
        var ok = SipMessageFactory.CreateResponse(request, 200, toTag: SipMessageFactory.NewTag());
        var now = _time.GetUtcNow();
        foreach (var b in Store.Lookup(user))
        {
            var remaining = Math.Max(0, (int)Math.Ceiling((b.Expires - now).TotalSeconds));
            var p = b.Contact.Parameters.Clone();
            p.Set("expires", remaining.ToString(CultureInfo.InvariantCulture));
            ok.Headers.Add(HeaderNames.Contact, new NameAddress { DisplayName = b.Contact.DisplayName, Uri = b.Contact.Uri, Parameters = p }.ToString());
        }
        ok.Headers.Add(HeaderNames.Date, now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture));
        return ok;
    }

    private SipResponse Challenge(SipRequest request, bool stale)
    {
        var challenge = SipMessageFactory.CreateResponse(request, 401, toTag: SipMessageFactory.NewTag());
        foreach (var c in _digest.CreateChallenges(stale)) challenge.Headers.Add(HeaderNames.WwwAuthenticate, c.ToHeaderValue());
        return challenge;
    }

    /// <summary>The same URI (§19.1.4 equivalence), or failing a parse, the same text.</summary>
    private static bool NamesRequestUri(string digestUri, SipUri requestUri) =>
        SipUri.TryParse(digestUri, out var uri, out _)
            ? uri!.IsEquivalentTo(requestUri)
            : string.Equals(digestUri, requestUri.ToString(), StringComparison.Ordinal);

    private static int? ParseExpires(string? text) =>
        text is not null && long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? (int)Math.Min(n, int.MaxValue) : null;
}
