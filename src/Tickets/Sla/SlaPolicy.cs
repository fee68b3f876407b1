using System.Globalization;
using Telephony.Tickets.Domain;

namespace Telephony.Tickets.Sla;

/// <summary>A time allowance: working days on the calendar, or clock hours (urgent orders run 7×24).</summary>
public readonly record struct SlaSpan(double Amount, SlaUnit Unit)
{
    /// <summary><c>3wd</c> (working days) or <c>24h</c> (hours). Never throws: false on bad text.</summary>
    public static bool TryParse(string? text, out SlaSpan span)
    {
        span = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim().ToLowerInvariant();
        var (number, unit) = text.EndsWith("wd") ? (text[..^2], SlaUnit.WorkingDays)
            : text.EndsWith('h') ? (text[..^1], SlaUnit.Hours) : (null, SlaUnit.Hours);
        if (number is null || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount <= 0) return false;
        span = new SlaSpan(amount, unit);
        return true;
    }

    public static SlaSpan Parse(string text) =>
        TryParse(text, out var s) ? s : throw new FormatException($"'{text}' is not a deadline: write 3wd (working days) or 24h (hours).");

    public override string ToString() => Unit == SlaUnit.WorkingDays
        ? $"{Amount.ToString(CultureInfo.InvariantCulture)}wd"
        : $"{Amount.ToString(CultureInfo.InvariantCulture)}h";
}

public enum SlaUnit { WorkingDays, Hours }

/// <summary>The two milestones an order is measured on: the reply to the citizen and the closing.</summary>
public sealed record SlaTargets(SlaSpan? Reply, SlaSpan? Close);

/// <summary>
/// Deadlines per type, and for urgent orders whatever their type. Cities differ, so this is configuration
/// (<c>Tickets:Sla</c>); <see cref="Default"/> holds the common defaults: consultation answered in 3 working
/// days, the other types closed in 15 working days, urgent answered in 1 hour and closed in 24 hours.
/// </summary>
public sealed class SlaPolicy
{
    public required IReadOnlyDictionary<TicketType, SlaTargets> ByType { get; init; }
    public required SlaTargets Urgent { get; init; }
    /// <summary>Share of the allowance after which the order is in warning (0.8 = 80 %).</summary>
    public double WarnAt { get; init; } = 0.8;

    public static SlaPolicy Default { get; } = new()
    {
        ByType = new Dictionary<TicketType, SlaTargets>
        {
            [TicketType.Consultation] = new(SlaSpan.Parse("3wd"), null),
            [TicketType.Help] = new(null, SlaSpan.Parse("15wd")),
            [TicketType.Complaint] = new(null, SlaSpan.Parse("15wd")),
            [TicketType.Report] = new(null, SlaSpan.Parse("15wd")),
            [TicketType.Suggestion] = new(null, SlaSpan.Parse("15wd")),
            [TicketType.Praise] = new(null, SlaSpan.Parse("15wd")),
        },
        Urgent = new(SlaSpan.Parse("1h"), SlaSpan.Parse("24h")),
    };

    public SlaTargets For(TicketType type, Urgency urgency) =>
        urgency == Urgency.Urgent ? Urgent : ByType.TryGetValue(type, out var t) ? t : new SlaTargets(null, null);
}
