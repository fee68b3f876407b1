using NUnit.Framework;
using Telephony.Media.Dtmf;

namespace Telephony.Media.Tests.Dtmf;

public class TelephoneEventTests
{
    [Test]
    public void Payload_fields_are_read_as_rfc4733_section_2_3_lays_them_out()
    {
        // event 11 (#), E=1, R=1 (ignored), volume 10, duration 800.
        byte[] wire = [11, 0x80 | 0x40 | 10, 0x03, 0x20];
        Assert.That(TelephoneEventPayload.TryParse(wire, out var p, out _), Is.True);
        Assert.That(p, Is.EqualTo(new TelephoneEventPayload(11, true, 10, 800)));
        Assert.That(p.Digit, Is.EqualTo('#'));
        var back = new byte[4];
        p.Write(back);
        Assert.That(back, Is.EqualTo(new byte[] { 11, 0x80 | 10, 0x03, 0x20 }), "R is sent as 0 (§2.3.3)");
    }

    [Test]
    public void Short_payload_is_rejected()
    {
        Assert.That(TelephoneEventPayload.TryParse([1, 2, 3], out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo(TelephoneEventParseError.TooShort));
    }

    [TestCase('0', 0), TestCase('9', 9), TestCase('*', 10), TestCase('#', 11), TestCase('A', 12), TestCase('D', 15)]
    public void Dtmf_keys_map_to_event_codes_of_section_3_2(char key, int code)
    {
        Assert.That(TelephoneEventPayload.CodeOf(key), Is.EqualTo(code));
        Assert.That(TelephoneEventPayload.DigitOf(code), Is.EqualTo(key));
    }

    [Test]
    public void Redundant_end_packets_give_one_digit_each_in_order()
    {
        var receiver = new TelephoneEventReceiver();
        var ended = new List<TelephoneEventNotice>();
        var started = 0;
        receiver.Notice += n => { if (n.Phase == TelephoneEventPhase.Ended) ended.Add(n); else started++; };
        var t = TimeSpan.Zero;
        void Send(uint ts, byte ev, bool end, ushort duration)
        {
            t += TimeSpan.FromMilliseconds(20);
            receiver.OnPacket(ts, new TelephoneEventPayload(ev, end, 10, duration), t);
        }
        // "1": start, updates, three ends. "2": same, one update duplicated. "1" again: a new timestamp.
        Send(1000, 1, false, 160); Send(1000, 1, false, 320); Send(1000, 1, false, 480);
        Send(1000, 1, true, 800); Send(1000, 1, true, 800); Send(1000, 1, true, 800);
        Send(3000, 2, false, 160); Send(3000, 2, false, 320); Send(3000, 2, false, 320);
        Send(3000, 2, true, 640); Send(3000, 2, true, 640);
        Send(1000, 1, true, 800); // a late repeat of the first event's end
        Send(3000, 2, true, 640);
        Send(5000, 1, false, 160); Send(5000, 1, true, 400); Send(5000, 1, true, 400); Send(5000, 1, true, 400);

        Assert.That(ended.Select(n => n.Digit), Is.EqualTo(new char?[] { '1', '2', '1' }));
        Assert.That(started, Is.EqualTo(3));
        Assert.That(ended.Select(n => n.DurationUnits), Is.EqualTo(new[] { 800, 640, 400 }));
        Assert.That(ended.Select(n => n.EndedBy), Is.All.EqualTo(TelephoneEventEnd.EndPacket));
    }

    [Test]
    public void Lost_end_packets_end_the_digit_on_timeout_once()
    {
        var receiver = new TelephoneEventReceiver(TimeSpan.FromMilliseconds(250));
        var ended = new List<TelephoneEventNotice>();
        receiver.Notice += n => { if (n.Phase == TelephoneEventPhase.Ended) ended.Add(n); };
        receiver.OnPacket(8000, new TelephoneEventPayload(5, false, 10, 160), TimeSpan.FromMilliseconds(0));
        receiver.OnPacket(8000, new TelephoneEventPayload(5, false, 10, 480), TimeSpan.FromMilliseconds(50));
        receiver.Tick(TimeSpan.FromMilliseconds(200));
        Assert.That(ended, Is.Empty, "within the timeout the key is still held");
        receiver.Tick(TimeSpan.FromMilliseconds(300));
        receiver.Tick(TimeSpan.FromMilliseconds(400));
        receiver.OnPacket(8000, new TelephoneEventPayload(5, true, 10, 800), TimeSpan.FromMilliseconds(420)); // very late end
        Assert.That(ended, Has.Count.EqualTo(1));
        Assert.That(ended[0], Is.EqualTo(new TelephoneEventNotice(TelephoneEventPhase.Ended, 5, '5', 8000, 480, TelephoneEventEnd.Timeout)));
    }

    [Test]
    public void A_new_event_ends_the_previous_one_whose_end_was_lost()
    {
        var receiver = new TelephoneEventReceiver();
        var ended = new List<TelephoneEventNotice>();
        receiver.Notice += n => { if (n.Phase == TelephoneEventPhase.Ended) ended.Add(n); };
        receiver.OnPacket(100, new TelephoneEventPayload(7, false, 10, 160), TimeSpan.Zero);
        receiver.OnPacket(900, new TelephoneEventPayload(8, true, 10, 800), TimeSpan.FromMilliseconds(100));
        Assert.That(ended.Select(n => (n.Digit, n.EndedBy)), Is.EqualTo(new (char?, TelephoneEventEnd?)[]
        {
            ('7', TelephoneEventEnd.NextEvent), ('8', TelephoneEventEnd.EndPacket),
        }));
    }

    /// <summary>
    /// RFC 4733 §2.5.1: a 100 ms key at 8000 Hz with 20 ms ticks and 50 ms updates. The start packet (marker)
    /// on the first tick, updates on the first tick at or after each 50 ms mark, the end (E) on the tick the
    /// duration is reached, repeated twice more at the update interval; one timestamp throughout.
    /// </summary>
    [Test]
    public void Sender_emits_start_updates_and_three_ends_as_section_2_5_describes()
    {
        var sender = new TelephoneEventSender(8000, tickMs: 20, updateIntervalMs: 50);
        Assert.That(sender.Enqueue('5', durationMs: 100, gapMs: 0), Is.True);
        var ticks = new List<(int Tick, TelephoneEventTick Kind, TelephoneEventPacket Packet)>();
        uint ts = 4_000_000_000;
        for (var k = 0; k < 14; k++)
        {
            var kind = sender.Next(ts, out var packet);
            ticks.Add((k, kind, packet));
            ts += 160;
        }
        var sent = ticks.Where(t => t.Kind == TelephoneEventTick.Send).ToList();
        Assert.That(sent.Select(s => s.Tick), Is.EqualTo(new[] { 0, 2, 4, 7, 9 }));
        Assert.That(sent.Select(s => s.Packet.Marker), Is.EqualTo(new[] { true, false, false, false, false }));
        Assert.That(sent.Select(s => s.Packet.Payload.End), Is.EqualTo(new[] { false, false, true, true, true }));
        Assert.That(sent.Select(s => (int)s.Packet.Payload.Duration), Is.EqualTo(new[] { 160, 480, 800, 800, 800 }));
        Assert.That(sent.Select(s => s.Packet.Timestamp), Is.All.EqualTo(4_000_000_000u));
        Assert.That(sent.Select(s => s.Packet.Payload.Event), Is.All.EqualTo(5));
        Assert.That(ticks.Where(t => t.Tick is > 0 and < 9 && t.Kind != TelephoneEventTick.Send).Select(t => t.Kind),
            Is.All.EqualTo(TelephoneEventTick.Quiet), "no audio while the event lasts");
        Assert.That(ticks.Where(t => t.Tick > 9).Select(t => t.Kind), Is.All.EqualTo(TelephoneEventTick.Idle));
        Assert.That(sender.Busy, Is.False);
    }

    [Test]
    public void Sent_keys_are_received_as_the_same_digits_in_order()
    {
        var sender = new TelephoneEventSender(8000);
        var receiver = new TelephoneEventReceiver();
        var digits = new List<char?>();
        receiver.Notice += n => { if (n.Phase == TelephoneEventPhase.Ended) digits.Add(n.Digit); };
        foreach (var key in "12345#*0") sender.Enqueue(key);
        uint ts = 0;
        for (var k = 0; k < 200; k++, ts += 160)
            if (sender.Next(ts, out var p) == TelephoneEventTick.Send)
                receiver.OnPacket(p.Timestamp, p.Payload, TimeSpan.FromMilliseconds(20 * k));
        Assert.That(string.Concat(digits), Is.EqualTo("12345#*0"));
    }

    [Test]
    public void Sender_refuses_what_is_not_a_dtmf_key()
    {
        var sender = new TelephoneEventSender(8000);
        Assert.That(sender.Enqueue('x'), Is.False);
        Assert.That(sender.Busy, Is.False);
    }
}
