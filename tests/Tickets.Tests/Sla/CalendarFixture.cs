using Telephony.Testing;
using Telephony.Tickets.Sla;

namespace Telephony.Tickets.Tests.Sla;

/// <summary>The calendar shipped in config/calendar, as the host loads it.</summary>
public static class CalendarFixture
{
    public static string Directory => Path.Combine(RepositoryPaths.Root, "config", "calendar");

    public static WorkingCalendar Shipped { get; } = WorkingCalendar.Load(Directory);

    /// <summary>A local China time (UTC+8) as an instant.</summary>
    public static DateTimeOffset China(int y, int m, int d, int h = 0, int min = 0) => new(y, m, d, h, min, 0, WorkingCalendar.ChinaOffset);
}
