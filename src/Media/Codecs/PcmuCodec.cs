namespace Telephony.Media.Codecs;

/// <summary>G.711 µ-law as RTP payload type 0 (RFC 3551 §4.5.14): one byte per 8 kHz sample, stateless.</summary>
public sealed class PcmuCodec : IAudioCodec
{
    public string Name => "PCMU";
    public int StaticPayloadType => 0;
    public int SampleRate => 8000;
    public int RtpClockRate => 8000;
    public int EncodedLength(int samples) => samples;
    public int DecodedLength(int payloadBytes) => payloadBytes;

    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        G711.EncodeMuLaw(pcm, payload[..pcm.Length]);
        return pcm.Length;
    }

    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        G711.DecodeMuLaw(payload, pcm[..payload.Length]);
        return payload.Length;
    }
}
