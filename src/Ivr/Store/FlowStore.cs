using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Telephony.Ivr.Flow;
using Telephony.Ivr.Runtime;
using Telephony.Ivr.Validation;

namespace Telephony.Ivr.Store;

/// <summary>A flow's versions and which one is active.</summary>
public sealed record FlowInfo(string Name, IReadOnlyList<int> Versions, int? Active);

/// <summary>Why a store operation did nothing: the errors (validation) or a reason (unknown flow or version).</summary>
public sealed record StoreResult(bool Ok, int? Version, IReadOnlyList<FlowError> Errors)
{
    public static StoreResult Failed(string reason, string? node = null) => new(false, null, [new(FlowErrorKind.Malformed, node, reason)]);
}

/// <summary>
/// Versioned flows on disk: <c>ROOT/NAME/vN.json</c> (never rewritten) and <c>ROOT/NAME/active</c> holding N.
/// Every write goes to a temporary file first and is moved into place, so a reader sees the old or the new
/// file, never half of one. Active documents are parsed once and cached as immutable objects; a call takes a
/// <see cref="FlowSnapshot"/> at its start and keeps it, so activating or rolling back never changes a call in
/// progress ("hot reload never drops a call").
/// </summary>
public sealed class FlowStore
{
    private static readonly Regex NamePattern = new("^[A-Za-z0-9_-]{1,64}$", RegexOptions.Compiled);
    private readonly string _root;
    private readonly Func<ValidationContext> _prompts;
    private readonly ConcurrentDictionary<string, (int Version, FlowDocument Flow)> _active = new();
    private readonly Lock _write = new();

    /// <param name="validation">The prompt catalogue (and checks) for saving; the store adds "sub-flow exists".</param>
    public FlowStore(string root, Func<ValidationContext> validation)
    {
        _root = root;
        _prompts = validation;
        Directory.CreateDirectory(root);
    }

    public string Root => _root;

    public IReadOnlyList<FlowInfo> List() =>
        Directory.EnumerateDirectories(_root).Select(Path.GetFileName).Where(n => n is not null && NamePattern.IsMatch(n))
            .Order(StringComparer.Ordinal).Select(n => Info(n!)!).ToList();

    public FlowInfo? Info(string name)
    {
        if (!NamePattern.IsMatch(name) || !Directory.Exists(Folder(name))) return null;
        return new FlowInfo(name, Versions(name), ReadActive(name));
    }

    /// <summary>The document text of a version (the active one when <paramref name="version"/> is null).</summary>
    public string? GetText(string name, int? version = null)
    {
        if (!NamePattern.IsMatch(name)) return null;
        var v = version ?? ReadActive(name);
        if (v is null) return null;
        var path = VersionPath(name, v.Value);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    /// <summary>Validates against the prompt catalogue and the stored flows; on success writes the next version (not activated).</summary>
    public StoreResult Save(string json, bool activate = false)
    {
        var (flow, errors) = FlowParser.ParseAndValidate(json, Context());
        if (flow is null) return new StoreResult(false, null, errors);
        if (!NamePattern.IsMatch(flow.Name)) return StoreResult.Failed($"flow name '{flow.Name}' must be letters, digits, '-' or '_'");
        lock (_write)
        {
            Directory.CreateDirectory(Folder(flow.Name));
            var version = Versions(flow.Name).DefaultIfEmpty(0).Max() + 1;
            WriteAtomically(VersionPath(flow.Name, version), json);
            if (activate) SetActive(flow.Name, version, flow);
            return new StoreResult(true, version, []);
        }
    }

    /// <summary>The errors <see cref="Save"/> would report, writing nothing.</summary>
    public IReadOnlyList<FlowError> Check(string json) => FlowParser.ParseAndValidate(json, Context()).Errors;

    private ValidationContext Context() => _prompts() with { FlowExists = n => Info(n) is not null };

    public StoreResult Activate(string name, int version)
    {
        if (!NamePattern.IsMatch(name)) return StoreResult.Failed($"no flow '{name}'");
        var text = GetText(name, version);
        if (text is null) return StoreResult.Failed($"flow '{name}' has no version {version}");
        var (flow, errors) = FlowParser.Parse(text);
        if (flow is null) return new StoreResult(false, null, errors);
        lock (_write) SetActive(name, version, flow);
        return new StoreResult(true, version, []);
    }

    /// <summary>Activates the newest version older than the active one.</summary>
    public StoreResult RollBack(string name)
    {
        var info = Info(name);
        if (info?.Active is not { } active) return StoreResult.Failed($"flow '{name}' has no active version");
        var previous = info.Versions.Where(v => v < active).DefaultIfEmpty(0).Max();
        return previous == 0 ? StoreResult.Failed($"flow '{name}' has no version before v{active}") : Activate(name, previous);
    }

    /// <summary>The active flow and, transitively, every sub-flow it names, fixed for one call.</summary>
    public FlowSnapshot? Snapshot(string name)
    {
        if (LoadActive(name) is not { } main) return null;
        var subflows = new Dictionary<string, FlowDocument>();
        var pending = new Queue<FlowDocument>([main.Flow]);
        while (pending.Count > 0)
            foreach (var sub in pending.Dequeue().Nodes.Values.Where(n => n.Type == NodeTypes.Subflow && n.Flow is not null).Select(n => n.Flow!))
                if (!subflows.ContainsKey(sub) && LoadActive(sub) is { } loaded) { subflows[sub] = loaded.Flow; pending.Enqueue(loaded.Flow); }
        return new FlowSnapshot(main.Flow, main.Version, subflows);
    }

    /// <summary>Seeds a flow from a file (e.g. flows/12345.json) when the store has none of that name: v1, active.</summary>
    public StoreResult ImportIfMissing(string path)
    {
        var json = File.ReadAllText(path);
        var (flow, errors) = FlowParser.Parse(json);
        if (flow is null) return new StoreResult(false, null, errors);
        var info = Info(flow.Name);
        return info?.Active is { } active ? new StoreResult(true, active, []) : Save(json, activate: true);
    }

    /// <summary>Forgets cached documents so the next snapshot rereads the active pointers (another process changed them).</summary>
    public void Reload() => _active.Clear();

    private (int Version, FlowDocument Flow)? LoadActive(string name)
    {
        var onDisk = ReadActive(name);
        if (onDisk is null) return null;
        if (_active.TryGetValue(name, out var cached) && cached.Version == onDisk) return cached;
        var text = GetText(name, onDisk);
        if (text is null) return null;
        var (flow, _) = FlowParser.Parse(text);
        if (flow is null) return null;
        _active[name] = (onDisk.Value, flow);
        return (onDisk.Value, flow);
    }

    private void SetActive(string name, int version, FlowDocument flow)
    {
        WriteAtomically(Path.Combine(Folder(name), "active"), version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _active[name] = (version, flow);
    }

    private int? ReadActive(string name)
    {
        if (!NamePattern.IsMatch(name)) return null;
        var path = Path.Combine(Folder(name), "active");
        return File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), out var v) ? v : null;
    }

    private List<int> Versions(string name) =>
        Directory.Exists(Folder(name))
            ? Directory.EnumerateFiles(Folder(name), "v*.json")
                .Select(f => int.TryParse(Path.GetFileNameWithoutExtension(f)[1..], out var v) ? v : 0).Where(v => v > 0).Order().ToList()
            : [];

    private string Folder(string name) => Path.Combine(_root, name);
    private string VersionPath(string name, int version) => Path.Combine(Folder(name), $"v{version}.json");

    private static void WriteAtomically(string path, string text)
    {
        var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }
}
