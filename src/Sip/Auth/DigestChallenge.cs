// RFC 3261 §22.1 and §25.1 (WWW-Authenticate / Proxy-Authenticate), RFC 2617 §3.2.1 and RFC 7616 §3.3
// (the digest challenge and its parameters), RFC 8760 §2.3 (one challenge per algorithm).
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Telephony.Sip.Auth;

/// <summary>One digest challenge, the value of one WWW-Authenticate or Proxy-Authenticate header.</summary>
public sealed record DigestChallenge
{
    public required string Realm { get; init; }

    public required string Nonce { get; init; }

    /// <summary>Returned unchanged by the client; we do not need it because our nonces carry their own state.</summary>
    public string? Opaque { get; init; }

    /// <summary>MD5 when the challenge does not say (RFC 2617 §3.2.1).</summary>
    public DigestAlgorithm Algorithm { get; init; } = DigestAlgorithm.Md5;

    /// <summary>
    /// The qop-options as written, e.g. "auth" or "auth,auth-int"; null from an RFC 2069 server. RFC 3261 §22.4
    /// says servers MUST send it, so ours always says "auth".
    /// </summary>
    public string? Qop { get; init; }

    /// <summary>The nonce expired but the credentials were right: retry with the new nonce, do not ask the user.</summary>
    public bool Stale { get; init; }

    public bool OffersQopAuth => Qop is not null
        && Qop.Split(',').Any(q => q.Trim().Equals("auth", StringComparison.OrdinalIgnoreCase));

    /// <summary>E.g. <c>Digest realm="12345.example.cn", nonce="…", algorithm=SHA-256, qop="auth"</c>.</summary>
    public string ToHeaderValue()
    {
        var text = new StringBuilder("Digest ");
        AuthParameters.Append(text, "realm", Realm, quoted: true);
        AuthParameters.Append(text, "nonce", Nonce, quoted: true);
        if (Opaque is not null)
            AuthParameters.Append(text, "opaque", Opaque, quoted: true);
        if (Stale)
            AuthParameters.Append(text, "stale", "TRUE", quoted: false);
        AuthParameters.Append(text, "algorithm", Algorithm.ToToken(), quoted: false);
        if (Qop is not null)
            AuthParameters.Append(text, "qop", Qop, quoted: true);
        return text.ToString();
    }

    /// <summary>
    /// Parses a challenge. Unknown parameters (domain, charset, ...) are ignored. False for another scheme or an
    /// algorithm we do not implement, so a UAC can move on to the next challenge (RFC 8760 §2.4).
    /// </summary>
    public static bool TryParse(
        string? headerValue,
        [NotNullWhen(true)] out DigestChallenge? challenge,
        [NotNullWhen(false)] out string? error)
    {
        challenge = null;
        if (!AuthParameters.TryParse(headerValue, out var p, out error))
            return false;
        if (!p.TryGetValue("realm", out var realm))
        {
            error = "challenge without realm";
            return false;
        }
        if (!p.TryGetValue("nonce", out var nonce) || nonce.Length == 0)
        {
            error = "challenge without nonce";
            return false;
        }
        var algorithm = DigestAlgorithm.Md5;
        if (p.TryGetValue("algorithm", out var token) && !DigestAlgorithms.TryParse(token, out algorithm))
        {
            error = $"unsupported algorithm \"{token}\"";
            return false;
        }
        challenge = new DigestChallenge
        {
            Realm = realm,
            Nonce = nonce,
            Opaque = p.GetValueOrDefault("opaque"),
            Algorithm = algorithm,
            Qop = p.GetValueOrDefault("qop"),
            Stale = p.TryGetValue("stale", out var stale) && stale.Equals("true", StringComparison.OrdinalIgnoreCase),
        };
        error = null;
        return true;
    }
}
