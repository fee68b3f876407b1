using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Host.Calls;
using Telephony.Media.Clock;
using Telephony.Media.Rtp;
using Telephony.Sip.Calls;
using Telephony.Sip.Message;
using Telephony.Sip.Transport;

namespace Telephony.Host.Tests.Calls;

/// <summary>
/// An answered outbound leg (agent's phone, trunk) over a real RTP session on 127.0.0.1: a far end that stops sending
/// RTP for <c>Calls:RtpTimeoutSeconds</c> is hung up with the reason; one that keeps sending, or a zero timeout, is not;
/// the ringback loop sends the tone and gives the session back.
/// </summary>
[NonParallelizable]
public class AnsweredLegTests
{
    private sealed class Leg : IDisposable
    {
        public readonly TestRtpPeer Peer = new();
        public readonly MediaClock Clock = new();
        public readonly RtpSession Session;
        public readonly AnsweredLeg Answered;

        public Leg(TimeSpan rtpTimeout)
        {
            Session = Peer.OpenSession();
            // A SipCall with no dialog behind it: its Hangup is a no-op, the leg's decision is what is checked.
            var sip = new SipCall
            {
                CallId = "leg-1@test", Direction = CallDirection.Outbound,
                From = new NameAddress { Uri = SipUri.Create("12345", "127.0.0.1") }, To = new NameAddress { Uri = SipUri.Create("1001", "127.0.0.1") },
                Remote = new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060)),
            };
            Answered = new AnsweredLeg("call-1@test", "agent", "1001", sip, Session, 8000, NullLogger.Instance, rtpTimeout, TimeProvider.System);
            Session.Start(Clock);
            Clock.Start();
        }

        public void Dispose()
        {
            Session.Close();
            Clock.Dispose();
            Peer.Dispose();
        }
    }

    [Test]
    public async Task A_far_end_sending_no_rtp_for_the_timeout_is_hung_up_with_the_reason()
    {
        using var leg = new Leg(TimeSpan.FromSeconds(1));
        leg.Peer.Muted = true;
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.That(leg.Answered.HangupCause, Is.EqualTo("RtpTimeout"));
    }

    [Test]
    public async Task A_far_end_that_keeps_sending_or_a_zero_timeout_is_not_hung_up()
    {
        using var sending = new Leg(TimeSpan.FromSeconds(1));
        using var off = new Leg(TimeSpan.Zero);
        off.Peer.Muted = true;
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.That(sending.Answered.HangupCause, Is.Null, "RTP kept arriving");
        Assert.That(off.Answered.HangupCause, Is.Null, "the check is off");
    }

    [Test]
    public async Task The_ringback_loop_sends_the_tone_until_disposed_and_gives_the_session_back()
    {
        using var leg = new Leg(TimeSpan.Zero);
        var before = leg.Session.Source;
        var loop = leg.Answered.PlayLoop(Ringback.Cycle(8000));
        await Task.Delay(TimeSpan.FromMilliseconds(600));
        loop.Dispose();
        var heard = leg.Peer.Received;
        Assert.That(heard.Max(s => Math.Abs((int)s)), Is.GreaterThan(1000), "the 450 Hz tone (its first second is on) reached the far end");
        Assert.That(leg.Session.Source, Is.SameAs(before), "the session's source is given back");
    }
}
