// RFC 3261 §22.3-§22.4 and RFC 2617 §3.2.1 (stale), §3.2.2 (nonce-count): the outcomes of checking credentials.
namespace Telephony.Sip.Auth;

/// <summary>What <see cref="DigestServer.Verify"/> found, with what the caller should answer.</summary>
public enum DigestVerification
{
    /// <summary>Authenticated: process the request.</summary>
    Ok,

    /// <summary>
    /// Right password, but the nonce expired: 401/407 with <c>CreateChallenges(stale: true)</c> so the client
    /// retries without asking its user (RFC 2617 §3.2.1).
    /// </summary>
    Stale,

    /// <summary>A nonce we did not issue (forged, tampered, from another realm or process): challenge afresh.</summary>
    BadNonce,

    /// <summary>
    /// No such user. Answer exactly as for <see cref="WrongResponse"/>, so that callers cannot probe which
    /// extensions exist.
    /// </summary>
    UnknownUser,

    /// <summary>The response does not match the password: 403, or a new challenge.</summary>
    WrongResponse,

    /// <summary>Credentials for another realm (e.g. meant for a proxy): challenge for ours.</summary>
    RealmMismatch,

    /// <summary>Structurally unusable: qop other than auth, qop without cnonce or nc, no qop at all: 400.</summary>
    Malformed,

    /// <summary>
    /// A nonce-count not above the highest already accepted for this nonce: a replayed request. Challenge afresh;
    /// stale=true is harmless because a replayer gains nothing from it.
    /// </summary>
    Replay,
}
