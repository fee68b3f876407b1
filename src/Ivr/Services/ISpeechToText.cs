using Telephony.Media.Channel;

namespace Telephony.Ivr.Services;

/// <summary>
/// Speech to text for one recorded utterance. Host adapts the Speech worker pool (whisper.cpp); the simulator
/// returns the script's text. The recording is already on disk (<see cref="RecordResult.Path"/>) when this is
/// called, so a failure here loses nothing the caller said: throw, and the runner follows the node's error exit.
/// </summary>
public interface ISpeechToText
{
    Task<Transcript> TranscribeAsync(RecordResult utterance, CancellationToken cancellation);
}

/// <summary>The text heard, its language (e.g. "zh") and the recognizer's own confidence in [0, 1] when it has one.</summary>
public sealed record Transcript(string Text, string? Language = null, double? Confidence = null);
