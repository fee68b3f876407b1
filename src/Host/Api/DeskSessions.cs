using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Telephony.Host.Api;

/// <summary>
/// Logged-in desktops: an unguessable token (kept in an HttpOnly, SameSite=Strict cookie, so the page's
/// EventSource and &lt;audio&gt; requests carry it too) → the agent id. In memory: a restart logs everyone out,
/// which is what an agent expects of a restarted hotline. A session ends at logout or after <see cref="Lifetime"/>.
/// </summary>
public sealed class DeskSessions(TimeProvider time)
{
    public const string Cookie = "desk_session";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<string, (string AgentId, DateTimeOffset Expires)> sessions = new(StringComparer.Ordinal);

    public string Open(string agentId)
    {
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        sessions[token] = (agentId, time.GetUtcNow() + Lifetime);
        return token;
    }

    /// <summary>The agent of the request's session cookie, or null (no cookie, unknown or expired token).</summary>
    public string? AgentOf(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(Cookie, out var token) || token is null) return null;
        if (!sessions.TryGetValue(token, out var s)) return null;
        if (s.Expires > time.GetUtcNow()) return s.AgentId;
        sessions.TryRemove(token, out _);
        return null;
    }

    public void Close(HttpContext http)
    {
        if (http.Request.Cookies.TryGetValue(Cookie, out var token) && token is not null) sessions.TryRemove(token, out _);
    }
}
