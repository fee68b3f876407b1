namespace Telephony.Media.Codecs;

/// <summary>G.711 A-law as RTP payload type 8 (RFC 3551 §4.5.14): one byte per 8 kHz sample, stateless.</summary>
public sealed class PcmaCodec : IAudioCodec
{
    public string Name => "PCMA";
    public int StaticPayloadType => 8;
    public int SampleRate => 8000;
    public int RtpClockRate => 8000;
    public int EncodedLength(int samples) => samples;
    public int DecodedLength(int payloadBytes) => payloadBytes;

    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        G711.EncodeALaw(pcm, payload[..pcm.Length]);
        return pcm.Length;
    }

    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        G711.DecodeALaw(payload, pcm[..payload.Length]);
        return payload.Length;
    }
}
