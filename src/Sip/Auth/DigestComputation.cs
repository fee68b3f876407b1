// RFC 2617 §3.2.2.1-§3.2.2.3 and RFC 7616 §3.4.1-§3.4.3 (request-digest, A1, A2), RFC 2069 §2.1.2 (without qop),
// RFC 3261 §22.4 (SIP uses the request method and the Request-URI in A2).
namespace Telephony.Sip.Auth;

/// <summary>The digest arithmetic; every value is lowercase hex of the algorithm's hash.</summary>
public static class DigestComputation
{
    /// <summary>HA1 = H(username ":" realm ":" password). Only "auth" A1, no "-sess".</summary>
    public static string Ha1(DigestAlgorithm algorithm, string username, string realm, string password) =>
        algorithm.Hash($"{username}:{realm}:{password}");

    /// <summary>HA2 = H(method ":" digest-uri) for qop=auth or no qop.</summary>
    public static string Ha2(DigestAlgorithm algorithm, string method, string uri) =>
        algorithm.Hash($"{method}:{uri}");

    /// <summary>Without qop (RFC 2069): KD(HA1, nonce ":" HA2).</summary>
    public static string Response(DigestAlgorithm algorithm, string ha1, string nonce, string ha2) =>
        algorithm.Hash($"{ha1}:{nonce}:{ha2}");

    /// <summary>With qop: KD(HA1, nonce ":" nc ":" cnonce ":" qop ":" HA2).</summary>
    public static string Response(
        DigestAlgorithm algorithm, string ha1, string nonce, string nonceCount, string cnonce, string qop, string ha2) =>
        algorithm.Hash($"{ha1}:{nonce}:{nonceCount}:{cnonce}:{qop}:{ha2}");

    /// <summary>The response the credentials should carry for this method and password, with or without qop.</summary>
    public static string ExpectedResponse(DigestCredentials credentials, string method, string password)
    {
        var algorithm = credentials.EffectiveAlgorithm;
        var ha1 = Ha1(algorithm, credentials.Username, credentials.Realm, password);
        var ha2 = Ha2(algorithm, method, credentials.Uri);
        return credentials.Qop is null
            ? Response(algorithm, ha1, credentials.Nonce, ha2)
            : Response(algorithm, ha1, credentials.Nonce, credentials.NonceCount ?? "", credentials.Cnonce ?? "",
                credentials.Qop, ha2);
    }
}
