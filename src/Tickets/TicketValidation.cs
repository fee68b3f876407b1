using Telephony.Tickets.Domain;

namespace Telephony.Tickets;

/// <summary>Input checks: each returns null when the request is acceptable, else a message for the 400 answer.</summary>
public static class TicketValidation
{
    public const int MaxTitle = 200, MaxText = 20000, MaxName = 100, MaxLocation = 200, MaxDepartment = 100,
        MaxActor = 100, MaxNote = 4000, MaxRecordingRef = 400, MaxCategory = 50;

    public static string? Check(NewTicket r, Taxonomy? taxonomy)
    {
        if (!Enum.IsDefined(r.Channel)) return "channel: unknown channel.";
        if (!Enum.IsDefined(r.Type)) return "type: unknown type.";
        if (!Enum.IsDefined(r.Urgency)) return "urgency: unknown urgency.";
        return Required(r.Title, "title", MaxTitle)
            ?? Required(r.Description, "description", MaxText)
            ?? Required(r.Actor, "actor", MaxActor)
            ?? Phone(r.CallerPhone)
            ?? Optional(r.CallerName, "callerName", MaxName)
            ?? Optional(r.Transcript, "transcript", MaxText)
            ?? Optional(r.RecordingRef, "recordingRef", MaxRecordingRef)
            ?? Optional(r.Location, "location", MaxLocation)
            ?? Optional(r.Department, "department", MaxDepartment)
            ?? CategoryError(r.Category, taxonomy)
            ?? (r.Channel == Channel.Phone && string.IsNullOrWhiteSpace(r.CallerPhone) && !r.Anonymous
                ? "callerPhone: a phone order has the caller's number (or set anonymous when caller ID was withheld)." : null);
    }

    public static string? Check(TransitionRequest r) =>
        !Enum.IsDefined(r.To) ? "to: unknown status."
        : r.Satisfaction is { } s && !Enum.IsDefined(s) ? "satisfaction: unknown rating."
        : Required(r.Actor, "actor", MaxActor) ?? Optional(r.Note, "note", MaxNote) ?? Optional(r.Department, "department", MaxDepartment);

    public static string? CheckAssign(string? department, string? actor, string? note) =>
        Required(department, "department", MaxDepartment) ?? Required(actor, "actor", MaxActor) ?? Optional(note, "note", MaxNote);

    public static string? CheckNote(string? actor, string? note) =>
        Required(actor, "actor", MaxActor) ?? Required(note, "note", MaxNote);

    private static string? Required(string? value, string name, int max) =>
        string.IsNullOrWhiteSpace(value) ? $"{name} is required." : Optional(value, name, max);

    private static string? Optional(string? value, string name, int max) =>
        value is not null && value.Trim().Length > max ? $"{name} is longer than {max} characters." : null;

    private static string? Phone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone)) return null;
        var digits = 0;
        foreach (var (c, i) in phone.Select((c, i) => (c, i)))
        {
            if (char.IsAsciiDigit(c)) digits++;
            else if (c is ' ' or '-' || (c == '+' && i == 0)) continue;
            else return "callerPhone: digits only (with an optional leading +, spaces and dashes).";
        }
        return digits is < 3 or > 20 ? "callerPhone: between 3 and 20 digits." : null;
    }

    private static string? CategoryError(Category? c, Taxonomy? taxonomy)
    {
        if (c is null) return null;
        if (string.IsNullOrWhiteSpace(c.Level1)) return "category.level1 is required when a category is given.";
        if (new[] { c.Level1, c.Level2, c.Level3 }.Any(l => l is { Length: > MaxCategory })) return $"category: a level is longer than {MaxCategory} characters.";
        if (taxonomy is not null && !taxonomy.Contains(c)) return $"category: '{c}' is not in the taxonomy.";
        return null;
    }
}
