// RFC 3261 §22.2-§22.4 (a UAS or registrar challenging and checking requests), RFC 7616 §3.3 and §5.4-§5.5
// (nonce design, replay), RFC 8760 §2.3 (one challenge per algorithm, most preferred first: SHA-256, then MD5).
using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Telephony.Sip.Auth;

/// <summary>
/// Issues stateless nonces and verifies digest credentials. A nonce is
/// base64url(timestamp ‖ random ‖ HMAC-SHA256(secret, timestamp ‖ random ‖ realm)): the server needs no table
/// to know it issued a nonce and when, which keeps floods of unauthenticated requests from costing memory
/// (RFC 3261 §26.3.2.4). Thread-safe.
/// </summary>
public sealed class DigestServer
{
    private const int StampBytes = 8;
    private const int RandomBytes = 16;
    private const int MacBytes = 32;
    private const int NonceBytes = StampBytes + RandomBytes + MacBytes;
    private const int NonceChars = (NonceBytes * 4 + 2) / 3; // unpadded base64url

    /// <summary>A nonce stamped this far ahead of our clock is treated as expired (our clock went back).</summary>
    private static readonly TimeSpan AllowedClockStepBack = TimeSpan.FromSeconds(5);

    // One secret per process: nonces from the registrar's and the INVITE handler's servers are interchangeable,
    // and a restart invalidates every nonce, which clients survive through a new challenge.
    private static readonly byte[] ProcessSecret = RandomNumberGenerator.GetBytes(32);

    private readonly TimeProvider _time;
    private readonly byte[] _secret;
    private readonly byte[] _realmBytes;
    private readonly bool _acceptWithoutQop;
    private readonly NonceCountTracker _counts;

    /// <param name="realm">Our protection domain, e.g. the hotline's SIP domain (RFC 3261 §22.1).</param>
    /// <param name="timeProvider">The clock nonces are stamped with; the system clock by default.</param>
    /// <param name="nonceLifetime">How long a nonce is good for; 300 s by default.</param>
    /// <param name="secret">The HMAC key, at least 16 bytes; a random per-process key by default.</param>
    /// <param name="acceptWithoutQop">
    /// Accept RFC 2069 responses without qop. Off by default: we always offer qop=auth, RFC 3261 §22.4 obliges
    /// clients to use it then, and without nc a captured request can be replayed until its nonce expires.
    /// </param>
    /// <param name="maxTrackedNonces">Bound on the nonce-count table.</param>
    public DigestServer(
        string realm,
        TimeProvider? timeProvider = null,
        TimeSpan? nonceLifetime = null,
        byte[]? secret = null,
        bool acceptWithoutQop = false,
        int maxTrackedNonces = 10_000,
        IReadOnlyList<DigestAlgorithm>? challengeOrder = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(realm);
        if (secret is { Length: < 16 })
            throw new ArgumentException("the nonce secret needs at least 16 bytes", nameof(secret));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTrackedNonces, 1);
        var lifetime = nonceLifetime ?? TimeSpan.FromSeconds(300);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero, nameof(nonceLifetime));

        Realm = realm;
        NonceLifetime = lifetime;
        _time = timeProvider ?? TimeProvider.System;
        _secret = (byte[])(secret ?? ProcessSecret).Clone();
        _realmBytes = Encoding.UTF8.GetBytes(realm);
        _acceptWithoutQop = acceptWithoutQop;
        ChallengeOrder = challengeOrder is { Count: > 0 } order ? order.Distinct().ToArray() : [DigestAlgorithm.Sha256, DigestAlgorithm.Md5];
        _counts = new NonceCountTracker(maxTrackedNonces);
    }

    public string Realm { get; }

    public TimeSpan NonceLifetime { get; }

    /// <summary>
    /// The challenges for a 401/407, one WWW-Authenticate (or Proxy-Authenticate) header each, in this order:
    /// SHA-256 first, MD5 for the many phones that know nothing else (RFC 8760 §2.3). They share one nonce.
    /// </summary>
    public IReadOnlyList<DigestChallenge> CreateChallenges(bool stale = false)
    {
        var nonce = CreateNonce();
        return ChallengeOrder.Select(a => new DigestChallenge { Realm = Realm, Nonce = nonce, Algorithm = a, Qop = "auth", Stale = stale }).ToList();
    }

    /// <summary>
    /// The algorithms offered, one WWW-Authenticate each, in this order. RFC 8760 puts SHA-256 first; some
    /// deployed UAs (baresip 1.0's libre, SIPp 3.6) answer only the first challenge and fail on SHA-256, so
    /// the engine's configuration may put MD5 first. Either algorithm is verified whichever the UA picks.
    /// </summary>
    public IReadOnlyList<DigestAlgorithm> ChallengeOrder { get; }

    public string CreateNonce()
    {
        Span<byte> nonce = stackalloc byte[NonceBytes];
        BinaryPrimitives.WriteInt64BigEndian(nonce, _time.GetUtcNow().ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(nonce.Slice(StampBytes, RandomBytes));
        Sign(nonce[..(StampBytes + RandomBytes)], nonce[(StampBytes + RandomBytes)..]);
        return Base64Url.EncodeToString(nonce);
    }

    /// <summary>
    /// Checks credentials for a request with this method. <paramref name="passwordForUser"/> returns the user's
    /// password, or null for no such user. Whether <c>credentials.Uri</c> names the request is the caller's check.
    /// </summary>
    public DigestVerification Verify(DigestCredentials credentials, string method, Func<string, string?> passwordForUser)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(passwordForUser);

        uint nonceCount = 0;
        if (credentials.Qop is null)
        {
            if (!_acceptWithoutQop)
                return DigestVerification.Malformed;
        }
        else if (!credentials.Qop.Equals("auth", StringComparison.OrdinalIgnoreCase)
                 || string.IsNullOrEmpty(credentials.Cnonce)
                 || !TryParseNonceCount(credentials.NonceCount, out nonceCount))
        {
            return DigestVerification.Malformed;
        }

        if (!string.Equals(credentials.Realm, Realm, StringComparison.Ordinal))
            return DigestVerification.RealmMismatch;

        if (!TryReadNonce(credentials.Nonce, out var issued))
            return DigestVerification.BadNonce;

        var password = passwordForUser(credentials.Username);
        if (password is null)
            return DigestVerification.UnknownUser;

        var expected = DigestComputation.ExpectedResponse(credentials, method, password);
        if (!FixedTimeEqualsIgnoringCase(expected, credentials.Response))
            return DigestVerification.WrongResponse;

        // Only now: "stale" must only be said to a client that knows the password (RFC 2617 §3.2.1).
        var now = _time.GetUtcNow();
        var expires = issued + NonceLifetime;
        if (now > expires || issued > now + AllowedClockStepBack)
            return DigestVerification.Stale;

        if (credentials.Qop is not null && !_counts.TryAdvance(credentials.Nonce, nonceCount, expires, now))
            return DigestVerification.Replay;

        return DigestVerification.Ok;
    }

    private bool TryReadNonce(string nonce, out DateTimeOffset issued)
    {
        issued = default;
        // Exactly the canonical spelling we write: anything else (padding, whitespace, another length) would also
        // let one nonce appear under several replay-table keys. Checked first because the decoder throws on junk.
        if (nonce.Length != NonceChars || !nonce.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            return false;
        Span<byte> raw = stackalloc byte[NonceBytes];
        if (Base64Url.DecodeFromChars(nonce, raw, out _, out var written) != OperationStatus.Done
            || written != NonceBytes
            || !string.Equals(Base64Url.EncodeToString(raw), nonce, StringComparison.Ordinal))
            return false;

        Span<byte> mac = stackalloc byte[MacBytes];
        Sign(raw[..(StampBytes + RandomBytes)], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, raw[(StampBytes + RandomBytes)..]))
            return false;

        var milliseconds = BinaryPrimitives.ReadInt64BigEndian(raw);
        if (milliseconds < 0 || milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            return false;
        issued = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        return true;
    }

    private void Sign(ReadOnlySpan<byte> stampAndRandom, Span<byte> mac)
    {
        // The realm is in the MAC so that a nonce from one of our realms is no good in another.
        Span<byte> data = stackalloc byte[stampAndRandom.Length + _realmBytes.Length];
        stampAndRandom.CopyTo(data);
        _realmBytes.CopyTo(data[stampAndRandom.Length..]);
        HMACSHA256.HashData(_secret, data, mac);
    }

    /// <summary>nc is exactly 8 hex digits (RFC 2617 §3.2.2) and counts from 1.</summary>
    private static bool TryParseNonceCount(string? text, out uint count)
    {
        count = 0;
        return text is { Length: 8 }
            && uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out count)
            && count > 0;
    }

    private static bool FixedTimeEqualsIgnoringCase(string expectedLowerHex, string actual)
    {
        // Clients should send lowercase hex (LHEX); a few send uppercase, which carries the same digest.
        var a = Encoding.ASCII.GetBytes(expectedLowerHex);
        var b = Encoding.ASCII.GetBytes(actual.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
