namespace Telephony.Media.Audio;

/// <summary>
/// The DTMF signalling frequencies of ITU-T Q.23 §2 (figure 1 / table 1): a key sends one frequency of the
/// low group (rows) and one of the high group (columns).
/// </summary>
public static class DtmfFrequencies
{
    public static readonly double[] Low = [697, 770, 852, 941];
    public static readonly double[] High = [1209, 1336, 1477, 1633];

    /// <summary>The keypad, row by row: Keys[row, column].</summary>
    private static readonly char[,] Keys =
    {
        { '1', '2', '3', 'A' },
        { '4', '5', '6', 'B' },
        { '7', '8', '9', 'C' },
        { '*', '0', '#', 'D' },
    };

    public const string AllDigits = "123A456B789C*0#D";

    public static char Digit(int row, int column) => Keys[row, column];

    /// <summary>The low and high frequencies of <paramref name="digit"/> (0-9, *, #, A-D; case-insensitive).</summary>
    public static (double Low, double High) Of(char digit)
    {
        char upper = char.ToUpperInvariant(digit);
        for (int row = 0; row < 4; row++)
            for (int column = 0; column < 4; column++)
                if (Keys[row, column] == upper) return (Low[row], High[column]);
        throw new ArgumentException($"'{digit}' is not a DTMF key (0-9, *, #, A-D)", nameof(digit));
    }
}
