using Telephony.Host.Speech;
using Telephony.Ivr.Services;
using Telephony.Media.Channel;

namespace Telephony.Host.Ivr;

/// <summary>
/// The flow's transcribe node over the process's <see cref="SpeechService"/> (whisper.cpp pool). A recording
/// whose record step reported its frames (<see cref="SpeechService.Listen"/>) gets its speculative run, started at
/// the caller's 300 ms pause, when the recording ended on the same audio; otherwise the plain request.
/// </summary>
public sealed class WhisperSpeechToText(SpeechService speech) : ISpeechToText
{
    public async Task<Transcript> TranscribeAsync(RecordResult utterance, CancellationToken cancellation)
    {
        var outcome = await speech.TranscribeAsync(utterance, cancellation);
        // Throwing sends the flow down the node's error exit; the recording is already on disk.
        if (!outcome.Succeeded) throw new InvalidOperationException($"transcription failed: {outcome.Error}");
        return new Transcript(outcome.Text ?? "", "zh", outcome.Confidence);
    }
}

/// <summary>The flow's TTS over espeak-ng; a failure is an exception the runner reports, never silence passed off as speech.</summary>
public sealed class EspeakTextToSpeech(TextToSpeech tts) : ITextToSpeech
{
    public async Task<ReadOnlyMemory<short>> SynthesizeAsync(string text, int sampleRate, CancellationToken cancellation) =>
        await tts.SynthesizeAsync(text, sampleRate, cancellation) is { } pcm
            ? pcm
            : throw new InvalidOperationException("text to speech is unavailable (espeak-ng or sox missing or failing)");
}
