namespace Telephony.Media.Channel;

/// <summary>
/// One answered call as the IVR sees it (DESIGN.md: "Ivr talks to a call only through ICallChannel"): play
/// audio with barge-in, collect digits, record an utterance, hang up. Implemented by Host over a real RTP
/// session and by the IVR simulator over a script. All methods are called from one flow at a time; they
/// complete with a result, never with an exception for what the caller did (hanging up mid-prompt is
/// <see cref="PlayOutcome.HungUp"/>), and throw <see cref="OperationCanceledException"/> only when the
/// flow's own token is cancelled.
/// </summary>
public interface ICallChannel
{
    /// <summary>The SIP Call-ID (or the simulator's id): for logs and work-order references.</summary>
    string CallId { get; }

    /// <summary>The caller's number as signalled (unmasked: mask it before logging).</summary>
    string Caller { get; }

    /// <summary>The dialled number (e.g. 12345).</summary>
    string Callee { get; }

    /// <summary>PCM rate of this call's audio (8000 for G.711, 16000 for G.722).</summary>
    int SampleRate { get; }

    /// <summary>Cancelled when the caller hangs up (or the call ends for any reason).</summary>
    CancellationToken Ended { get; }

    /// <summary>
    /// A digit from the caller (RFC 4733, SIP INFO or in-band), raised on whatever thread received it.
    /// Digits also go to the channel's buffer, which <see cref="CollectDigitsAsync"/> reads first.
    /// </summary>
    event Action<char>? Digit;

    /// <summary>
    /// Plays <paramref name="items"/> in order. With <see cref="PlayOptions.BargeIn"/>, a digit stops playback
    /// at once and stays in the buffer for the next collect.
    /// </summary>
    Task<PlayResult> PlayAsync(IReadOnlyList<AudioItem> items, PlayOptions options, CancellationToken cancellation = default);

    /// <summary>Collects digits (buffered ones first) until the maximum, a terminator or a timeout.</summary>
    Task<DigitsResult> CollectDigitsAsync(DigitOptions options, CancellationToken cancellation = default);

    /// <summary>
    /// Records the caller until silence after speech, the maximum length, a terminating key or hang-up. The
    /// recording is on disk (flushed) before the task completes, whatever the outcome.
    /// </summary>
    Task<RecordResult> RecordAsync(RecordOptions options, CancellationToken cancellation = default);

    /// <summary>Ends the call (BYE); completes when the hang-up has been sent. Idempotent.</summary>
    Task HangupAsync();

    /// <summary>Digits received and not yet consumed by a collect.</summary>
    string PendingDigits { get; }

    /// <summary>Forgets buffered digits (e.g. before a menu that must not take earlier presses).</summary>
    void ClearDigits();
}

/// <summary>Something to play: a named prompt from the prompt library, or PCM at the channel's rate.</summary>
public abstract record AudioItem
{
    private AudioItem() { }

    /// <summary>A prompt by name (prompts/prompts.tsv); a missing prompt is skipped and reported in the result.</summary>
    public sealed record Prompt(string Name) : AudioItem;

    /// <summary>Samples at <see cref="ICallChannel.SampleRate"/> (synthesized text, a tone), with a label for logs.</summary>
    public sealed record Pcm(ReadOnlyMemory<short> Samples, string Label) : AudioItem;

    /// <summary>Silence of the given length.</summary>
    public sealed record Silence(TimeSpan Length) : AudioItem;
}

public sealed record PlayOptions
{
    public static readonly PlayOptions Default = new();

    /// <summary>A digit stops the playback (the digit stays buffered).</summary>
    public bool BargeIn { get; init; }
}

public enum PlayOutcome { Completed, BargedIn, HungUp }

/// <summary>How playback ended; <paramref name="Played"/> lists what was actually sent, for tests and logs.</summary>
public sealed record PlayResult(PlayOutcome Outcome, IReadOnlyList<string> Played, IReadOnlyList<string> Missing, TimeSpan Duration);

public sealed record DigitOptions
{
    public int MaxDigits { get; init; } = 1;

    /// <summary>Keys that end collection early (not included in the result), e.g. "#".</summary>
    public string Terminators { get; init; } = "#";

    /// <summary>Time allowed for the first digit.</summary>
    public TimeSpan FirstDigitTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time allowed between digits.</summary>
    public TimeSpan InterDigitTimeout { get; init; } = TimeSpan.FromSeconds(3);
}

public enum DigitsOutcome { Completed, Terminated, Timeout, HungUp }

/// <summary>The digits collected (possibly partial on timeout) and how collection ended.</summary>
public sealed record DigitsResult(DigitsOutcome Outcome, string Digits, char? Terminator);

public sealed record RecordOptions
{
    /// <summary>Silence after speech that ends the utterance (GB/T 33358 callers pause; about 800 ms).</summary>
    public TimeSpan EndSilence { get; init; } = TimeSpan.FromMilliseconds(800);

    /// <summary>No speech at all within this time ends the recording as <see cref="RecordOutcome.NoSpeech"/>.</summary>
    public TimeSpan NoSpeechTimeout { get; init; } = TimeSpan.FromSeconds(8);

    public TimeSpan MaxLength { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Keys that end the recording (the key stays buffered), e.g. "#"; empty for none.</summary>
    public string TerminatingKeys { get; init; } = "";

    /// <summary>Folder for the WAV; the implementation names the file after the call.</summary>
    public string? Folder { get; init; }

    /// <summary>Play a beep before recording starts.</summary>
    public bool Beep { get; init; } = true;
}

public enum RecordOutcome { EndOfSpeech, MaxLength, NoSpeech, Key, HungUp }

/// <summary>
/// The utterance: the WAV on disk at the channel's rate (null only when it could not be written: see
/// <paramref name="Error"/>), the samples in memory for transcription, and how it ended.
/// </summary>
public sealed record RecordResult(RecordOutcome Outcome, string? Path, ReadOnlyMemory<short> Samples, int SampleRate,
    TimeSpan Duration, bool SpeechDetected, char? Key, string? Error = null);
