namespace Telephony.Host.Api;

/// <summary>
/// The web form's checks, before anything is classified or stored: each problem is a message for the 400 answer,
/// in Chinese first (the form shows it to the citizen) and naming the field. Tickets' own validation runs after these.
/// </summary>
public static class WebIntakeValidation
{
    public const int MaxDescription = 4000, MaxTitle = 100, MaxName = 50, MaxLocation = 200;

    public static string? Check(WebIntakeRequest r)
    {
        if (string.IsNullOrWhiteSpace(r.Description)) return "请填写诉求内容 (description is required).";
        if (r.Description.Trim().Length < 5) return "诉求内容太短，请写清楚您反映的问题 (description: at least 5 characters).";
        if (r.Description.Trim().Length > MaxDescription) return $"诉求内容不能超过{MaxDescription}字 (description is longer than {MaxDescription} characters).";
        if (string.IsNullOrWhiteSpace(r.Phone)) return "请填写联系电话，查询进度时需要 (phone is required: the progress query asks for its last four digits).";
        if (PhoneError(r.Phone) is { } phone) return phone;
        if (r.Title is { } t && t.Trim().Length > MaxTitle) return $"标题不能超过{MaxTitle}字 (title is longer than {MaxTitle} characters).";
        if (r.Anonymous != true && r.CallerName is { } n && n.Trim().Length > MaxName) return $"姓名不能超过{MaxName}字 (callerName is longer than {MaxName} characters).";
        if (r.Location is { } l && l.Trim().Length > MaxLocation) return $"地点不能超过{MaxLocation}字 (location is longer than {MaxLocation} characters).";
        return null;
    }

    /// <summary>The number as stored: digits only (with a leading + kept), separators dropped.</summary>
    public static string Digits(string phone)
    {
        var trimmed = phone.Trim();
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        return trimmed.StartsWith('+') ? "+" + digits : digits;
    }

    // A mobile (11 digits) or a landline with its area code (0 + 9 to 11 digits), optionally +86; spaces and dashes allowed.
    private static string? PhoneError(string phone)
    {
        var trimmed = phone.Trim();
        for (var i = 0; i < trimmed.Length; i++)
            if (!(char.IsAsciiDigit(trimmed[i]) || trimmed[i] is ' ' or '-' || trimmed[i] == '+' && i == 0))
                return "联系电话只能包含数字 (phone: digits only, with an optional leading +, spaces and dashes).";
        var digits = Digits(trimmed).TrimStart('+');
        if (trimmed.StartsWith('+'))
        {
            if (!digits.StartsWith("86", StringComparison.Ordinal)) return "请填写中国大陆的电话号码 (phone: +86 numbers only).";
            digits = digits[2..];
        }
        var mobile = digits.Length == 11 && digits[0] == '1';
        var landline = digits.Length is >= 10 and <= 12 && digits[0] == '0';
        return mobile || landline ? null : "请填写11位手机号码或带区号的固定电话 (phone: an 11-digit mobile or a landline with its area code).";
    }
}
