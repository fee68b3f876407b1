using System.Text.RegularExpressions;

namespace Telephony.Intake.Rules;

/// <summary>A rule or catalogue file that cannot be used, with the line and the reason. Nothing of the file is applied.</summary>
public sealed class RuleFileException(string file, int line, string reason) : Exception($"{file}:{line}: {reason}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Reason { get; } = reason;
}

/// <summary>One <c>[id]</c> section: its keys with the line each was written on.</summary>
public sealed class RuleSection(string file, string id, int line)
{
    private readonly Dictionary<string, (string Value, int Line)> _keys = new(StringComparer.Ordinal);
    public string File { get; } = file;
    public string Id { get; } = id;
    public int Line { get; } = line;

    internal void Add(string key, string value, int line)
    {
        if (_keys.ContainsKey(key)) throw new RuleFileException(File, line, $"'{key}' is given twice in [{Id}]");
        _keys[key] = (value, line);
    }

    public bool Has(string key) => _keys.ContainsKey(key);

    public string Required(string key) =>
        _keys.TryGetValue(key, out var v) ? v.Value : throw new RuleFileException(File, Line, $"[{Id}] has no '{key}'");

    public string? Optional(string key) => _keys.TryGetValue(key, out var v) && v.Value.Length > 0 ? v.Value : null;

    public int LineOf(string key) => _keys.TryGetValue(key, out var v) ? v.Line : Line;

    /// <summary>A weight in [0, 1].</summary>
    public double Weight(string key = "weight", double? fallback = null)
    {
        if (!_keys.TryGetValue(key, out var v))
            return fallback ?? throw new RuleFileException(File, Line, $"[{Id}] has no '{key}'");
        if (!double.TryParse(v.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var w) || w is < 0 or > 1 || double.IsNaN(w))
            throw new RuleFileException(File, v.Line, $"'{key}' must be a number from 0 to 1, not '{v.Value}'");
        return w;
    }

    /// <summary>A .NET regular expression; a bad one is refused with the parser's reason.</summary>
    public Regex? Pattern(string key, bool required)
    {
        var text = required ? Required(key) : Optional(key);
        if (text is null) return null;
        try
        {
            // A match timeout keeps a pathological pattern from stalling a call (rules run on every utterance);
            // generous, because a busy machine can pause a thread for tens of milliseconds.
            return new Regex(text, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Compiled, RuleDocument.MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw new RuleFileException(File, LineOf(key), $"'{key}' is not a valid regular expression: {e.Message}");
        }
    }

    public IEnumerable<string> Keys => _keys.Keys;

    /// <summary>Refuses keys the rule kind does not know (usually a typo that would silently disable a rule).</summary>
    public void OnlyKeys(params string[] allowed)
    {
        foreach (var (k, v) in _keys)
            if (!allowed.Contains(k)) throw new RuleFileException(File, v.Line, $"unknown key '{k}' in [{Id}] (allowed: {string.Join(", ", allowed)})");
    }
}

/// <summary>
/// The format of the editable rule and catalogue files under config/intake and config/dispatch:
/// <code>
/// # comment
/// [rule-id]
/// key = value
/// </code>
/// Values run to the end of the line (so regular expressions may hold <c>|</c>, <c>=</c> and <c>#</c>).
/// Ids are unique; every error names the line.
/// </summary>
public static class RuleDocument
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(500);

    private static readonly Regex IdPattern = new(@"^[A-Za-z0-9_.\-\p{IsCJKUnifiedIdeographs}]+$", RegexOptions.CultureInvariant);

    public static IReadOnlyList<RuleSection> Load(string path)
    {
        if (!System.IO.File.Exists(path)) throw new RuleFileException(path, 0, "file not found");
        return Parse(System.IO.File.ReadAllText(path), path);
    }

    public static IReadOnlyList<RuleSection> Parse(string text, string fileName)
    {
        var sections = new List<RuleSection>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        RuleSection? current = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var n = i + 1;
            var line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (line[0] == '[')
            {
                if (line[^1] != ']') throw new RuleFileException(fileName, n, "a section header must end with ']'");
                var id = line[1..^1].Trim();
                if (!IdPattern.IsMatch(id)) throw new RuleFileException(fileName, n, $"'{id}' is not a valid rule id (letters, digits, Chinese characters, '-', '_', '.')");
                if (!ids.Add(id)) throw new RuleFileException(fileName, n, $"rule id [{id}] is used twice");
                current = new RuleSection(fileName, id, n);
                sections.Add(current);
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq <= 0) throw new RuleFileException(fileName, n, "expected 'key = value', a '[rule-id]' header or a '#' comment");
            if (current is null) throw new RuleFileException(fileName, n, "a key before the first [rule-id] header");
            var key = line[..eq].Trim();
            if (!Regex.IsMatch(key, "^[a-z][a-z0-9_-]*$")) throw new RuleFileException(fileName, n, $"'{key}' is not a valid key (lower-case letters, digits, '-', '_')");
            current.Add(key, line[(eq + 1)..].Trim(), n);
        }
        return sections;
    }
}

public static class RegexExtensions
{
    /// <summary>The match, or a failed match when the pattern ran past <see cref="RuleDocument.MatchTimeout"/> (the rule just does not fire).</summary>
    public static Match SafeMatch(this Regex regex, string text)
    {
        try { return regex.Match(text); }
        catch (RegexMatchTimeoutException) { return Match.Empty; }
    }
}
