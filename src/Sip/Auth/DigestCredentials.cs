// RFC 3261 §22.2-§22.4 and §25.1 (Authorization / Proxy-Authorization), RFC 2617 §3.2.2 and RFC 7616 §3.4
// (the digest response and its parameters).
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Telephony.Sip.Auth;

/// <summary>Digest credentials, the value of one Authorization or Proxy-Authorization header.</summary>
public sealed record DigestCredentials
{
    public required string Username { get; init; }

    public required string Realm { get; init; }

    public required string Nonce { get; init; }

    /// <summary>The digest-uri: the Request-URI as the client saw it, part of HA2.</summary>
    public required string Uri { get; init; }

    /// <summary>The request-digest, lowercase hex.</summary>
    public required string Response { get; init; }

    /// <summary>As written; null when absent, which means MD5.</summary>
    public DigestAlgorithm? Algorithm { get; init; }

    public string? Cnonce { get; init; }

    /// <summary>nc: eight hex digits as sent, validated by the server rather than by the parser.</summary>
    public string? NonceCount { get; init; }

    /// <summary>"auth", or null for an RFC 2069 response.</summary>
    public string? Qop { get; init; }

    public string? Opaque { get; init; }

    public DigestAlgorithm EffectiveAlgorithm => Algorithm ?? DigestAlgorithm.Md5;

    /// <summary>
    /// E.g. <c>Digest username="1001", realm="…", nonce="…", uri="sip:12345@…", response="…", algorithm=SHA-256,
    /// cnonce="…", qop=auth, nc=00000001</c>. qop, nc and algorithm are tokens, unquoted (RFC 3261 §25.1).
    /// </summary>
    public string ToHeaderValue()
    {
        var text = new StringBuilder("Digest ");
        AuthParameters.Append(text, "username", Username, quoted: true);
        AuthParameters.Append(text, "realm", Realm, quoted: true);
        AuthParameters.Append(text, "nonce", Nonce, quoted: true);
        AuthParameters.Append(text, "uri", Uri, quoted: true);
        AuthParameters.Append(text, "response", Response, quoted: true);
        if (Algorithm is { } algorithm)
            AuthParameters.Append(text, "algorithm", algorithm.ToToken(), quoted: false);
        if (Cnonce is not null)
            AuthParameters.Append(text, "cnonce", Cnonce, quoted: true);
        if (Opaque is not null)
            AuthParameters.Append(text, "opaque", Opaque, quoted: true);
        if (Qop is not null)
            AuthParameters.Append(text, "qop", Qop, quoted: false);
        if (NonceCount is not null)
            AuthParameters.Append(text, "nc", NonceCount, quoted: false);
        return text.ToString();
    }

    /// <summary>
    /// Parses credentials. Requires username, realm, nonce, uri and response; whether cnonce and nc are present
    /// when qop is, is for <see cref="DigestServer.Verify"/> to judge. Unknown parameters are ignored.
    /// </summary>
    public static bool TryParse(
        string? headerValue,
        [NotNullWhen(true)] out DigestCredentials? credentials,
        [NotNullWhen(false)] out string? error)
    {
        credentials = null;
        if (!AuthParameters.TryParse(headerValue, out var p, out error))
            return false;
        foreach (var required in (string[])["username", "realm", "nonce", "uri", "response"])
        {
            if (!p.ContainsKey(required))
            {
                error = $"credentials without {required}";
                return false;
            }
        }
        DigestAlgorithm? algorithm = null;
        if (p.TryGetValue("algorithm", out var token))
        {
            if (!DigestAlgorithms.TryParse(token, out var parsed))
            {
                error = $"unsupported algorithm \"{token}\"";
                return false;
            }
            algorithm = parsed;
        }
        credentials = new DigestCredentials
        {
            Username = p["username"],
            Realm = p["realm"],
            Nonce = p["nonce"],
            Uri = p["uri"],
            Response = p["response"],
            Algorithm = algorithm,
            Cnonce = p.GetValueOrDefault("cnonce"),
            NonceCount = p.GetValueOrDefault("nc"),
            Qop = p.GetValueOrDefault("qop"),
            Opaque = p.GetValueOrDefault("opaque"),
        };
        error = null;
        return true;
    }
}
