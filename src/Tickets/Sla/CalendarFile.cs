using System.Globalization;

namespace Telephony.Tickets.Sla;

/// <summary>
/// The per-year calendar file. Plain text, one entry a line, <c>#</c> starts a comment:
/// <code>
/// # source: 国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04
/// holiday 2026-02-15..2026-02-23 春节
/// workday 2026-02-14 春节调休上班
/// </code>
/// <c>holiday</c> takes a date or an inclusive range; <c>workday</c> marks a weekend day worked. A year whose
/// notice is not out yet holds the single line <c>unpublished</c> (and no dates): it counts weekends only.
/// </summary>
public static class CalendarFile
{
    public static CalendarYear Read(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var year))
            throw new FormatException($"{path}: a calendar file is named after its year (2026.txt).");
        return Parse(year, File.ReadAllLines(path), path);
    }

    public static CalendarYear Parse(int year, IEnumerable<string> lines, string source)
    {
        var holidays = new List<DateOnly>();
        var workdays = new List<DateOnly>();
        var unpublished = false;
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var hash = raw.IndexOf('#');
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0) continue;
            var parts = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
            switch (parts[0])
            {
                case "unpublished":
                    unpublished = true;
                    break;
                case "holiday":
                    holidays.AddRange(Range(parts, year, source, number));
                    break;
                case "workday":
                    foreach (var d in Range(parts, year, source, number))
                    {
                        if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                            throw new FormatException($"{source}:{number}: {d:yyyy-MM-dd} is a {d.DayOfWeek}, already a working day; 'workday' is for adjusted weekends.");
                        workdays.Add(d);
                    }
                    break;
                default:
                    throw new FormatException($"{source}:{number}: unknown entry '{parts[0]}' (expected holiday, workday or unpublished).");
            }
        }
        if (unpublished && (holidays.Count > 0 || workdays.Count > 0))
            throw new FormatException($"{source}: a year marked unpublished must not list dates.");
        var clash = holidays.Intersect(workdays).FirstOrDefault();
        if (clash != default) throw new FormatException($"{source}: {clash:yyyy-MM-dd} is both a holiday and a working day.");
        return new CalendarYear(year, !unpublished, holidays, workdays, source);
    }

    private static IEnumerable<DateOnly> Range(string[] parts, int year, string source, int line)
    {
        if (parts.Length < 2) throw new FormatException($"{source}:{line}: '{parts[0]}' needs a date (yyyy-MM-dd) or a range (yyyy-MM-dd..yyyy-MM-dd).");
        var span = parts[1].Split("..");
        var first = Date(span[0], source, line);
        var last = span.Length == 2 ? Date(span[1], source, line) : first;
        if (span.Length > 2 || last < first) throw new FormatException($"{source}:{line}: bad range '{parts[1]}'.");
        if (first.Year != year || last.Year != year) throw new FormatException($"{source}:{line}: {parts[1]} is not in {year}.");
        for (var d = first; d <= last; d = d.AddDays(1)) yield return d;
    }

    private static DateOnly Date(string text, string source, int line) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new FormatException($"{source}:{line}: '{text}' is not a date (yyyy-MM-dd).");
}
