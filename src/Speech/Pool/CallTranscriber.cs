using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Speech.Audio;
using Telephony.Speech.Vad;

namespace Telephony.Speech.Pool;

/// <summary>A finished utterance of a call: where its audio was written and its transcription.</summary>
public sealed record CallUtterance(int Index, Utterance Utterance, string WavPath, Task<TranscriptionResult> Transcription);

/// <summary>
/// One call's speech path: audio in, endpointing, each utterance written as a WAV (before transcription
/// starts, so the recording exists even when transcription fails or the caller hangs up), then queued on
/// the shared pool. Disposing it (the hang-up) cancels what is still queued or running for this call.
/// With <c>speculateAfter</c> set, a pause of that length inside an utterance starts a speculative run of
/// the utterance as it would end there (<see cref="UtteranceSpeculation"/>); when the end silence is reached
/// on the same audio, that run is the transcription, so most of whisper's time overlaps the end silence.
/// </summary>
public sealed class CallTranscriber : IDisposable
{
    private readonly Endpointer _endpointer;
    private readonly TranscriptionPool _pool;
    private readonly string _directory;
    private readonly string _callId;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _hangUp = new();
    private readonly UtteranceSpeculation? _speculation;
    private readonly TimeSpan _speculateAfter;
    private bool _pauseHandled;
    private int _count;

    public CallTranscriber(string callId, Endpointer endpointer, TranscriptionPool pool, string directory, ILogger? logger = null, TimeSpan? speculateAfter = null)
    {
        _callId = callId;
        _endpointer = endpointer;
        _pool = pool;
        _directory = directory;
        _logger = logger ?? NullLogger.Instance;
        if (speculateAfter is { } pause)
        {
            _speculateAfter = pause;
            _speculation = new UtteranceSpeculation(pool, _hangUp.Token);
        }
        Directory.CreateDirectory(directory);
    }

    /// <summary>The speculation's counters (null when speculation is off).</summary>
    public UtteranceSpeculation? Speculation => _speculation;

    /// <summary>Adds 16 kHz audio of the caller; returns the utterances that ended in it.</summary>
    public IReadOnlyList<CallUtterance> Push(ReadOnlySpan<short> samples)
    {
        var ended = Submit(_endpointer.Push(samples));
        Speculate();
        return ended;
    }

    /// <summary>The caller stopped talking for good (hang-up or end of the recording step).</summary>
    public IReadOnlyList<CallUtterance> Complete() => Submit(_endpointer.Flush());

    private void Speculate()
    {
        if (_speculation is null) return;
        var silence = _endpointer.TrailingSilence;
        if (silence < _speculateAfter)
        {
            // Speaking again (or not in an utterance): what was speculated is not how the utterance ends.
            if (_speculation.Active) _speculation.Abandon();
            _pauseHandled = false;
            return;
        }
        if (_pauseHandled) return; // one try per pause: a refused speculation is not retried every packet
        _pauseHandled = true;
        if (_endpointer.Pending() is { } pending) _speculation.Begin(pending.Samples);
    }

    private List<CallUtterance> Submit(IReadOnlyList<Utterance> utterances)
    {
        var result = new List<CallUtterance>(utterances.Count);
        foreach (var u in utterances)
        {
            var index = ++_count;
            var path = Path.Combine(_directory, $"{_callId}-utt{index:D3}.wav");
            Pcm16Wav.Write(path, u.Samples);
            _logger.LogInformation("Call {CallId} utterance {Index}: {Start:0.00}-{End:0.00} s, written to {Path}",
                _callId, index, u.SpeechStart.TotalSeconds, u.SpeechEnd.TotalSeconds, path);
            Task<TranscriptionResult> task;
            try { task = _speculation?.TranscribeAsync(u.Samples) ?? _pool.TranscribeAsync(u.Samples, _hangUp.Token); }
            catch (PoolBusyException e) { task = Task.FromException<TranscriptionResult>(e); }
            result.Add(new CallUtterance(index, u, path, task));
        }
        return result;
    }

    public void Dispose()
    {
        _speculation?.Abandon();
        _hangUp.Cancel();
        _hangUp.Dispose();
    }
}
