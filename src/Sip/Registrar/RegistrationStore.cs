using Telephony.Sip.Message;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Registrar;

/// <summary>SIP accounts the registrar authenticates (from configuration for now).</summary>
public interface IAccountDirectory
{
    /// <summary>The digest password of <paramref name="user"/>, or null when there is no such account.</summary>
    string? PasswordFor(string user);
}

public sealed class ConfiguredAccounts(IReadOnlyDictionary<string, string> passwords) : IAccountDirectory
{
    public string? PasswordFor(string user) => passwords.TryGetValue(user, out var p) ? p : null;
}

/// <summary>One contact bound to an address-of-record (RFC 3261 §10.3), with where its REGISTER came from.</summary>
public sealed record Binding(NameAddress Contact, string CallId, uint CSeq, DateTimeOffset Expires, SipEndPoint Source)
{
    public SipUri Uri => Contact.Uri;
}

/// <summary>
/// The location service: bindings per address-of-record, expired lazily by <see cref="TimeProvider"/>.
/// In memory for one engine node; several nodes would share it through the database (docs/scaling).
/// </summary>
public sealed class RegistrationStore
{
    private readonly Dictionary<string, List<Binding>> _bindings = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;

    public RegistrationStore(TimeProvider time) => _time = time;

    /// <summary>Live bindings of <paramref name="user"/>, most recently registered first.</summary>
    public IReadOnlyList<Binding> Lookup(string user)
    {
        lock (_gate)
        {
            if (!_bindings.TryGetValue(user, out var list)) return [];
            Prune(list);
            return list.OrderByDescending(b => b.Expires).ToList();
        }
    }

    public IReadOnlyDictionary<string, IReadOnlyList<Binding>> Snapshot()
    {
        lock (_gate)
            return _bindings.Keys.ToList().ToDictionary(k => k, k => (IReadOnlyList<Binding>)Lookup(k), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Runs <paramref name="change"/> on the bindings of one AOR atomically (§10.3 steps 6-8).</summary>
    public T Update<T>(string user, Func<List<Binding>, T> change)
    {
        lock (_gate)
        {
            if (!_bindings.TryGetValue(user, out var list)) _bindings[user] = list = new List<Binding>();
            Prune(list);
            var result = change(list);
            if (list.Count == 0) _bindings.Remove(user);
            return result;
        }
    }

    private void Prune(List<Binding> list)
    {
        var now = _time.GetUtcNow();
        list.RemoveAll(b => b.Expires <= now);
    }
}
