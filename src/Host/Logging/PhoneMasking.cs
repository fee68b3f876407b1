using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace Telephony.Host.Logging;

/// <summary>
/// Masks phone numbers in log output: the middle digits of a number become asterisks
/// (<c>13812345678</c> → <c>138****5678</c>), as hotline privacy rules expect. Applied to every
/// string property, so a number logged inside a SIP URI is masked too.
/// </summary>
public static partial class PhoneMasking
{
    // 7 or more digits, optionally with a leading +: mobile, landline with area code, E.164.
    [GeneratedRegex(@"(?<!\d)\+?\d{7,15}(?!\d)")]
    private static partial Regex PhoneNumber();

    public static string Mask(string text) => PhoneNumber().Replace(text, m => MaskNumber(m.Value));

    public static string MaskNumber(string number)
    {
        var digits = number.AsSpan();
        if (digits.Length < 7) return number;
        var keepHead = digits.Length >= 11 ? 3 : 2;
        const int keepTail = 4;
        return string.Concat(digits[..keepHead], new string('*', digits.Length - keepHead - keepTail), digits[^keepTail..]);
    }
}

/// <summary>Serilog enricher-style filter that rewrites string properties through <see cref="PhoneMasking"/>.</summary>
public sealed class PhoneMaskingEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var (name, value) in logEvent.Properties.ToArray())
            if (value is ScalarValue { Value: string s } && PhoneMasking.Mask(s) is var masked && !ReferenceEquals(masked, s) && masked != s)
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(masked)));
    }
}
