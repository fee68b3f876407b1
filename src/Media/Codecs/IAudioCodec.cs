namespace Telephony.Media.Codecs;

/// <summary>
/// One audio codec as RTP carries it (RFC 3551 §4.5): encodes 16-bit linear PCM at <see cref="SampleRate"/>
/// into payload bytes and back. A codec instance holds the per-stream state (G.722's ADPCM predictors), so
/// each direction of each call gets its own instance from <see cref="AudioCodecs.Create"/>.
/// </summary>
public interface IAudioCodec
{
    /// <summary>The SDP encoding name (RFC 3551 table 4): PCMU, PCMA, G722.</summary>
    string Name { get; }

    /// <summary>The static payload type (0, 8, 9); a session may map another number to it from the SDP.</summary>
    int StaticPayloadType { get; }

    /// <summary>The rate of the PCM this codec consumes and produces: 8000 for G.711, 16000 for G.722.</summary>
    int SampleRate { get; }

    /// <summary>
    /// The RTP timestamp clock (RFC 3551 §4.5.2: G.722 is sampled at 16 kHz but its RTP clock runs at 8000).
    /// </summary>
    int RtpClockRate { get; }

    /// <summary>Payload bytes for <paramref name="samples"/> PCM samples (160 for 20 ms of G.711 or G.722).</summary>
    int EncodedLength(int samples);

    /// <summary>PCM samples contained in <paramref name="payloadBytes"/> bytes of payload.</summary>
    int DecodedLength(int payloadBytes);

    /// <summary>Encodes PCM into <paramref name="payload"/>; returns the bytes written.</summary>
    int Encode(ReadOnlySpan<short> pcm, Span<byte> payload);

    /// <summary>Decodes a payload into <paramref name="pcm"/>; returns the samples written.</summary>
    int Decode(ReadOnlySpan<byte> payload, Span<short> pcm);
}
