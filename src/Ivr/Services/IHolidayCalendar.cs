namespace Telephony.Ivr.Services;

/// <summary>
/// Public holidays and adjusted working days (调休) for the "time of day and holiday calendar" conditions.
/// Time itself comes from <see cref="TimeProvider"/>; the calendar only answers about dates in the hotline's
/// local time zone.
/// </summary>
public interface IHolidayCalendar
{
    /// <summary>True on a public holiday (国庆, 春节 …).</summary>
    bool IsHoliday(DateOnly date);

    /// <summary>True on a working day: Monday–Friday unless a holiday, and weekend days declared working days.</summary>
    bool IsWorkingDay(DateOnly date);
}

/// <summary>Weekends off and no holidays: the default when no calendar is configured.</summary>
public sealed class WeekendOnlyCalendar : IHolidayCalendar
{
    public bool IsHoliday(DateOnly date) => false;
    public bool IsWorkingDay(DateOnly date) => date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
}
