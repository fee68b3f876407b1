using Telephony.Tickets.Sla;
using static Telephony.Tickets.Tests.Sla.CalendarFixture;

namespace Telephony.Tickets.Tests.Sla;

public class WorkingCalendarTests
{
    private static readonly SlaClock Clock = new(SlaPolicy.Default, Shipped);

    [Test]
    public void Complaint_accepted_the_Friday_before_National_Day_is_due_in_15_working_days_skipping_the_holiday()
    {
        // 2025: 10-01..10-08 off; Sunday 09-28 and Saturday 10-11 worked. Working days after Friday 09-26:
        // 09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13..17, 10-20..23 → the 15th is Thursday 10-23.
        var ticket = new Ticket { Type = TicketType.Complaint, Urgency = Urgency.Normal };
        Clock.Start(ticket, China(2025, 9, 26, 10));
        Assert.That(ticket.CloseDueAt, Is.EqualTo(China(2025, 10, 23, 10)));
        Assert.That(ticket.ReplyDueAt, Is.Null);
    }

    [Test]
    public void An_adjusted_working_Saturday_counts()
    {
        // 2026: Saturday 10-10 is worked (国庆节调休). Consultation accepted Thursday 10-08 09:00:
        // 10-09 (Fri), 10-10 (Sat, worked), 10-12 (Mon) → due Monday 09:00, not Tuesday.
        var ticket = new Ticket { Type = TicketType.Consultation };
        Clock.Start(ticket, China(2026, 10, 8, 9));
        Assert.That(ticket.ReplyDueAt, Is.EqualTo(China(2026, 10, 12, 9)));
        Assert.That(Shipped.IsWorkingDay(new DateOnly(2026, 10, 10)), Is.True);
    }

    [Test]
    public void Accepted_on_a_holiday_the_clock_starts_at_the_next_working_day()
    {
        var ticket = new Ticket { Type = TicketType.Consultation };
        Clock.Start(ticket, China(2026, 10, 3, 15));
        // 10-08, 10-09, 10-10 (worked Saturday): three whole working days, due at the end of 10-10.
        Assert.That(ticket.ReplyDueAt, Is.EqualTo(China(2026, 10, 11)));
    }

    [Test]
    public void Spring_Festival_2026_is_off_and_its_two_Saturdays_are_worked()
    {
        for (var d = new DateOnly(2026, 2, 15); d <= new DateOnly(2026, 2, 23); d = d.AddDays(1))
            Assert.That(Shipped.IsWorkingDay(d), Is.False, d.ToString());
        Assert.That(Shipped.IsWorkingDay(new DateOnly(2026, 2, 14)), Is.True);
        Assert.That(Shipped.IsWorkingDay(new DateOnly(2026, 2, 28)), Is.True);
        Assert.That(Shipped.IsWorkingDay(new DateOnly(2026, 2, 24)), Is.True, "Tuesday after the holiday");
    }

    [Test]
    public void Warning_comes_at_80_percent_of_the_working_time()
    {
        var ticket = new Ticket { Type = TicketType.Complaint };
        Clock.Start(ticket, China(2025, 9, 26, 10));
        // 80 % of 15 working days = 12 working days: 10-20 10:00 (the 12th working day in the list above).
        Assert.That(ticket.CloseWarnAt, Is.EqualTo(China(2025, 10, 20, 10)));
    }

    [Test]
    public void Urgent_runs_on_clock_hours_even_on_a_holiday()
    {
        var ticket = new Ticket { Type = TicketType.Complaint, Urgency = Urgency.Urgent };
        var start = China(2026, 10, 1, 23, 30);
        Clock.Start(ticket, start);
        Assert.That(ticket.ReplyDueAt, Is.EqualTo(start.AddHours(1)));
        Assert.That(ticket.ReplyWarnAt, Is.EqualTo(start.AddMinutes(48)));
        Assert.That(ticket.CloseDueAt, Is.EqualTo(start.AddHours(24)));
    }

    [Test]
    public void The_shipped_calendar_covers_2025_and_2026_and_says_2027_is_not_published()
    {
        Assert.That(Shipped.IsCovered(2025) && Shipped.IsCovered(2026), Is.True);
        Assert.That(Shipped.IsCovered(2027), Is.False);
        Assert.That(File.ReadAllText(Path.Combine(CalendarFixture.Directory, "2027.txt")), Does.Contain("NOT FOUND"));
        // With no notice, 2027 falls back to Monday-Friday: New Year's Day 2027 (a Friday) counts as worked.
        Assert.That(Shipped.IsWorkingDay(new DateOnly(2027, 1, 1)), Is.True);
    }

    [Test]
    public void Every_shipped_file_cites_its_source()
    {
        foreach (var file in System.IO.Directory.GetFiles(CalendarFixture.Directory, "*.txt"))
            Assert.That(File.ReadAllText(file), Does.Contain("国务院办公厅关于").And.Contain("Source").Or.Contain("NOT FOUND"), file);
    }

    [TestCase("holiday 2026-13-01", "not a date")]
    [TestCase("holiday 2025-01-01", "not in 2026")]
    [TestCase("workday 2026-10-09", "already a working day")]
    [TestCase("vacation 2026-10-09", "unknown entry")]
    [TestCase("holiday 2026-10-07..2026-10-01", "bad range")]
    [TestCase("holiday", "needs a date")]
    public void A_bad_calendar_line_is_reported_with_file_and_line(string line, string expected)
    {
        var e = Assert.Throws<FormatException>(() => CalendarFile.Parse(2026, ["# header", line], "2026.txt"));
        Assert.That(e!.Message, Does.StartWith("2026.txt:2").And.Contain(expected));
    }

    [Test]
    public void Unpublished_year_must_not_list_dates() =>
        Assert.Throws<FormatException>(() => CalendarFile.Parse(2027, ["unpublished", "holiday 2027-01-01"], "2027.txt"));
}
