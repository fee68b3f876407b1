using System.Globalization;
using Microsoft.Extensions.Logging;
using Telephony.Media.Audio;
using Telephony.Media.Channel;
using Telephony.Media.Prompts;
using Telephony.Media.Recording;

namespace Telephony.Host.Calls;

// Recording: RecordAsync opens the WAV and arms a job; the clock thread appends each decoded frame to the
// file (CallRecorder flushes at least every second) and to memory, and asks the endpointer whether to stop.
// Frames are taken only once no playback is running, so the beep is not recorded and the first frame after
// it is. The flow's thread closes the file, so the WAV is complete on disk before the task completes.
public sealed partial class RtpCallChannel
{
    private RecordJob? _record;
    private int _recordings;

    private sealed class RecordJob(CallRecorder? recorder, EnergyEndpointer endpointer, string keys, int sampleRate)
    {
        public CallRecorder? Recorder = recorder;
        public readonly EnergyEndpointer Endpointer = endpointer;
        public readonly string Keys = keys;
        public readonly PcmCapture Samples = new(sampleRate);
        public Telephony.Host.Speech.IRecordingListener? Listener;
        public readonly TaskCompletionSource<(RecordOutcome, char?)> Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public string? Error;
    }

    public async Task<RecordResult> RecordAsync(RecordOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellation.ThrowIfCancellationRequested();
        var folder = options.Folder ?? _options.RecordingsFolder;
        var path = NewRecordingPath(folder);
        CallRecorder? recorder = null;
        string? error = null;
        try
        {
            recorder = new CallRecorder(path, SampleRate, _time, _log);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The caller is still heard (samples in memory); the operator sees why nothing was kept.
            error = $"cannot record to {folder}: {e.Message}";
            _log.LogError("Call {CallId}: {Error}", CallId, error);
        }
        var job = new RecordJob(recorder,
            new EnergyEndpointer(_options.SpeechThresholdDbfs, options.EndSilence, options.NoSpeechTimeout, options.MaxLength),
            options.TerminatingKeys, SampleRate) { Error = error };
        // Only a recording on disk is speculated on: its path is how the transcribe step finds the run.
        if (recorder is not null) job.Listener = _options.RecordingListener?.Invoke(path, SampleRate, _ended.Token);
        lock (_gate)
        {
            if (_record is not null) { recorder?.Close(); throw new InvalidOperationException("a recording is already running on this channel"); }
            if (_ended.IsCancellationRequested) job.Done.TrySetResult((RecordOutcome.HungUp, null));
            else _record = job;
        }
        if (options.Beep && !job.Done.Task.IsCompleted && _prompts.TryGet(PromptLibrary.Beep, out var beep))
            _ = PlayAsync([new AudioItem.Pcm(beep, PromptLibrary.Beep)], PlayOptions.Default, CancellationToken.None);

        (RecordOutcome Outcome, char? Key) end;
        using (cancellation.Register(() => { lock (_gate) if (_record == job) { _record = null; job.Done.TrySetCanceled(); } }))
        {
            try { end = await job.Done.Task.ConfigureAwait(false); }
            catch (TaskCanceledException) { end = default; }
        }
        short[] samples;
        lock (_gate)
        {
            // The clock thread writes only while the job is armed; it is not any more.
            job.Recorder?.Close();
            samples = job.Samples.Take();
        }
        job.Listener?.Ended();
        cancellation.ThrowIfCancellationRequested();
        var duration = TimeSpan.FromSeconds((double)samples.Length / SampleRate);
        _log.LogInformation("Call {CallId}: recording ended ({How}) after {Seconds:F1} s", CallId, end.Outcome, duration.TotalSeconds);
        return new RecordResult(end.Outcome, job.Recorder is null ? null : path, samples, SampleRate, duration,
            job.Endpointer.SpeechStarted, end.Key, job.Error);
    }

    // Clock thread.
    private void Record(ReadOnlySpan<short> pcm)
    {
        lock (_gate)
        {
            if (_record is not { } job || _play is not null) return;
            job.Samples.Append(pcm);
            if (job.Recorder is { } recorder)
            {
                try { recorder.Write(pcm); }
                catch (IOException e)
                {
                    // A full disk loses the file, never the call: the samples stay in memory.
                    job.Error = $"recording {recorder.Path} failed: {e.Message}";
                    _log.LogError("Call {CallId}: {Error}", CallId, job.Error);
                    try { recorder.Close(); } catch (IOException) { }
                    job.Recorder = null;
                }
            }
            var result = job.Endpointer.Process(pcm, SampleRate);
            job.Listener?.OnFrame(pcm, job.Endpointer.LastFrameSpeech);
            switch (result)
            {
                case EndpointResult.EndOfSpeech: EndRecording(RecordOutcome.EndOfSpeech, null); break;
                case EndpointResult.NoSpeech: EndRecording(RecordOutcome.NoSpeech, null); break;
                case EndpointResult.MaxLength: EndRecording(RecordOutcome.MaxLength, null); break;
            }
        }
    }

    // Under _gate.
    private void EndRecording(RecordOutcome outcome, char? key)
    {
        if (_record is not { } job) return;
        _record = null;
        job.Done.TrySetResult((outcome, key));
    }

    /// <summary>The first recording is <c>yyyyMMdd-HHmmss-CALLID.wav</c>, later ones of the call add <c>-2</c>, <c>-3</c>.</summary>
    private string NewRecordingPath(string folder)
    {
        var n = Interlocked.Increment(ref _recordings);
        var stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var suffix = n == 1 ? "" : $"-{n}";
        return Path.Combine(folder, $"{stamp}-{SafeFileName(CallId)}{suffix}.wav");
    }
}
