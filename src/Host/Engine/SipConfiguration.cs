using Microsoft.Extensions.Configuration;
using Telephony.Sip.Auth;
using Telephony.Sip.Registrar;
using Telephony.Sip.Transport;
using Telephony.Sip.UserAgent;

namespace Telephony.Host.Engine;

/// <summary>Reads the <c>Sip</c>, <c>Rtp</c> and <c>Accounts</c> sections into the engine's options, failing with a clear message.</summary>
public static class SipConfiguration
{
    public static SipEngineOptions Read(IConfiguration configuration)
    {
        var sip = configuration.GetSection("Sip");
        var listen = new List<ListenPoint>();
        foreach (var entry in sip.GetSection("Listen").GetChildren())
        {
            if (string.IsNullOrWhiteSpace(entry.Value)) continue; // an emptied entry (environment override) is off
            if (!ListenPoint.TryParse(entry.Value.Trim(), out var point, out var error))
                throw new InvalidOperationException($"Sip:Listen:{entry.Key}: {error}");
            listen.Add(point);
        }
        if (listen.Count == 0) listen.Add(ListenPoint.TryParse("udp:0.0.0.0:5060", out var p, out _) ? p : default);
        return new SipEngineOptions
        {
            Transport = new SipTransportOptions
            {
                Listen = listen,
                PublicAddress = sip["PublicAddress"] is { Length: > 0 } pub ? pub : null,
                MaxMessageBytes = Int(sip, "MaxMessageBytes", 65535, 1024, 1 << 20),
                MaxTcpConnectionsPerSource = Int(sip, "MaxTcpConnectionsPerSource", 64, 1, 100000),
                TcpIdleTimeout = TimeSpan.FromSeconds(Int(sip, "TcpIdleTimeoutSeconds", 600, 1, 86400)),
            },
            Domain = sip["Domain"] is { Length: > 0 } d ? d : "12345.local",
            UserAgent = sip["UserAgent"] is { Length: > 0 } ua ? ua : "Telephony/0.1",
            SessionExpiresSeconds = Int(sip, "SessionExpiresSeconds", 1800, 90, 86400),
            MinSessionExpiresSeconds = Int(sip, "MinSessionExpiresSeconds", 90, 90, 86400),
            DigestAlgorithms = ReadDigestAlgorithms(sip),
        };
    }

    private static IReadOnlyList<DigestAlgorithm> ReadDigestAlgorithms(IConfigurationSection sip)
    {
        var list = new List<DigestAlgorithm>();
        foreach (var entry in sip.GetSection("DigestAlgorithms").GetChildren())
        {
            if (string.IsNullOrWhiteSpace(entry.Value)) continue;
            if (!global::Telephony.Sip.Auth.DigestAlgorithms.TryParse(entry.Value.Trim(), out var algorithm))
                throw new InvalidOperationException($"Sip:DigestAlgorithms:{entry.Key}: '{entry.Value}' is not MD5 or SHA-256");
            list.Add(algorithm);
        }
        return list.Count > 0 ? list : [DigestAlgorithm.Md5];
    }

    public static RtpPortRange ReadRtpPorts(IConfiguration configuration)
    {
        var rtp = configuration.GetSection("Rtp");
        var min = Int(rtp, "PortMin", 30000, 1024, 65534);
        var max = Int(rtp, "PortMax", 39999, 1025, 65535);
        if (max <= min) throw new InvalidOperationException($"Rtp:PortMax ({max}) must be above Rtp:PortMin ({min})");
        return new RtpPortRange(min, max);
    }

    public static ConfiguredAccounts ReadAccounts(IConfiguration configuration)
    {
        var accounts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in configuration.GetSection("Accounts").GetChildren())
        {
            var user = a["User"];
            var password = a["Password"];
            if (string.IsNullOrWhiteSpace(user) || string.IsNullOrEmpty(password))
                throw new InvalidOperationException($"Accounts:{a.Key}: User and Password are required");
            accounts[user] = password;
        }
        return new ConfiguredAccounts(accounts);
    }

    /// <summary>How long an inbound call rings before the engine answers it (Sip:AnswerAfterMs, default 0).</summary>
    public static TimeSpan AnswerDelay(IConfiguration configuration) =>
        TimeSpan.FromMilliseconds(Int(configuration.GetSection("Sip"), "AnswerAfterMs", 0, 0, 600000));

    private static int Int(IConfiguration section, string key, int fallback, int min, int max)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (!int.TryParse(text, out var value) || value < min || value > max)
            throw new InvalidOperationException($"{(section as IConfigurationSection)?.Path}:{key} must be a whole number from {min} to {max}, not '{text}'");
        return value;
    }
}
