using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Telephony.Host.Api;

/// <summary>
/// The desktop passwords: <c>Agents:Seats:N:DeskPassword</c>, next to the seat it opens. It is a separate secret from
/// the SIP account's password (docs/sip.md), so a leaked phone configuration does not open the desktop, and the
/// ACD's model (<c>AgentAccount</c>) never carries it. A seat without one cannot log in to the desktop.
/// </summary>
public sealed class DeskPasswords
{
    private readonly Dictionary<string, byte[]> hashes = new(StringComparer.Ordinal);

    public DeskPasswords(IConfiguration configuration)
    {
        foreach (var seat in configuration.GetSection("Agents:Seats").GetChildren())
            if (seat["Id"] is { Length: > 0 } id && seat["DeskPassword"] is { Length: > 0 } password)
                hashes[id] = Hash(password);
    }

    public IReadOnlyCollection<string> AgentsWithPassword => hashes.Keys;

    /// <summary>Compares hashes in constant time, so timing does not tell how much of a guess was right.</summary>
    public bool Verify(string? agentId, string? password)
    {
        var given = Hash(password ?? "");
        var expected = agentId is not null && hashes.TryGetValue(agentId, out var h) ? h : null;
        // Compare even for an unknown agent so an unknown id and a wrong password take the same time.
        return CryptographicOperations.FixedTimeEquals(expected ?? new byte[given.Length], given) && expected is not null;
    }

    private static byte[] Hash(string password) => SHA256.HashData(Encoding.UTF8.GetBytes(password));
}
