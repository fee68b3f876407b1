using System.Net;
using Telephony.Media.Bridge;
using Telephony.Media.Clock;
using Telephony.Media.Codecs;
using Telephony.Media.Rtp;
using Telephony.Testing;

namespace Telephony.Host.Tests.Calls;

/// <summary>
/// Two real RTP sessions on 127.0.0.1 bridged on one media clock: a PCMU caller leg and a G.722 agent leg,
/// each with a test peer. Audio must flow both ways (transcoded, resampled) and a key pass as RFC 4733.
/// </summary>
[NonParallelizable]
public class MediaBridgeTests
{
    private static (RtpSession Session, TestRtpPeer Peer) Leg(RtpPortAllocator ports, string codec)
    {
        var peer = new TestRtpPeer(codec);
        var sockets = ports.TryBind()!;
        var c = AudioCodecs.Create(codec);
        var session = new RtpSession(sockets, new RtpSessionOptions
        {
            Encoder = AudioCodecs.Create(codec), Decoder = AudioCodecs.Create(codec),
            AudioPayloadType = (byte)c.StaticPayloadType, TelephoneEventPayloadType = 101, Remote = peer.EndPoint,
        });
        peer.SendTo(sockets.Port);
        return (session, peer);
    }

    private static short[] Tone(double frequency, int rate, double seconds) =>
        Enumerable.Range(0, (int)(rate * seconds)).Select(i => (short)(8000 * Math.Sin(2 * Math.PI * frequency * i / rate))).ToArray();

    /// <summary>Level of <paramref name="frequency"/> in <paramref name="pcm"/> (Goertzel-like projection), as an amplitude.</summary>
    private static double AmplitudeAt(short[] pcm, double frequency, int rate)
    {
        double s = 0, c = 0;
        for (var i = 0; i < pcm.Length; i++) { var w = 2 * Math.PI * frequency * i / rate; s += pcm[i] * Math.Sin(w); c += pcm[i] * Math.Cos(w); }
        return 2 * Math.Sqrt(s * s + c * c) / Math.Max(1, pcm.Length);
    }

    [Test]
    public async Task Caller_on_PCMU_and_agent_on_G722_hear_each_other_and_a_key_passes_as_an_event()
    {
        var first = FreePorts.NextBlock(8);
        var ports = new RtpPortAllocator(IPAddress.Loopback, first, first + 7);
        var (caller, callerPeer) = Leg(ports, "PCMU");
        var (agent, agentPeer) = Leg(ports, "G722");
        using var clock = new MediaClock();
        using var bridge = new MediaBridge(caller, 8000, agent, 16000);
        try
        {
            caller.Start(clock);
            agent.Start(clock);
            clock.Start();
            callerPeer.Speak(Tone(1000, 8000, 1.5));
            agentPeer.Speak(Tone(600, 16000, 1.5));
            await Task.Delay(TimeSpan.FromSeconds(1.8));
            await callerPeer.SendDigitAsync('5');
            await Task.Delay(TimeSpan.FromSeconds(0.5));

            var agentHeard = agentPeer.Received;
            var callerHeard = callerPeer.Received;
            var atAgent = AmplitudeAt(agentHeard, 1000, 16000);
            var atCaller = AmplitudeAt(callerHeard, 600, 8000);
            TestContext.Out.WriteLine($"agent heard {agentHeard.Length / 16000.0:F2} s, 1 kHz amplitude {atAgent:F0}; " +
                $"caller heard {callerHeard.Length / 8000.0:F2} s, 600 Hz amplitude {atCaller:F0}; dropped {bridge.AToB.Dropped}/{bridge.BToA.Dropped}");
            Assert.Multiple(() =>
            {
                // 1.5 s of an 8000-amplitude tone inside ~2.3 s of audio: about 8000 × 1.5 / 2.3 when all of it came through.
                var share = 8000 * 1.5 / 2.3;
                Assert.That(atAgent, Is.GreaterThan(share * 0.7), "the caller's tone reached the agent's peer, at 16 kHz");
                Assert.That(atCaller, Is.GreaterThan(share * 0.7), "the agent's tone reached the caller's peer, at 8 kHz");
                Assert.That(AmplitudeAt(agentHeard, 600, 16000), Is.LessThan(atAgent * 0.05), "no echo of the agent's own tone");
                Assert.That(agentPeer.DigitsReceived, Is.EqualTo("5"), "the key passed as one RFC 4733 event");
            });
        }
        finally
        {
            caller.Close();
            agent.Close();
            callerPeer.Dispose();
            agentPeer.Dispose();
        }
    }
}
