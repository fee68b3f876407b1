using Microsoft.Extensions.Time.Testing;
using Telephony.Ivr.Flow;
using Telephony.Ivr.Runtime;
using Telephony.Ivr.Services;
using Telephony.Ivr.Simulation;
using Telephony.Ivr.Validation;

namespace Telephony.Ivr.Tests.Simulation;

/// <summary>Office hours, weekends, public holidays and adjusted working days (调休) decided by branch conditions, run in the simulator on a fake clock.</summary>
public class TimeConditionSimulationTests
{
    private const string Flow = """
        { "name": "hours", "start": "check", "nodes": {
          "check": { "type": "branch", "cases": [
            { "when": "holiday", "next": "holiday" },
            { "when": "timeBetween('22:00', '06:00')", "next": "night" },
            { "when": "!workingDay || !timeBetween('08:30', '17:30')", "next": "closed" },
            { "when": "hour == 12", "next": "lunch" } ],
            "else": "open" },
          "holiday": { "type": "play", "prompts": ["holiday"], "next": "end" },
          "night":   { "type": "play", "prompts": ["night"], "next": "end" },
          "closed":  { "type": "play", "prompts": ["closed"], "next": "end" },
          "lunch":   { "type": "play", "prompts": ["lunch"], "next": "end" },
          "open":    { "type": "play", "prompts": ["open"], "next": "end" },
          "end":     { "type": "hangup" } } }
        """;

    private string _dir = "";

    [SetUp] public void SetUp() => _dir = RepositoryPaths.NewScratchDirectory("ivr-time");
    [TearDown] public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>国庆 2026 (1–7 October) off, Saturday 10 October a working day, otherwise Monday–Friday.</summary>
    private sealed class NationalDayCalendar : IHolidayCalendar
    {
        public bool IsHoliday(DateOnly date) => date >= new DateOnly(2026, 10, 1) && date <= new DateOnly(2026, 10, 7);
        public bool IsWorkingDay(DateOnly date) => !IsHoliday(date) && (date == new DateOnly(2026, 10, 10) || date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
    }

    private async Task<SimulationResult> CallAt(DateTime local)
    {
        var (flow, errors) = FlowParser.ParseAndValidate(Flow, ValidationContext.Lenient);
        Assert.That(flow, Is.Not.Null, string.Join("; ", errors));
        // The simulator's runner reads local time in the machine's zone: the call is placed at that local time.
        var clock = new FakeTimeProvider(new DateTimeOffset(local, TimeZoneInfo.Local.GetUtcOffset(local)));
        var (script, _) = SimulationScript.Parse("");
        return await Simulator.RunAsync(FlowSnapshot.Of(flow!), script!, _dir, clock, new NationalDayCalendar());
    }

    [TestCase(2026, 12, 2, 10, 0, "open", TestName = "A_wednesday_morning_is_open")]
    [TestCase(2026, 12, 2, 8, 29, "closed", TestName = "A_minute_before_opening_is_closed")]
    [TestCase(2026, 12, 2, 8, 30, "open", TestName = "Opening_time_itself_is_open")]
    [TestCase(2026, 12, 2, 12, 15, "lunch", TestName = "The_hour_variable_sees_noon")]
    [TestCase(2026, 12, 2, 19, 0, "closed", TestName = "A_wednesday_evening_is_closed")]
    [TestCase(2026, 12, 2, 23, 30, "night", TestName = "Late_night_is_in_a_window_that_wraps_past_midnight")]
    [TestCase(2026, 12, 3, 5, 59, "night", TestName = "Early_morning_is_in_the_same_wrapped_window")]
    [TestCase(2026, 12, 5, 10, 0, "closed", TestName = "A_saturday_is_closed")]
    [TestCase(2026, 10, 1, 10, 0, "holiday", TestName = "National_day_is_a_holiday_although_a_thursday")]
    [TestCase(2026, 10, 10, 10, 0, "open", TestName = "An_adjusted_working_saturday_is_open")]
    public async Task The_branch_takes_the_case_for_the_time_of_the_call(int year, int month, int day, int hour, int minute, string expected)
    {
        var r = await CallAt(new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified));

        Assert.That(r.Channel.Played, Is.EqualTo(new[] { expected }));
        Assert.That(r.Run.Trace[0].Node, Is.EqualTo("check"));
        Assert.That(r.Run.Variables["hour"], Is.EqualTo((double)hour));
        Assert.That(r.Run.Outcome, Is.EqualTo(RunOutcome.Completed));
    }

    [Test]
    public async Task Weekday_holiday_and_working_day_are_set_for_conditions()
    {
        var r = await CallAt(new DateTime(2026, 10, 10, 9, 0, 0));  // a Saturday made a working day

        Assert.That(r.Run.Variables["weekday"], Is.EqualTo(6.0));
        Assert.That(r.Run.Variables["holiday"], Is.EqualTo(false));
        Assert.That(r.Run.Variables["workingDay"], Is.EqualTo(true));
    }
}
