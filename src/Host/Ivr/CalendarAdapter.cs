using Telephony.Ivr.Services;
using Telephony.Tickets.Sla;

namespace Telephony.Host.Ivr;

/// <summary>
/// The flow's holiday conditions over the work orders' State Council calendar (config/calendar). A holiday
/// here is a weekday off; a holiday falling on a weekend is a weekend either way for opening hours.
/// </summary>
public sealed class WorkingCalendarAdapter(WorkingCalendar calendar) : IHolidayCalendar
{
    public bool IsHoliday(DateOnly date) => !calendar.IsWorkingDay(date) && date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    public bool IsWorkingDay(DateOnly date) => calendar.IsWorkingDay(date);
}
