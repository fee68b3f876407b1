// RFC 4566 §5: writes the lines of a session description in the order the grammar requires
// (v o s i u e p c b t r z k a, then for each medium m i c b k a), each ended by CRLF.
using System.Text;

namespace Telephony.Sip.Sdp;

internal static class SdpWriter
{
    public static string Write(SessionDescription sdp)
    {
        var text = new StringBuilder(512);
        Line(text, 'v', sdp.Version.ToString());
        Line(text, 'o', sdp.Origin.ToString());
        Line(text, 's', sdp.SessionName);
        Optional(text, 'i', sdp.Information);
        Optional(text, 'u', sdp.Uri);
        foreach (var email in sdp.Emails)
            Line(text, 'e', email);
        foreach (var phone in sdp.Phones)
            Line(text, 'p', phone);
        Optional(text, 'c', sdp.Connection?.ToString());
        foreach (var bandwidth in sdp.Bandwidths)
            Line(text, 'b', bandwidth);
        // RFC 4566 requires at least one t=; a description built in code without one still gets "t=0 0".
        if (sdp.Timings.Count == 0)
            Line(text, 't', "0 0");
        foreach (var timing in sdp.Timings)
        {
            Line(text, 't', timing.ToString());
            foreach (var repeat in timing.RepeatTimes)
                Line(text, 'r', repeat);
        }
        Optional(text, 'z', sdp.TimeZones);
        Optional(text, 'k', sdp.EncryptionKey);
        foreach (var attribute in sdp.Attributes)
            Line(text, 'a', attribute.ToString());

        foreach (var media in sdp.MediaDescriptions)
        {
            var port = media.PortCount is { } count ? $"{media.Port}/{count}" : media.Port.ToString();
            Line(text, 'm', $"{media.Media} {port} {media.Protocol} {string.Join(' ', media.Formats)}");
            Optional(text, 'i', media.Information);
            Optional(text, 'c', media.Connection?.ToString());
            foreach (var bandwidth in media.Bandwidths)
                Line(text, 'b', bandwidth);
            Optional(text, 'k', media.EncryptionKey);
            foreach (var attribute in media.Attributes)
                Line(text, 'a', attribute.ToString());
        }
        return text.ToString();
    }

    private static void Optional(StringBuilder text, char type, string? value)
    {
        if (value is not null)
            Line(text, type, value);
    }

    private static void Line(StringBuilder text, char type, string value) =>
        text.Append(type).Append('=').Append(value).Append("\r\n");
}
