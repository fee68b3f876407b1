namespace Telephony.Speech.Pool;

/// <summary>
/// Speculation for a recording whose endpointing is done elsewhere (the IVR's record step: the channel's
/// energy endpointer says which 20 ms frames are speech). Frames arrive on the media clock thread with
/// <see cref="OnFrame"/>; once the silence after speech reaches the pause, the recording cut at
/// last speech + pause is speculated on a thread-pool thread (upsampling and queueing stay off the clock
/// thread); speech resuming abandons it. <see cref="TranscribeAsync"/> takes the finished recording, cuts
/// it the same way — with speculation or without, the transcribed audio is the recording up to the pause
/// length after its last speech frame — and reuses the speculative run only when the samples are identical.
/// </summary>
public sealed class RecordingSpeculation
{
    private readonly object _gate = new();
    private readonly UtteranceSpeculation _speculation;
    private readonly List<short> _audio = new();
    private readonly int _sampleRate;
    private readonly int _pause;     // samples
    private int _lastSpeechEnd = -1; // sample index just past the last speech frame; -1 before any speech
    private int _silence;            // samples since then
    private bool _pauseHandled;
    private int _generation;         // bumped when speech resumes: a speculation queued before is stale

    public RecordingSpeculation(TranscriptionPool pool, int sampleRate, TimeSpan pause, CancellationToken cancel = default)
    {
        if (sampleRate is not (8000 or 16000)) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "only 8000 and 16000 Hz audio can be transcribed");
        _sampleRate = sampleRate;
        _pause = (int)(pause.TotalSeconds * sampleRate);
        _speculation = new UtteranceSpeculation(pool, cancel);
    }

    /// <summary>The counters of the speculative runs (read them after <see cref="TranscribeAsync"/>).</summary>
    public UtteranceSpeculation Speculation => _speculation;

    /// <summary>One frame of the recording, in order, and whether the endpointer called it speech. Clock thread; does not block on whisper.</summary>
    public void OnFrame(ReadOnlySpan<short> pcm, bool speech)
    {
        lock (_gate)
        {
            foreach (var s in pcm) _audio.Add(s);
            if (speech)
            {
                _lastSpeechEnd = _audio.Count;
                _silence = 0;
                if (_pauseHandled) { _generation++; _speculation.Abandon(); }
                _pauseHandled = false;
                return;
            }
            if (_lastSpeechEnd < 0) return;
            _silence += pcm.Length;
            if (_silence < _pause || _pauseHandled) return;
            _pauseHandled = true;
            var (generation, cut) = (_generation, _lastSpeechEnd + _pause);
            ThreadPool.QueueUserWorkItem(_ => Begin(generation, cut));
        }
    }

    private void Begin(int generation, int cut)
    {
        short[] prefix;
        lock (_gate)
        {
            if (generation != _generation) return; // speech resumed meanwhile
            prefix = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_audio)[..cut].ToArray();
        }
        var wide = _sampleRate == 16000 ? prefix : TranscriptionPool.Upsample(prefix); // off the lock the clock thread takes
        lock (_gate)
        {
            if (generation != _generation) return;
            _speculation.Begin(wide);
        }
    }

    /// <summary>
    /// The finished recording (the channel's samples, which the frames were copies of): transcribes it up to
    /// the pause length after the last speech frame, through the speculative run when it was of the same samples.
    /// </summary>
    public Task<TranscriptionResult> TranscribeAsync(ReadOnlySpan<short> recording, CancellationToken cancel = default)
    {
        lock (_gate)
        {
            var cut = _lastSpeechEnd < 0 ? recording.Length : Math.Min(recording.Length, _lastSpeechEnd + _pause);
            return _speculation.TranscribeAsync(To16k(recording[..cut]), cancel);
        }
    }

    /// <summary>The recording will not be transcribed (no transcribe step, or the call ended): drops a speculation.</summary>
    public void Abandon()
    {
        lock (_gate)
        {
            _generation++;
            _speculation.Abandon();
        }
    }

    private short[] To16k(ReadOnlySpan<short> samples) => _sampleRate == 16000 ? samples.ToArray() : TranscriptionPool.Upsample(samples);
}
