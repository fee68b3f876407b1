using Telephony.Sip.Transport;

namespace Telephony.Sip.UserAgent;

/// <summary>Settings of the SIP engine (the <c>Sip</c> section of appsettings.json).</summary>
public sealed class SipEngineOptions
{
    public SipTransportOptions Transport { get; init; } = new();
    /// <summary>Registrar domain and digest realm.</summary>
    public string Domain { get; init; } = "12345.local";
    public string UserAgent { get; init; } = "Telephony/0.1";
    /// <summary>RFC 4028 session interval we ask for when the caller supports timers and proposes none.</summary>
    public int SessionExpiresSeconds { get; init; } = 1800;
    /// <summary>RFC 4028 Min-SE: smaller intervals are refused with 422 (the RFC's floor is 90).</summary>
    public int MinSessionExpiresSeconds { get; init; } = 90;
    /// <summary>Registration intervals: shorter requests get 423, longer ones are cut to the maximum.</summary>
    public int MinRegisterExpiresSeconds { get; init; } = 60;
    public int MaxRegisterExpiresSeconds { get; init; } = 7200;
    public int DefaultRegisterExpiresSeconds { get; init; } = 3600;
    /// <summary>
    /// Digest challenges offered, one WWW-Authenticate each, in order of preference. MD5 only by default:
    /// SIPp 3.6 answers only the first challenge, and baresip 1.0 (libre) fails the whole registration with
    /// ENOSYS as soon as any challenge names SHA-256. Where every phone handles RFC 8760, set
    /// <c>["SHA-256", "MD5"]</c>; both algorithms are verified whichever is configured.
    /// </summary>
    public IReadOnlyList<Telephony.Sip.Auth.DigestAlgorithm> DigestAlgorithms { get; init; } =
        [Telephony.Sip.Auth.DigestAlgorithm.Md5];
}

/// <summary>The methods this UAS implements (Allow, §20.5) and the extensions it understands (Supported, §20.37).</summary>
public static class Capabilities
{
    public static readonly string[] AllowedMethods = ["INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "INFO", "UPDATE", "REGISTER"];
    public static readonly string[] SupportedExtensions = ["timer", "path"];
    public const string Allow = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE, REGISTER";
    public const string Supported = "timer, path";
    public const string Accept = "application/sdp, application/dtmf-relay";
}
