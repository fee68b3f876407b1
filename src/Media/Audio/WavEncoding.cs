namespace Telephony.Media.Audio;

/// <summary>The sample encodings we read and write, with their RIFF WAVE format tags (RFC 2361 appendix A).</summary>
public enum WavEncoding
{
    /// <summary>16-bit little-endian linear PCM, WAVE_FORMAT_PCM (1).</summary>
    Pcm16 = 1,

    /// <summary>8-bit G.711 A-law, WAVE_FORMAT_ALAW (6).</summary>
    ALaw = 6,

    /// <summary>8-bit G.711 µ-law, WAVE_FORMAT_MULAW (7).</summary>
    MuLaw = 7,
}

/// <summary>A file that is not a WAV file we can read; the message says what is wrong.</summary>
public sealed class WavFormatException(string message) : FormatException(message);

/// <summary>Decoded mono audio: linear 16-bit samples, whatever the file's encoding was.</summary>
public sealed record WavAudio(int SampleRate, WavEncoding Encoding, short[] Samples)
{
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}
