using System.Text;
using Telephony.Media.Channel;

namespace Telephony.Ivr.Simulation;

/// <summary>
/// An <see cref="ICallChannel"/> driven by a <see cref="SimulationScript"/>: no audio, no clock. Prompts "play" at once
/// (listed in <see cref="Played"/>); a recording writes a short WAV to the folder and remembers the script's text for
/// it so <see cref="FakeSpeechToText"/> can "hear" it.
/// </summary>
public sealed class ScriptedCallChannel : ICallChannel
{
    private readonly Queue<ScriptStep> _steps;
    private readonly CancellationTokenSource _ended = new();
    private readonly StringBuilder _digits = new();
    private readonly string _folder;
    private int _recordings;

    public ScriptedCallChannel(SimulationScript script, string recordingFolder, string callId = "sim-1", IReadOnlySet<string>? knownPrompts = null)
    {
        _steps = new Queue<ScriptStep>(script.Steps);
        _folder = recordingFolder;
        CallId = callId;
        Caller = script.Caller;
        KnownPrompts = knownPrompts;
    }

    public string CallId { get; }
    public string Caller { get; }
    public string Callee => "12345";
    public int SampleRate => 8000;
    public CancellationToken Ended => _ended.Token;
    public event Action<char>? Digit;
    public string PendingDigits => _digits.ToString();
    public bool HungUpByFlow { get; private set; }
    public IReadOnlySet<string>? KnownPrompts { get; }

    public List<string> Played { get; } = new();

    /// <summary>Recording path → the text the caller said in it.</summary>
    public Dictionary<string, string> Speech { get; } = new();

    public void ClearDigits() => _digits.Clear();

    public Task<PlayResult> PlayAsync(IReadOnlyList<AudioItem> items, PlayOptions options, CancellationToken cancellation = default)
    {
        if (TakeHangup()) return Task.FromResult(new PlayResult(PlayOutcome.HungUp, [], [], TimeSpan.Zero));
        var played = new List<string>();
        var missing = new List<string>();
        foreach (var item in items)
        {
            if (options.BargeIn && _steps.TryPeek(out var next) && next.Kind == StepKind.Press)
            {
                Press(_steps.Dequeue().Argument);
                Played.AddRange(played);
                return Task.FromResult(new PlayResult(PlayOutcome.BargedIn, played, missing, TimeSpan.Zero));
            }
            var label = item switch
            {
                AudioItem.Prompt p => p.Name,
                AudioItem.Pcm pcm => pcm.Label,
                AudioItem.Silence s => $"silence {s.Length.TotalMilliseconds:0} ms",
                _ => "?",
            };
            if (item is AudioItem.Prompt prompt && KnownPrompts is not null && !KnownPrompts.Contains(prompt.Name)) missing.Add(label);
            else played.Add(label);
        }
        Played.AddRange(played);
        return Task.FromResult(new PlayResult(PlayOutcome.Completed, played, missing, TimeSpan.Zero));
    }

    public Task<DigitsResult> CollectDigitsAsync(DigitOptions options, CancellationToken cancellation = default)
    {
        while (true)
        {
            var buffered = PendingDigits;
            for (var i = 0; i < buffered.Length; i++)
            {
                if (options.Terminators.Contains(buffered[i]))
                {
                    _digits.Remove(0, i + 1);
                    return Task.FromResult(new DigitsResult(DigitsOutcome.Terminated, buffered[..i], buffered[i]));
                }
                if (i + 1 == options.MaxDigits)
                {
                    _digits.Remove(0, i + 1);
                    return Task.FromResult(new DigitsResult(DigitsOutcome.Completed, buffered[..(i + 1)], null));
                }
            }
            if (TakeHangup()) return Task.FromResult(new DigitsResult(DigitsOutcome.HungUp, "", null));
            if (_steps.TryPeek(out var next) && next.Kind == StepKind.Press) { Press(_steps.Dequeue().Argument); continue; }
            if (next?.Kind == StepKind.Wait) _steps.Dequeue();
            _digits.Clear();
            return Task.FromResult(new DigitsResult(DigitsOutcome.Timeout, buffered, null));
        }
    }

    public async Task<RecordResult> RecordAsync(RecordOptions options, CancellationToken cancellation = default)
    {
        if (TakeHangup()) return new RecordResult(RecordOutcome.HungUp, null, ReadOnlyMemory<short>.Empty, SampleRate, TimeSpan.Zero, false, null);
        if (_steps.TryPeek(out var next) && next.Kind == StepKind.Press && next.Argument.Length > 0 && options.TerminatingKeys.Contains(next.Argument[0]))
        {
            _steps.Dequeue();
            Press(next.Argument);
            var path0 = await WriteAsync(options, 0.3);
            return new RecordResult(RecordOutcome.Key, path0, new short[2400], SampleRate, TimeSpan.FromSeconds(0.3), false, next.Argument[0]);
        }
        var step = next is { Kind: StepKind.Say or StepKind.SayAndHangup or StepKind.Silence } ? _steps.Dequeue() : null;
        var speech = step is { Kind: StepKind.Say or StepKind.SayAndHangup };
        var seconds = speech ? 2.0 : 0.5;
        var path = await WriteAsync(options, seconds);
        if (speech) Speech[path] = step!.Argument;
        var samples = new short[(int)(seconds * SampleRate)];
        if (step?.Kind == StepKind.SayAndHangup)
        {
            _ended.Cancel();
            return new RecordResult(RecordOutcome.HungUp, path, samples, SampleRate, TimeSpan.FromSeconds(seconds), true, null);
        }
        return new RecordResult(speech ? RecordOutcome.EndOfSpeech : RecordOutcome.NoSpeech, path, samples, SampleRate,
            TimeSpan.FromSeconds(seconds), speech, null);
    }

    public Task HangupAsync()
    {
        HungUpByFlow = !_ended.IsCancellationRequested || HungUpByFlow;
        _ended.Cancel();
        return Task.CompletedTask;
    }

    private void Press(string keys)
    {
        foreach (var key in keys)
        {
            _digits.Append(key);
            Digit?.Invoke(key);
        }
    }

    private bool TakeHangup()
    {
        if (_ended.IsCancellationRequested) return true;
        if (!_steps.TryPeek(out var next) || next.Kind != StepKind.Hangup) return false;
        _steps.Dequeue();
        _ended.Cancel();
        return true;
    }

    /// <summary>A real WAV (silence) so "the recording is on disk" holds in the simulator too.</summary>
    private async Task<string> WriteAsync(RecordOptions options, double seconds)
    {
        var folder = options.Folder ?? _folder;
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{CallId}-{++_recordings}.wav");
        var samples = (int)(seconds * SampleRate);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.ASCII, leaveOpen: true))
        {
            // RIFF/WAVE header, PCM16 mono.
            w.Write("RIFF"u8); w.Write(36 + samples * 2); w.Write("WAVE"u8);
            w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(SampleRate); w.Write(SampleRate * 2); w.Write((short)2); w.Write((short)16);
            w.Write("data"u8); w.Write(samples * 2); w.Write(new byte[samples * 2]);
        }
        await File.WriteAllBytesAsync(path, ms.ToArray());
        return path;
    }
}
