using Telephony.Tickets.Sla;
using static Telephony.Tickets.Tests.Sla.CalendarFixture;

namespace Telephony.Tickets.Tests.Sla;

public class SlaClockTests
{
    private static readonly SlaClock Clock = new(SlaPolicy.Default, Shipped);

    [Test]
    public void Urgent_order_goes_on_time_then_warning_then_overdue()
    {
        var start = China(2026, 3, 2, 9);
        var t = new Ticket { Status = TicketStatus.Accepted, Type = TicketType.Help, Urgency = Urgency.Urgent };
        Clock.Start(t, start);
        Assert.That(SlaClock.Evaluate(t, start.AddMinutes(47)), Is.EqualTo((SlaState.OnTime, (DateTimeOffset?)start.AddMinutes(48))));
        Assert.That(SlaClock.Evaluate(t, start.AddMinutes(50)), Is.EqualTo((SlaState.Warning, (DateTimeOffset?)start.AddHours(1))));
        // Reply overdue; the close milestone (24 h, warning at 19.2 h) is next.
        Assert.That(SlaClock.Evaluate(t, start.AddMinutes(61)), Is.EqualTo((SlaState.Overdue, (DateTimeOffset?)China(2026, 3, 3, 4, 12))));
    }

    [Test]
    public void A_met_reply_milestone_stops_counting()
    {
        var start = China(2026, 3, 2, 9);
        var t = new Ticket { Status = TicketStatus.Accepted, Type = TicketType.Help, Urgency = Urgency.Urgent };
        Clock.Start(t, start);
        t.RepliedAt = start.AddMinutes(30);
        Assert.That(SlaClock.Evaluate(t, start.AddMinutes(61)).State, Is.EqualTo(SlaState.OnTime));
    }

    [Test]
    public void A_closed_order_has_no_next_check()
    {
        var t = new Ticket { Status = TicketStatus.Accepted, Type = TicketType.Complaint };
        Clock.Start(t, China(2026, 3, 2, 9));
        t.Status = TicketStatus.Closed;
        t.ClosedAt = China(2026, 3, 3);
        Assert.That(SlaClock.Evaluate(t, China(2026, 6, 1)).NextCheck, Is.Null);
    }

    [TestCase("3wd", 3, SlaUnit.WorkingDays)]
    [TestCase("1h", 1, SlaUnit.Hours)]
    [TestCase("0.5h", 0.5, SlaUnit.Hours)]
    public void Deadlines_parse_from_configuration_text(string text, double amount, SlaUnit unit) =>
        Assert.That(SlaSpan.Parse(text), Is.EqualTo(new SlaSpan(amount, unit)));

    [TestCase("")]
    [TestCase("3d")]
    [TestCase("-1h")]
    [TestCase("wd")]
    public void Bad_deadline_text_is_refused(string text) => Assert.That(SlaSpan.TryParse(text, out _), Is.False);
}
