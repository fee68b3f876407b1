using System.Security.Cryptography;

namespace Telephony.Tickets.Codes;

/// <summary>
/// The citizen's query code (查询码): <see cref="Length"/> digits, the first nine drawn from a CSPRNG
/// (first digit 1-9 so a keypad entry never loses a leading zero), the tenth a Verhoeff check digit. Ten digits
/// is a phone number's length, easy to read out and key in; 9×10⁸ codes make guessing hopeless, and the progress
/// page asks for the last four digits of the caller's number too. Uniqueness is the database's unique index;
/// the store draws again on a collision.
/// </summary>
public static class QueryCode
{
    public const int Length = 10;

    public static string New()
    {
        Span<char> code = stackalloc char[Length];
        // One draw for the nine digits (uniform over 100000000..999999999, so the first is 1-9), not one per digit:
        // each draw is a call into the OS's CSPRNG, and a create draws a code on its way to the writer.
        var n = RandomNumberGenerator.GetInt32(100_000_000, 1_000_000_000);
        for (var i = Length - 2; i >= 0; i--, n /= 10) code[i] = (char)('0' + n % 10);
        code[Length - 1] = Verhoeff.Compute(code[..^1]);
        return new string(code);
    }

    /// <summary>
    /// Normalizes what a citizen typed (spaces, dashes and full-width digits are tolerated) and checks the
    /// length and check digit. Never throws: false with a reason.
    /// </summary>
    public static bool TryParse(string? input, out string code, out string? reason)
    {
        code = "";
        if (string.IsNullOrWhiteSpace(input)) { reason = "The query code is empty."; return false; }
        Span<char> digits = stackalloc char[Length];
        var n = 0;
        foreach (var raw in input)
        {
            var ch = raw is >= '０' and <= '９' ? (char)('0' + (raw - '０')) : raw;
            if (ch is ' ' or '-' or '\u3000') continue;
            if (!char.IsAsciiDigit(ch)) { reason = "A query code has digits only."; return false; }
            if (n == Length) { reason = $"A query code has {Length} digits."; return false; }
            digits[n++] = ch;
        }
        if (n != Length) { reason = $"A query code has {Length} digits."; return false; }
        if (!Verhoeff.IsValid(digits)) { reason = "The query code's check digit does not match: a digit was mistyped."; return false; }
        code = new string(digits);
        reason = null;
        return true;
    }
}
