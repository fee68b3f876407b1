using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Telephony.Host.Api;

/// <summary>
/// The keys that open the staff API (work orders, agents and queues, flows, prompts, intake proposals):
/// <c>Api:Keys:N:Name</c> with either <c>Api:Keys:N:Sha256</c> (hex SHA-256 of the key, so the configuration file
/// does not hold the secret) or <c>Api:Keys:N:Key</c> (the key itself, at least 24 characters). A request sends
/// <c>Authorization: Bearer KEY</c>. With no key configured, only direct loopback clients are served (a request
/// carrying a proxy's forwarding header is not direct), which is what a single-box install bound to 127.0.0.1 needs.
/// </summary>
public sealed class StaffApiKeys
{
    public const int MinimumKeyLength = 24;

    private readonly List<(string Name, byte[] Hash)> keys = [];

    public StaffApiKeys(IConfiguration configuration)
    {
        foreach (var entry in configuration.GetSection("Api:Keys").GetChildren())
        {
            var at = $"Api:Keys:{entry.Key}";
            var name = entry["Name"] is { Length: > 0 } n ? n : throw new InvalidOperationException($"{at}:Name is required");
            var hex = entry["Sha256"];
            var key = entry["Key"];
            if (hex is { Length: > 0 } == key is { Length: > 0 })
                throw new InvalidOperationException($"{at}: give exactly one of Sha256 (hex SHA-256 of the key) or Key");
            byte[] hash;
            if (hex is { Length: > 0 })
            {
                try { hash = Convert.FromHexString(hex); }
                catch (FormatException) { throw new InvalidOperationException($"{at}:Sha256 is not hexadecimal"); }
                if (hash.Length != 32) throw new InvalidOperationException($"{at}:Sha256 must be 64 hex digits, got {hex.Length}");
            }
            else
            {
                if (key!.Length < MinimumKeyLength)
                    throw new InvalidOperationException($"{at}:Key must be at least {MinimumKeyLength} characters (./hotline api-key makes one)");
                hash = Hash(key);
            }
            if (keys.Any(k => k.Name == name)) throw new InvalidOperationException($"{at}:Name '{name}' is used twice");
            keys.Add((name, hash));
        }
    }

    public bool Any => keys.Count > 0;

    /// <summary>The name of the key the bearer token matches, or null. Every configured hash is compared, in constant time.</summary>
    public string? Match(string token)
    {
        var given = Hash(token);
        string? found = null;
        foreach (var (name, hash) in keys)
            if (CryptographicOperations.FixedTimeEquals(hash, given)) found ??= name;
        return found;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>A new random key (URL-safe base64 of 32 bytes) and the hex SHA-256 to configure for it.</summary>
    public static (string Key, string Sha256) NewKey()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (key, Convert.ToHexStringLower(Hash(key)));
    }
}

/// <summary>Guards the staff API paths; public pages and APIs (progress, web intake, the desk with its own login) stay open.</summary>
public static class StaffApiAuth
{
    /// <summary>Path prefixes of the staff API. <c>/api/intake/requests</c> (the citizen's web form) is not among them.</summary>
    public static readonly string[] GuardedPrefixes =
        ["/api/tickets", "/api/agents", "/api/queues", "/api/acd", "/api/flows", "/api/prompts", "/api/intake/proposals"];

    /// <summary>The key name the request was let in with (<c>loopback</c> when no key is configured), for audit logs.</summary>
    public const string ActorItem = "staff-api-actor";

    public static IServiceCollection AddStaffApiAuth(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSingleton(new StaffApiKeys(configuration));

    public static bool IsGuarded(PathString path) =>
        GuardedPrefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    public static WebApplication UseStaffApiAuth(this WebApplication app)
    {
        var keys = app.Services.GetRequiredService<StaffApiKeys>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Telephony.Host.Api.StaffApiAuth");
        if (!keys.Any)
            log.LogInformation("Staff API: no Api:Keys configured, so only direct loopback clients are served (docs/api.md, Authentication)");
        app.Use(async (http, next) =>
        {
            if (!IsGuarded(http.Request.Path)) { await next(http); return; }
            var refusal = Check(http, keys, out var actor);
            if (refusal is null)
            {
                http.Items[ActorItem] = actor;
                await next(http);
                return;
            }
            log.LogWarning("Staff API refused {Method} {Path} from {Remote}: {Reason}",
                http.Request.Method, http.Request.Path.Value, http.Connection.RemoteIpAddress?.ToString(), refusal.Value.Message);
            http.Response.StatusCode = refusal.Value.Status;
            if (refusal.Value.Status == StatusCodes.Status401Unauthorized)
                http.Response.Headers.WWWAuthenticate = "Bearer realm=\"telephony\"";
            await http.Response.WriteAsJsonAsync(new { error = refusal.Value.Message });
        });
        return app;
    }

    private static (int Status, string Message)? Check(HttpContext http, StaffApiKeys keys, out string actor)
    {
        actor = "";
        string? header = http.Request.Headers.Authorization;
        if (keys.Any)
        {
            if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                return (StatusCodes.Status401Unauthorized, "the staff API needs 'Authorization: Bearer KEY' (a key from Api:Keys)");
            var name = keys.Match(header["Bearer ".Length..].Trim());
            if (name is null) return (StatusCodes.Status401Unauthorized, "the bearer key is not one of Api:Keys");
            actor = name;
            return null;
        }
        var remote = http.Connection.RemoteIpAddress;
        bool direct = !http.Request.Headers.ContainsKey("X-Forwarded-For") && !http.Request.Headers.ContainsKey("Forwarded");
        if (remote is not null && IPAddress.IsLoopback(remote) && direct)
        {
            actor = "loopback";
            return null;
        }
        return (StatusCodes.Status403Forbidden,
            "the staff API is served only to direct loopback clients until Api:Keys is configured (docs/api.md, Authentication)");
    }
}
