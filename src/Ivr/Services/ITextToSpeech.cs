namespace Telephony.Ivr.Services;

/// <summary>
/// Synthesizes text for a play node with <c>text</c> instead of a prompt (Host adapts espeak-ng).
/// Returns mono PCM16 at <paramref name="sampleRate"/> (the channel's rate).
/// </summary>
public interface ITextToSpeech
{
    Task<ReadOnlyMemory<short>> SynthesizeAsync(string text, int sampleRate, CancellationToken cancellation);
}
