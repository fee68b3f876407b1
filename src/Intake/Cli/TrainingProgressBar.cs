using System.Diagnostics;
using Telephony.Intake.Classification;

namespace Telephony.Intake.Cli;

/// <summary>
/// Training progress on stderr: a redrawn bar with the running stage and elapsed time when stderr is a
/// terminal, otherwise one plain line per stage (logs and CI output stay readable).
/// </summary>
public sealed class TrainingProgressBar : IProgress<TrainingProgress>, IDisposable
{
    private const int Width = 30;
    private readonly TextWriter _out;
    private readonly bool _interactive;
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly Timer? _timer;
    private readonly Lock _lock = new();
    private TrainingProgress _last;
    private string _stage = "";

    public TrainingProgressBar(TextWriter? output = null, bool? interactive = null)
    {
        _out = output ?? Console.Error;
        _interactive = interactive ?? !Console.IsErrorRedirected;
        if (_interactive) _timer = new Timer(_ => Draw(), null, 250, 250);
    }

    public void Report(TrainingProgress value)
    {
        lock (_lock)
        {
            _last = value;
            if (value.Stage.Length > 0)
            {
                _stage = value.Stage;
                if (!_interactive) _out.WriteLine($"train: [{value.Done}/{value.Total}] {value.Stage} ({_watch.Elapsed.TotalSeconds:0.0} s)");
            }
        }
        if (_interactive) Draw();
    }

    private void Draw()
    {
        lock (_lock)
        {
            var total = Math.Max(1, _last.Total);
            var filled = Math.Clamp(_last.Done * Width / total, 0, Width);
            var line = $"\r[{new string('#', filled)}{new string('.', Width - filled)}] {_last.Done}/{_last.Total} {_watch.Elapsed.TotalSeconds,6:0.0} s  {_stage}";
            _out.Write(line.PadRight(100));
            _out.Flush();
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        if (_interactive) lock (_lock) { Draw(); _out.WriteLine(); }
    }
}
