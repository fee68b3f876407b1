using Telephony.Media.Dtmf;
using Telephony.Media.Rtp;

namespace Telephony.Media.Bridge;

/// <summary>
/// Joins two legs' audio both ways (caller ↔ agent): each session's decoded frames feed a
/// <see cref="BridgeDirection"/> that is the other session's source, so both directions are paced by the one
/// media clock that ticks both sessions. DTMF passes through as events: a key that ends on one leg
/// (RFC 4733, de-duplicated by the receiver) is sent on the other as RFC 4733 with its duration (§2.5.1.3),
/// never as audio. <see cref="Dispose"/> unhooks the legs (their sessions stay open: their calls own them).
/// </summary>
public sealed class MediaBridge : IDisposable
{
    private readonly RtpSession _a;
    private readonly RtpSession _b;
    private readonly IOutboundAudio? _aSourceBefore;
    private readonly IOutboundAudio? _bSourceBefore;
    private bool _disposed;

    public BridgeDirection AToB { get; }
    public BridgeDirection BToA { get; }

    /// <param name="a">one leg, with the PCM rate of its codec in <paramref name="aRate"/></param>
    /// <param name="b">the other leg and its rate</param>
    public MediaBridge(RtpSession a, int aRate, RtpSession b, int bRate)
    {
        _a = a;
        _b = b;
        AToB = new BridgeDirection(aRate, bRate);
        BToA = new BridgeDirection(bRate, aRate);
        _aSourceBefore = a.Source;
        _bSourceBefore = b.Source;
        a.AudioReceived += OnAudioA;
        b.AudioReceived += OnAudioB;
        a.TelephoneEvent += OnEventA;
        b.TelephoneEvent += OnEventB;
        a.Source = BToA;
        b.Source = AToB;
    }

    /// <summary>Keys passed from one leg to the other (for logs and tests).</summary>
    public event Action<RtpSession, char>? DigitRelayed;

    private void OnAudioA(RtpSession s, ReadOnlySpan<short> pcm, bool concealed) => AToB.Push(pcm);
    private void OnAudioB(RtpSession s, ReadOnlySpan<short> pcm, bool concealed) => BToA.Push(pcm);
    private void OnEventA(RtpSession s, TelephoneEventNotice n) => Relay(n, _b);
    private void OnEventB(RtpSession s, TelephoneEventNotice n) => Relay(n, _a);

    private void Relay(TelephoneEventNotice notice, RtpSession to)
    {
        if (notice.Phase != TelephoneEventPhase.Ended || notice.Digit is not { } digit) return;
        // Every codec here has an 8 kHz RTP clock (G.722 too, RFC 3551 §4.5.2): units / 8 = ms.
        var ms = Math.Clamp(notice.DurationUnits / 8, 40, 1000);
        if (to.SendDigit(digit, ms)) DigitRelayed?.Invoke(to, digit);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _a.AudioReceived -= OnAudioA;
        _b.AudioReceived -= OnAudioB;
        _a.TelephoneEvent -= OnEventA;
        _b.TelephoneEvent -= OnEventB;
        if (ReferenceEquals(_a.Source, BToA)) _a.Source = _aSourceBefore;
        if (ReferenceEquals(_b.Source, AToB)) _b.Source = _bSourceBefore;
    }
}
