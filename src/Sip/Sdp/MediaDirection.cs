// RFC 4566 §6 (a=sendrecv, a=sendonly, a=recvonly, a=inactive) and RFC 3264 §6.1 (how an answer mirrors them).
namespace Telephony.Sip.Sdp;

/// <summary>
/// Which way media flows, seen from the side that wrote the SDP. The numeric values are a send bit (1) and a
/// receive bit (2) so that directions can be intersected.
/// </summary>
public enum MediaDirection
{
    SendRecv = 3,
    SendOnly = 1,
    RecvOnly = 2,
    Inactive = 0,
}

public static class MediaDirections
{
    public static bool Sends(this MediaDirection direction) => ((int)direction & 1) != 0;

    public static bool Receives(this MediaDirection direction) => ((int)direction & 2) != 0;

    /// <summary>The attribute name, e.g. "sendonly".</summary>
    public static string ToAttributeName(this MediaDirection direction) => direction switch
    {
        MediaDirection.SendOnly => "sendonly",
        MediaDirection.RecvOnly => "recvonly",
        MediaDirection.Inactive => "inactive",
        _ => "sendrecv",
    };

    public static bool TryParseAttributeName(string name, out MediaDirection direction)
    {
        // Attribute names are compared without case: some gateways write "a=SendOnly".
        switch (name.ToLowerInvariant())
        {
            case "sendrecv": direction = MediaDirection.SendRecv; return true;
            case "sendonly": direction = MediaDirection.SendOnly; return true;
            case "recvonly": direction = MediaDirection.RecvOnly; return true;
            case "inactive": direction = MediaDirection.Inactive; return true;
            default: direction = MediaDirection.SendRecv; return false;
        }
    }

    /// <summary>The other side's view: what the peer sends we receive (RFC 3264 §6.1).</summary>
    public static MediaDirection Mirror(this MediaDirection direction) => direction switch
    {
        MediaDirection.SendOnly => MediaDirection.RecvOnly,
        MediaDirection.RecvOnly => MediaDirection.SendOnly,
        _ => direction,
    };

    /// <summary>Only what both allow, e.g. sendrecv ∩ recvonly = recvonly, sendonly ∩ recvonly = inactive.</summary>
    public static MediaDirection Intersect(this MediaDirection direction, MediaDirection other) =>
        (MediaDirection)((int)direction & (int)other);

    internal static bool IsDirectionAttribute(SdpAttribute attribute) =>
        attribute.Value is null && TryParseAttributeName(attribute.Name, out _);
}
