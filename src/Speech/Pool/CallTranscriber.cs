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
/// </summary>
public sealed class CallTranscriber : IDisposable
{
    private readonly Endpointer _endpointer;
    private readonly TranscriptionPool _pool;
    private readonly string _directory;
    private readonly string _callId;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _hangUp = new();
    private int _count;

    public CallTranscriber(string callId, Endpointer endpointer, TranscriptionPool pool, string directory, ILogger? logger = null)
    {
        _callId = callId;
        _endpointer = endpointer;
        _pool = pool;
        _directory = directory;
        _logger = logger ?? NullLogger.Instance;
        Directory.CreateDirectory(directory);
    }

    /// <summary>Adds 16 kHz audio of the caller; returns the utterances that ended in it.</summary>
    public IReadOnlyList<CallUtterance> Push(ReadOnlySpan<short> samples) => Submit(_endpointer.Push(samples));

    /// <summary>The caller stopped talking for good (hang-up or end of the recording step).</summary>
    public IReadOnlyList<CallUtterance> Complete() => Submit(_endpointer.Flush());

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
            try { task = _pool.TranscribeAsync(u.Samples, _hangUp.Token); }
            catch (PoolBusyException e) { task = Task.FromException<TranscriptionResult>(e); }
            result.Add(new CallUtterance(index, u, path, task));
        }
        return result;
    }

    public void Dispose()
    {
        _hangUp.Cancel();
        _hangUp.Dispose();
    }
}
