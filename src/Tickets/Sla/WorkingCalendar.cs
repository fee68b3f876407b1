using System.Globalization;

namespace Telephony.Tickets.Sla;

/// <summary>
/// Working days in mainland China: Monday to Friday, except the national holidays, plus the weekend days
/// declared working days (调休上班) by the State Council's yearly notice (国务院办公厅关于 YYYY 年部分节假日安排的通知).
/// One editable file per year (<c>config/calendar/YYYY.txt</c>, see <see cref="CalendarFile"/>); a year with no
/// file, or whose notice is marked unpublished, counts weekends only and <see cref="IsCovered"/> says so.
/// Days are China Standard Time (UTC+8, no daylight saving since 1991).
/// </summary>
public sealed class WorkingCalendar
{
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<DateOnly> _workingWeekends;
    private readonly HashSet<int> _covered;

    public WorkingCalendar(IEnumerable<CalendarYear> years)
    {
        _holidays = [];
        _workingWeekends = [];
        _covered = [];
        foreach (var year in years)
        {
            if (year.Published) _covered.Add(year.Year);
            foreach (var d in year.Holidays) _holidays.Add(d);
            foreach (var d in year.WorkingWeekends) _workingWeekends.Add(d);
        }
    }

    /// <summary>Monday to Friday only: what <see cref="Load"/> falls back to for a year without a notice.</summary>
    public static WorkingCalendar WeekendsOnly { get; } = new([]);

    /// <summary>Reads every <c>YYYY.txt</c> in <paramref name="directory"/>; throws <see cref="FormatException"/> naming the file and line of a bad entry.</summary>
    public static WorkingCalendar Load(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Working-day calendar folder {directory} does not exist (Tickets:Calendar).");
        var years = Directory.EnumerateFiles(directory, "*.txt")
            .Where(f => int.TryParse(Path.GetFileNameWithoutExtension(f), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(CalendarFile.Read);
        return new WorkingCalendar(years);
    }

    /// <summary>Whether the State Council's notice for <paramref name="year"/> is in the calendar.</summary>
    public bool IsCovered(int year) => _covered.Contains(year);

    public IReadOnlyCollection<int> CoveredYears => _covered;

    public bool IsWorkingDay(DateOnly day)
    {
        if (_holidays.Contains(day)) return false;
        if (_workingWeekends.Contains(day)) return true;
        return day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    public static DateTimeOffset ToChinaTime(DateTimeOffset instant) => instant.ToOffset(ChinaOffset);

    /// <summary>
    /// The instant when <paramref name="workingDays"/> × 24 h of working time have run from <paramref name="start"/>:
    /// the clock runs through working days and stops on the others. Accepted at 10:00 on a working day, a
    /// 3-working-day deadline is 10:00 on the third working day after; accepted on a holiday, the clock starts at
    /// 00:00 of the next working day. Fractions are allowed (the 80 % warning).
    /// </summary>
    public DateTimeOffset AddWorkingDays(DateTimeOffset start, double workingDays)
    {
        if (workingDays < 0) throw new ArgumentOutOfRangeException(nameof(workingDays));
        var remaining = TimeSpan.FromDays(workingDays);
        var cursor = ToChinaTime(start);
        for (var guard = 0; guard < 366 * 20; guard++)
        {
            var day = DateOnly.FromDateTime(cursor.DateTime);
            var nextMidnight = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaOffset);
            if (IsWorkingDay(day))
            {
                var available = nextMidnight - cursor;
                if (remaining <= available) return (cursor + remaining).ToOffset(start.Offset);
                remaining -= available;
            }
            cursor = nextMidnight;
        }
        throw new InvalidOperationException("No working day found within 20 years: the calendar is broken.");
    }
}

/// <summary>One year of the calendar as read from its file.</summary>
public sealed record CalendarYear(int Year, bool Published, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> WorkingWeekends, string Source);
