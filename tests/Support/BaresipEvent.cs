using System.Text.Json;

namespace Telephony.Testing;

/// <summary>
/// An event baresip's ctrl_tcp sends unasked, e.g.
/// <c>{"event":true,"type":"CALL_ESTABLISHED","class":"call","accountaor":"sip:a@127.0.0.1:5090","direction":"incoming","peeruri":"sip:b@...","id":"...","param":"..."}</c>.
/// </summary>
public sealed record BaresipEvent(string Type, string? Class, string? AccountAor, string? Direction, string? PeerUri, string? CallId, string? Param, string Json)
{
    internal static BaresipEvent From(JsonElement e, string json) =>
        new(Text(e, "type") ?? "", Text(e, "class"), Text(e, "accountaor"), Text(e, "direction"), Text(e, "peeruri"), Text(e, "id"), Text(e, "param"), json);

    internal static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public override string ToString() => $"{Type} {Direction} {PeerUri} {Param}".TrimEnd();
}

/// <summary>The reply to a command: <c>{"response":true,"ok":true,"data":"...","token":"t1"}</c>.</summary>
public sealed record BaresipResponse(bool Ok, string Data);

/// <summary>Event types baresip 1.0 sends that tests wait for.</summary>
public static class BaresipEvents
{
    public const string RegisterOk = "REGISTER_OK";
    public const string RegisterFail = "REGISTER_FAIL";
    public const string CallIncoming = "CALL_INCOMING";
    public const string CallRinging = "CALL_RINGING";
    public const string CallProgress = "CALL_PROGRESS";
    public const string CallEstablished = "CALL_ESTABLISHED";
    public const string CallClosed = "CALL_CLOSED";
    public const string CallDtmfStart = "CALL_DTMF_START";
    public const string CallDtmfEnd = "CALL_DTMF_END";
    public const string CallRtpEstablished = "CALL_RTPESTAB";
}
