using System.Buffers.Binary;

namespace Telephony.Media.Dtmf;

/// <summary>Why a payload is not a telephone-event (RFC 4733 §2.3).</summary>
public enum TelephoneEventParseError { None, TooShort }

/// <summary>
/// The RFC 4733 §2.3 telephone-event payload:
/// <code>
///  0                   1                   2                   3
/// |     event     |E|R| volume    |          duration             |
/// </code>
/// event 0-15 are the DTMF keys 0-9 * # A-D (§3.2); volume is −dBm0 (0-63); duration in RTP timestamp units.
/// </summary>
public readonly record struct TelephoneEventPayload(byte Event, bool End, byte Volume, ushort Duration)
{
    public const int Length = 4;

    /// <summary>The DTMF key of an event code 0-15 (RFC 4733 §3.2 table 7), or null for other events.</summary>
    public char? Digit => DigitOf(Event);

    public static char? DigitOf(int code) => code switch
    {
        >= 0 and <= 9 => (char)('0' + code),
        10 => '*',
        11 => '#',
        >= 12 and <= 15 => (char)('A' + code - 12),
        _ => null,
    };

    /// <summary>The event code of a DTMF key, or -1 when it is not one of 0-9 * # A-D.</summary>
    public static int CodeOf(char digit) => digit switch
    {
        >= '0' and <= '9' => digit - '0',
        '*' => 10,
        '#' => 11,
        >= 'A' and <= 'D' => digit - 'A' + 12,
        >= 'a' and <= 'd' => digit - 'a' + 12,
        _ => -1,
    };

    /// <summary>Reads the first event of a payload; the R bit is ignored on receipt (§2.3.3).</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out TelephoneEventPayload value, out TelephoneEventParseError error)
    {
        if (payload.Length < Length)
        {
            value = default;
            error = TelephoneEventParseError.TooShort;
            return false;
        }
        value = new TelephoneEventPayload(payload[0], (payload[1] & 0x80) != 0, (byte)(payload[1] & 0x3F),
            BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(2, 2)));
        error = TelephoneEventParseError.None;
        return true;
    }

    public int Write(Span<byte> destination)
    {
        destination[0] = Event;
        destination[1] = (byte)((End ? 0x80 : 0) | (Volume & 0x3F));
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2, 2), Duration);
        return Length;
    }
}
