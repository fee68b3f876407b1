// RFC 4566 §5 (the "<type>=<value>" grammar and the order of lines), §5.1-§5.14 (each line's fields).
// Input comes from the network: every problem is reported as a reason, nothing throws.
namespace Telephony.Sip.Sdp;

internal static class SdpParser
{
    // Lines that may appear at most once in their section (RFC 4566 §5 grammar: no "*" in front of them).
    private const string SingleAtSessionLevel = "iuczk";
    private const string SingleAtMediaLevel = "ick";

    public static bool TryParse(string? text, out SessionDescription? sdp, out string? error)
    {
        sdp = null;
        try
        {
            error = Parse(text, out var parsed);
            if (error is not null)
                return false;
            sdp = parsed;
            return true;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            // Belt and braces: every field is checked before use, but a parser facing the network must not throw.
            error = $"malformed SDP: {e.Message}";
            return false;
        }
    }

    private static string? Parse(string? text, out SessionDescription sdp)
    {
        sdp = new SessionDescription();
        if (string.IsNullOrWhiteSpace(text))
            return "empty SDP";

        var lines = text.Split('\n');
        var position = 0;        // v=, o=, s= must be the first three lines, in that order (RFC 4566 §5)
        var seen = new HashSet<char>();
        MediaDescription? media = null;

        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].TrimEnd('\r');
            var number = index + 1;
            // Blank lines are not SDP, but a trailing one (or a stray one from a hand-edited test) is harmless.
            if (line.Trim().Length == 0)
                continue;
            if (line.Length < 2 || line[1] != '=' || line[0] is < 'a' or > 'z')
                return $"line {number}: expected <type>=<value>, got \"{Shorten(line)}\"";
            var type = line[0];
            var value = line[2..];

            if (position < 3)
            {
                var expected = "vos"[position];
                if (type != expected)
                    return $"line {number}: expected {expected}= but found {type}= (v=, o= and s= must come first, in order)";
                position++;
            }
            else if (type is 'v' or 'o' or 's')
            {
                return $"line {number}: a second {type}= line";
            }

            if (media is null && type != 'm')
            {
                if (SingleAtSessionLevel.Contains(type) && !seen.Add(type))
                    return $"line {number}: a second session-level {type}= line";
                var problem = SessionLine(sdp, type, value);
                if (problem is not null)
                    return $"line {number}: {problem}";
                continue;
            }

            if (type == 'm')
            {
                if (sdp.Timings.Count == 0)
                    return $"line {number}: m= before any t= line";
                var problem = MediaLine(value, out media);
                if (problem is not null)
                    return $"line {number}: {problem}";
                sdp.MediaDescriptions.Add(media!);
                seen.Clear();
                continue;
            }

            if (SingleAtMediaLevel.Contains(type) && !seen.Add(type))
                return $"line {number}: a second {type}= line in the same media section";
            var mediaProblem = MediaAttributeLine(media!, type, value);
            if (mediaProblem is not null)
                return $"line {number}: {mediaProblem}";
        }

        if (position < 3)
            return position == 0 ? "missing v= line" : position == 1 ? "missing o= line" : "missing s= line";
        if (sdp.Timings.Count == 0)
            return "missing t= line";
        if (sdp.MediaDescriptions.Count == 0)
            return "no m= line: a description without media cannot set up a call";
        return null;
    }

    private static string? SessionLine(SessionDescription sdp, char type, string value)
    {
        switch (type)
        {
            case 'v':
                if (value.Trim() != "0")
                    return $"unsupported SDP version \"{Shorten(value)}\" (only v=0 exists)";
                sdp.Version = 0;
                return null;
            case 'o':
                if (!TryOrigin(value, out var origin, out var originProblem))
                    return originProblem;
                sdp.Origin = origin;
                return null;
            case 's':
                // RFC 4566 asks for a non-empty s=, but an empty one hurts nobody: accept it.
                sdp.SessionName = value;
                return null;
            case 'i': sdp.Information = value; return null;
            case 'u': sdp.Uri = value; return null;
            case 'e': sdp.Emails.Add(value); return null;
            case 'p': sdp.Phones.Add(value); return null;
            case 'c':
                if (!TryConnection(value, out var connection, out var connectionProblem))
                    return connectionProblem;
                sdp.Connection = connection;
                return null;
            case 'b': sdp.Bandwidths.Add(value); return null;
            case 't':
                var times = Fields(value);
                if (times.Length != 2 || !ulong.TryParse(times[0], out var start) || !ulong.TryParse(times[1], out var stop))
                    return $"t= needs two decimal times, got \"{Shorten(value)}\"";
                sdp.Timings.Add(new Timing(start, stop));
                return null;
            case 'r':
                if (sdp.Timings.Count == 0)
                    return "r= must follow a t= line";
                sdp.Timings[^1].RepeatTimes.Add(value);
                return null;
            case 'z': sdp.TimeZones = value; return null;
            case 'k': sdp.EncryptionKey = value; return null;
            case 'a':
                if (!TryAttribute(value, out var attribute))
                    return $"a= without an attribute name: \"{Shorten(value)}\"";
                sdp.Attributes.Add(attribute);
                return null;
            default:
                // RFC 4566 §5: a description with a type letter we do not understand must be ignored whole.
                return $"unknown line type {type}=";
        }
    }

    private static string? MediaAttributeLine(MediaDescription media, char type, string value)
    {
        switch (type)
        {
            case 'i': media.Information = value; return null;
            case 'c':
                if (!TryConnection(value, out var connection, out var problem))
                    return problem;
                media.Connection = connection;
                return null;
            case 'b': media.Bandwidths.Add(value); return null;
            case 'k': media.EncryptionKey = value; return null;
            case 'a':
                if (!TryAttribute(value, out var attribute))
                    return $"a= without an attribute name: \"{Shorten(value)}\"";
                media.Attributes.Add(attribute);
                return null;
            case 'u' or 'e' or 'p' or 't' or 'r' or 'z':
                return $"{type}= is only allowed at session level, not inside a media section";
            default:
                return $"unknown line type {type}=";
        }
    }

    private static string? MediaLine(string value, out MediaDescription? media)
    {
        media = null;
        var fields = Fields(value);
        if (fields.Length < 3)
            return $"m= needs <media> <port> <proto> <fmt>..., got \"{Shorten(value)}\"";
        if (fields.Length < 4)
            return $"m= line lists no formats: \"{Shorten(value)}\"";

        var portText = fields[1];
        int? count = null;
        var slash = portText.IndexOf('/');
        if (slash >= 0)
        {
            if (!int.TryParse(portText.AsSpan(slash + 1), out var c) || c < 1)
                return $"m= port count is not a positive number: \"{Shorten(portText)}\"";
            count = c;
            portText = portText[..slash];
        }
        if (!int.TryParse(portText, out var port) || port is < 0 or > 65535)
            return $"m= port is not a number from 0 to 65535: \"{Shorten(fields[1])}\"";

        media = new MediaDescription { Media = fields[0], Port = port, PortCount = count, Protocol = fields[2] };
        media.Formats.AddRange(fields.Skip(3));
        return null;
    }

    private static bool TryOrigin(string value, out Origin origin, out string? problem)
    {
        origin = null!;
        var fields = Fields(value);
        if (fields.Length != 6)
        {
            problem = $"o= needs 6 fields (username sess-id sess-version nettype addrtype address), got {fields.Length}";
            return false;
        }
        if (!ulong.TryParse(fields[2], out var version))
        {
            problem = $"o= session version is not a 64-bit number: \"{Shorten(fields[2])}\"";
            return false;
        }
        if (!TryAddressType(fields[4], out var addressType))
        {
            problem = $"o= address type must be IP4 or IP6, got \"{Shorten(fields[4])}\"";
            return false;
        }
        origin = new Origin(fields[0], fields[1], version, fields[3], addressType, fields[5]);
        problem = null;
        return true;
    }

    private static bool TryConnection(string value, out ConnectionData connection, out string? problem)
    {
        connection = null!;
        var fields = Fields(value);
        if (fields.Length != 3)
        {
            problem = $"c= needs 3 fields (nettype addrtype address), got \"{Shorten(value)}\"";
            return false;
        }
        if (!TryAddressType(fields[1], out var addressType))
        {
            problem = $"c= address type must be IP4 or IP6, got \"{Shorten(fields[1])}\"";
            return false;
        }
        connection = new ConnectionData(fields[0], addressType, fields[2]);
        problem = null;
        return true;
    }

    private static bool TryAddressType(string text, out SdpAddressType type)
    {
        // Tokens are case-sensitive in the grammar; accepting "ip4" costs nothing and avoids a 488.
        if (text.Equals("IP4", StringComparison.OrdinalIgnoreCase)) { type = SdpAddressType.IP4; return true; }
        if (text.Equals("IP6", StringComparison.OrdinalIgnoreCase)) { type = SdpAddressType.IP6; return true; }
        type = SdpAddressType.IP4;
        return false;
    }

    private static bool TryAttribute(string value, out SdpAttribute attribute)
    {
        var colon = value.IndexOf(':');
        var name = colon < 0 ? value : value[..colon];
        attribute = new SdpAttribute(name, colon < 0 ? null : value[(colon + 1)..]);
        // The grammar wants a token, but an odd attribute we would ignore anyway is no reason to refuse a call.
        return name.Trim().Length > 0;
    }

    // Fields are separated by one space; extra spaces or tabs from sloppy writers are tolerated.
    private static string[] Fields(string value) =>
        value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
