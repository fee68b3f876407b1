using Microsoft.Extensions.Configuration;
using Telephony.Sip.Message;
using Telephony.Sip.UserAgent;

namespace Telephony.Host.Trunk;

/// <summary>
/// The outbound SIP trunk to the public network (docs/configuration.md, "Trunk"): where a transfer to an outside
/// number (110/119/120) is sent. <see cref="Uri"/> is the gateway (the number becomes its user part);
/// <see cref="Numbers"/> sends given numbers elsewhere (e.g. 119 to the fire brigade's gateway). Neither set: no trunk.
/// </summary>
public sealed record TrunkOptions
{
    public const string Section = "Trunk";

    public SipUri? Uri { get; init; }
    public IReadOnlyDictionary<string, SipUri> Numbers { get; init; } = new Dictionary<string, SipUri>();
    public SipCredentials? Credentials { get; init; }
    public TimeSpan RingTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The caller's number as From's user part (the dispatcher sees who calls); false: the hotline's 12345.</summary>
    public bool PresentCaller { get; init; } = true;

    /// <summary>Where a call to <paramref name="number"/> goes: its own target, else the gateway with the number as user; null when neither.</summary>
    public SipUri? TargetFor(string number) =>
        Numbers.TryGetValue(number, out var target) ? target : Uri?.With(user: number);

    /// <summary>
    /// Reads the <c>Trunk</c> section; null when no trunk is configured (no <c>Trunk:Uri</c>, no <c>Trunk:Numbers</c>).
    /// Throws <see cref="InvalidOperationException"/> naming the key when a value is wrong.
    /// </summary>
    public static TrunkOptions? Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var uri = section["Uri"] is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text) ? ParseUri("Trunk:Uri", text, gateway: true) : null;
        var numbers = new Dictionary<string, SipUri>(StringComparer.Ordinal);
        foreach (var entry in section.GetSection("Numbers").GetChildren())
        {
            if (string.IsNullOrWhiteSpace(entry.Value)) continue; // an emptied entry (environment override) is off
            if (!IsDialable(entry.Key))
                throw new InvalidOperationException($"Trunk:Numbers:{entry.Key}: '{entry.Key}' is not a number (digits, optionally a leading +)");
            numbers[entry.Key] = ParseUri($"Trunk:Numbers:{entry.Key}", entry.Value, gateway: false);
        }
        if (uri is null && numbers.Count == 0)
        {
            foreach (var key in new[] { "Username", "Password", "RingTimeoutSeconds" })
                if (!string.IsNullOrWhiteSpace(section[key]))
                    throw new InvalidOperationException($"Trunk:{key} is set but no trunk is: set Trunk:Uri or Trunk:Numbers:<number>");
            return null;
        }
        var user = section["Username"];
        var password = section["Password"];
        if (string.IsNullOrWhiteSpace(user) != string.IsNullOrEmpty(password))
            throw new InvalidOperationException(string.IsNullOrWhiteSpace(user)
                ? "Trunk:Password is set without Trunk:Username" : "Trunk:Username is set without Trunk:Password");
        return new TrunkOptions
        {
            Uri = uri,
            Numbers = numbers,
            Credentials = string.IsNullOrWhiteSpace(user) ? null : new SipCredentials(user.Trim(), password!),
            RingTimeout = TimeSpan.FromSeconds(Setting(section, "RingTimeoutSeconds", 30,
                (string t, out int v) => int.TryParse(t, out v) && v is >= 1 and <= 600, "a whole number of seconds from 1 to 600")),
            PresentCaller = Setting(section, "PresentCaller", true, bool.TryParse, "true or false"),
        };
    }

    /// <summary>A number the trunk may dial: digits, optionally a leading + (E.164).</summary>
    public static bool IsDialable(string number)
    {
        var digits = number.StartsWith('+') ? number.AsSpan(1) : number.AsSpan();
        return digits.Length is > 0 and <= 32 && !digits.ContainsAnyExcept("0123456789");
    }

    private static SipUri ParseUri(string key, string text, bool gateway)
    {
        if (!SipUri.TryParse(text.Trim(), out var uri, out var error))
            throw new InvalidOperationException($"{key}: '{text}' is not a SIP URI ({error})");
        if (uri!.Scheme != "sip" || uri.Opaque is not null || string.IsNullOrEmpty(uri.Host))
            throw new InvalidOperationException($"{key}: '{text}' must be a sip: URI with a host (sip:119@10.0.0.5:5060)");
        if (uri.Transport is { } t && t is not ("udp" or "tcp"))
            throw new InvalidOperationException($"{key}: transport '{t}' is not udp or tcp");
        if (gateway && uri.User is not null)
            throw new InvalidOperationException($"{key}: '{text}' names a user; the gateway's URI has none (sip:10.0.0.5:5060), the number is put there");
        return uri;
    }

    private delegate bool Parse<T>(string text, out T value);

    /// <summary>A setting's value, its default when unset; a value <paramref name="parse"/> refuses is an error naming the key.</summary>
    private static T Setting<T>(IConfigurationSection section, string key, T fallback, Parse<T> parse, string expected) =>
        section[key] is not { } text || string.IsNullOrWhiteSpace(text) ? fallback
        : parse(text.Trim(), out var value) ? value
        : throw new InvalidOperationException($"{section.Path}:{key} must be {expected}, not '{text}'");
}
