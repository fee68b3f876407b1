namespace Telephony.Tickets.Codes;

/// <summary>
/// The Verhoeff check digit (J. Verhoeff, "Error Detecting Decimal Codes", 1969): multiplication in the
/// dihedral group D5 with a position permutation. Unlike Luhn (which misses 09↔90) it catches every
/// single-digit error and every transposition of adjacent digits, the two mistakes people make typing a
/// code on a phone keypad.
/// </summary>
public static class Verhoeff
{
    // d(j, k): the multiplication table of D5.
    private static readonly byte[,] D =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
        { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 },
        { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 },
        { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 },
        { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 },
        { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
        { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 },
        { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 },
        { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 },
        { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 },
    };

    // p(i mod 8, n): the permutation applied at position i (counted from the right, check digit at 0).
    private static readonly byte[,] P =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
        { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 },
        { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 },
        { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 },
        { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 },
        { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 },
        { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 },
        { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 },
    };

    private static readonly byte[] Inverse = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

    /// <summary>The check digit to append to <paramref name="digits"/> (ASCII digits only).</summary>
    public static char Compute(ReadOnlySpan<char> digits)
    {
        var c = 0;
        for (var i = 0; i < digits.Length; i++)
            c = D[c, P[(i + 1) % 8, digits[digits.Length - 1 - i] - '0']];
        return (char)('0' + Inverse[c]);
    }

    /// <summary>True when the last digit of <paramref name="digitsWithCheck"/> is its Verhoeff check digit.</summary>
    public static bool IsValid(ReadOnlySpan<char> digitsWithCheck)
    {
        if (digitsWithCheck.Length < 2) return false;
        var c = 0;
        for (var i = 0; i < digitsWithCheck.Length; i++)
        {
            var ch = digitsWithCheck[digitsWithCheck.Length - 1 - i];
            if (!char.IsAsciiDigit(ch)) return false;
            c = D[c, P[i % 8, ch - '0']];
        }
        return c == 0;
    }
}
