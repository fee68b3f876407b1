namespace Telephony.Tickets.Domain;

/// <summary>Masking of personal data for logs and for anything shown outside the hotline staff.</summary>
public static class PersonalData
{
    /// <summary><c>13812345678</c> → <c>138****5678</c>; a short number keeps only its last two digits.</summary>
    public static string MaskPhone(string? phone)
    {
        if (string.IsNullOrEmpty(phone)) return "";
        if (phone.Length < 7) return new string('*', Math.Max(0, phone.Length - 2)) + phone[^Math.Min(2, phone.Length)..];
        var head = phone.Length >= 11 ? 3 : 2;
        return string.Concat(phone.AsSpan(0, head), new string('*', phone.Length - head - 4), phone.AsSpan(phone.Length - 4));
    }

    /// <summary>张三丰 → 张**: the family name only.</summary>
    public static string MaskName(string? name) =>
        string.IsNullOrEmpty(name) ? "" : name[..1] + new string('*', Math.Max(1, name.Length - 1));

    /// <summary>The last four digits of a number, or null when it has fewer than four digits.</summary>
    public static string? LastFour(string? phone)
    {
        if (phone is null) return null;
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        return digits.Length >= 4 ? digits[^4..] : null;
    }
}
