using Telephony.Media.Codecs;

namespace Telephony.Media.Tests.Rtp;

/// <summary>A test-only codec: the high byte of each 16-bit sample, one byte per sample, 8000 Hz.</summary>
internal sealed class Linear8TestCodec : IAudioCodec
{
    public string Name => "L8TEST";
    public int StaticPayloadType => 96;
    public int SampleRate => 8000;
    public int RtpClockRate => 8000;
    public int EncodedLength(int samples) => samples;
    public int DecodedLength(int payloadBytes) => payloadBytes;

    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        for (var i = 0; i < pcm.Length; i++) payload[i] = (byte)(pcm[i] >> 8);
        return pcm.Length;
    }

    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        var n = Math.Min(payload.Length, pcm.Length);
        for (var i = 0; i < n; i++) pcm[i] = (short)((sbyte)payload[i] << 8);
        return n;
    }
}
