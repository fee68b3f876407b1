using System.Text;
using Microsoft.Extensions.Logging;
using Telephony.Media.Channel;

namespace Telephony.Host.Calls;

// Digits: one buffer fed by every DTMF path; a collect takes from it and waits on a signal that each new
// digit completes. Timeouts run on the MediaEngine's TimeProvider, so tests can drive them.
public sealed partial class RtpCallChannel
{
    private readonly StringBuilder _digits = new();
    private readonly StringBuilder _allDigits = new();
    private TaskCompletionSource _digitArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public event Action<char>? Digit;

    public string PendingDigits { get { lock (_gate) return _digits.ToString(); } }

    /// <summary>Every key received during the call, in order (consumed or not): for the call's metadata.</summary>
    public string DigitsReceived { get { lock (_gate) return _allDigits.ToString(); } }

    public void ClearDigits() { lock (_gate) _digits.Clear(); }

    /// <summary>A key from the caller by any path (<paramref name="how"/>: RFC 4733, SIP INFO, in-band). Any thread.</summary>
    public void OnDigit(char digit, string how)
    {
        TaskCompletionSource arrived;
        lock (_gate)
        {
            if (_ended.IsCancellationRequested) return;
            _digits.Append(digit);
            _allDigits.Append(digit);
            if (_play is { BargeIn: true }) EndPlayback(PlayOutcome.BargedIn);
            if (_record is { } job && job.Keys.Contains(digit)) EndRecording(RecordOutcome.Key, digit);
            arrived = _digitArrived;
            _digitArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        _log.LogInformation("Call {CallId}: DTMF {Digit} ({Method})", CallId, digit.ToString(), how);
        arrived.TrySetResult();
        try { Digit?.Invoke(digit); }
        catch (Exception e) { _log.LogError(e, "Call {CallId}: a Digit handler failed", CallId); }
    }

    public async Task<DigitsResult> CollectDigitsAsync(DigitOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxDigits < 1) throw new ArgumentOutOfRangeException(nameof(options), options.MaxDigits, "MaxDigits must be at least 1");
        var collected = new StringBuilder();
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            Task next;
            lock (_gate)
            {
                while (_digits.Length > 0)
                {
                    var c = _digits[0];
                    _digits.Remove(0, 1);
                    if (options.Terminators.Contains(c)) return new DigitsResult(DigitsOutcome.Terminated, collected.ToString(), c);
                    collected.Append(c);
                    if (collected.Length >= options.MaxDigits) return new DigitsResult(DigitsOutcome.Completed, collected.ToString(), null);
                }
                if (_ended.IsCancellationRequested) return new DigitsResult(DigitsOutcome.HungUp, collected.ToString(), null);
                next = _digitArrived.Task;
            }
            var timeout = collected.Length == 0 ? options.FirstDigitTimeout : options.InterDigitTimeout;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var delay = Task.Delay(timeout, _time, stop.Token);
            var first = await Task.WhenAny(next, delay, _endedTask.Task).ConfigureAwait(false);
            stop.Cancel();
            cancellation.ThrowIfCancellationRequested();
            if (first == delay)
            {
                // A digit that raced the timeout still counts.
                lock (_gate) if (_digits.Length > 0) continue;
                return new DigitsResult(DigitsOutcome.Timeout, collected.ToString(), null);
            }
        }
    }
}
