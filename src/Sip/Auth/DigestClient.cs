// RFC 3261 §22.2-§22.3 (a UAC answering 401/407), RFC 2617 §3.2.2 / RFC 7616 §3.4 (building the response),
// RFC 8760 §2.4 (with several challenges, use the topmost one whose algorithm we support).
using System.Security.Cryptography;

namespace Telephony.Sip.Auth;

/// <summary>Our UAC's side of digest authentication.</summary>
public static class DigestClient
{
    /// <summary>
    /// The first challenge we can answer, in header order: the server lists them most preferred first, and
    /// <see cref="DigestChallenge.TryParse"/> refuses algorithms and schemes we do not implement.
    /// </summary>
    public static DigestChallenge? ChooseChallenge(IEnumerable<string> headerValues)
    {
        foreach (var value in headerValues)
        {
            if (DigestChallenge.TryParse(value, out var challenge, out _))
                return challenge;
        }
        return null;
    }

    /// <summary>
    /// Credentials for a request. qop=auth is used when offered (RFC 3261 §22.4: a client MUST send qop when the
    /// challenge had it). A challenge offering only auth-int gets an RFC 2069 response, which the server will most
    /// likely refuse: auth-int would need the body and is not implemented.
    /// </summary>
    /// <param name="nonceCount">How many requests this nonce has signed, this one included (1 for the first).</param>
    public static DigestCredentials Respond(
        DigestChallenge challenge,
        string method,
        string uri,
        string username,
        string password,
        string? cnonce = null,
        int nonceCount = 1)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(uri);
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(nonceCount, 1);

        var algorithm = challenge.Algorithm;
        var ha1 = DigestComputation.Ha1(algorithm, username, challenge.Realm, password);
        var ha2 = DigestComputation.Ha2(algorithm, method, uri);

        if (!challenge.OffersQopAuth)
        {
            return new DigestCredentials
            {
                Username = username,
                Realm = challenge.Realm,
                Nonce = challenge.Nonce,
                Uri = uri,
                Response = DigestComputation.Response(algorithm, ha1, challenge.Nonce, ha2),
                Algorithm = algorithm,
                Opaque = challenge.Opaque,
            };
        }

        // 128 random bits: the cnonce is what keeps a chosen-plaintext server from predicting our input.
        cnonce ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var nc = nonceCount.ToString("x8");
        return new DigestCredentials
        {
            Username = username,
            Realm = challenge.Realm,
            Nonce = challenge.Nonce,
            Uri = uri,
            Response = DigestComputation.Response(algorithm, ha1, challenge.Nonce, nc, cnonce, "auth", ha2),
            Algorithm = algorithm,
            Cnonce = cnonce,
            NonceCount = nc,
            Qop = "auth",
            Opaque = challenge.Opaque,
        };
    }
}
