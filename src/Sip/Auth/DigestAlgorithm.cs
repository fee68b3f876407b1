// RFC 7616 §3.2 and §6.1 (the "algorithm" parameter and the hash algorithm registry), RFC 8760 §2.1
// (SIP adds SHA-256 and SHA-512/256 next to MD5), RFC 2617 §3.2.1 (no algorithm parameter means MD5).
using System.Security.Cryptography;
using System.Text;

namespace Telephony.Sip.Auth;

/// <summary>The digest hash algorithms we implement. The "-sess" variants and SHA-512/256 are not supported.</summary>
public enum DigestAlgorithm
{
    Md5,
    Sha256,
}

public static class DigestAlgorithms
{
    /// <summary>The token written in the algorithm parameter.</summary>
    public static string ToToken(this DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Sha256 => "SHA-256",
        _ => "MD5",
    };

    /// <summary>Tokens are compared without case (RFC 7616 §3.3 treats them case-insensitively).</summary>
    public static bool TryParse(string? token, out DigestAlgorithm algorithm)
    {
        algorithm = DigestAlgorithm.Md5;
        if (token is null)
            return false;
        if (token.Equals("MD5", StringComparison.OrdinalIgnoreCase))
            return true;
        if (token.Equals("SHA-256", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Sha256;
            return true;
        }
        return false;
    }

    /// <summary>H(data): the lowercase hex digest of the UTF-8 bytes (RFC 7616 §3.4.1, RFC 8760 §2.2).</summary>
    public static string Hash(this DigestAlgorithm algorithm, string data)
    {
        var bytes = Encoding.UTF8.GetBytes(data);
        return Convert.ToHexStringLower(algorithm == DigestAlgorithm.Sha256 ? SHA256.HashData(bytes) : MD5.HashData(bytes));
    }
}
