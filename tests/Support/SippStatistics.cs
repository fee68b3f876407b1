using System.Globalization;

namespace Telephony.Testing;

/// <summary>
/// One line of SIPp's <c>-trace_stat</c> CSV: semicolon-separated, a header line then one line per dump.
/// Columns ending in <c>(C)</c> are cumulative since the start, <c>(P)</c> the last period.
/// </summary>
public sealed class SippStatistics
{
    private readonly Dictionary<string, string> _columns;

    private SippStatistics(Dictionary<string, string> columns) => _columns = columns;

    public long SuccessfulCalls => Counter("SuccessfulCall(C)");
    public long FailedCalls => Counter("FailedCall(C)");
    public long TotalCallsCreated => Counter("TotalCallCreated");
    public long CurrentCalls => Counter("CurrentCall");
    public long Retransmissions => Counter("Retransmissions(C)");

    public string? this[string column] => _columns.GetValueOrDefault(column);

    public long Counter(string column) =>
        _columns.TryGetValue(column, out var v) && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>The cumulative failure counters that are not zero, e.g. <c>FailedMaxUDPRetrans=3</c>: why calls failed.</summary>
    public string FailureReasons() => string.Join(", ", _columns
        .Where(c => c.Key.StartsWith("Failed", StringComparison.Ordinal) && c.Key.EndsWith("(C)", StringComparison.Ordinal)
                    && c.Key != "FailedCall(C)" && c.Value != "0")
        .Select(c => $"{c.Key[..^3]}={c.Value}"));

    /// <summary>The last (most recent) line of the file's text; null when SIPp wrote no data line.</summary>
    public static SippStatistics? ParseLast(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length < 2) return null;
        var header = lines[0].Split(';');
        var values = lines[^1].Split(';');
        // Read while SIPp is running, the last line may be half written: take the one before.
        if (values.Length < header.Length - 1 && lines.Length > 2) values = lines[^2].Split(';');
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length && i < values.Length; i++)
            if (header[i].Length > 0) columns[header[i]] = values[i];
        return new SippStatistics(columns);
    }
}
