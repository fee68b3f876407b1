namespace Telephony.Ivr.Runtime;

/// <summary>Masks a number for logs and traces (STYLE.md: 138****5678); short numbers such as 110 stay readable.</summary>
public static class PhoneMask
{
    public static string Mask(string? number)
    {
        if (string.IsNullOrEmpty(number)) return "";
        if (number.Length <= 6) return number;
        return number[..3] + new string('*', number.Length - 7) + number[^4..];
    }
}
