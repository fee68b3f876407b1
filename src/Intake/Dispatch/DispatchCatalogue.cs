using System.Text.RegularExpressions;
using Telephony.Intake.Rules;

namespace Telephony.Intake.Dispatch;

/// <summary>
/// One entry of the dispatch catalogue (派单目录): a department for messages whose text matches
/// <see cref="Keywords"/> (optionally only within <see cref="Category"/>), or, without keywords, the
/// default department of a category; an entry with neither is the fallback.
/// </summary>
public sealed record DispatchRule(string Id, string Department, string? Category, Regex? Keywords, string? Taxonomy, int Line);

/// <summary>The proposed department and the catalogue rule that chose it (id, file line, the matched keyword if any).</summary>
public sealed record DepartmentProposal(string Department, string RuleId, int Line, string Reason);

/// <summary>
/// config/dispatch/catalogue.rules. Keyword entries are tried in file order (put the specific ones first),
/// then the predicted category's default, then the fallback.
/// </summary>
public sealed class DispatchCatalogue
{
    private readonly List<DispatchRule> _keywordRules;
    private readonly Dictionary<string, DispatchRule> _categoryDefaults;
    private readonly DispatchRule? _fallback;

    public IReadOnlyList<DispatchRule> Rules { get; }
    public string FileName { get; }

    private DispatchCatalogue(IReadOnlyList<DispatchRule> rules, string fileName)
    {
        Rules = rules;
        FileName = fileName;
        _keywordRules = rules.Where(r => r.Keywords is not null).ToList();
        _categoryDefaults = rules.Where(r => r.Keywords is null && r.Category is not null).ToDictionary(r => r.Category!);
        _fallback = rules.FirstOrDefault(r => r.Keywords is null && r.Category is null);
    }

    public static DispatchCatalogue Load(string path, IReadOnlyCollection<string>? knownCategories = null) =>
        Parse(File.Exists(path) ? File.ReadAllText(path) : throw new RuleFileException(path, 0, "file not found"), path, knownCategories);

    /// <param name="knownCategories">When given (the model's categories), an entry naming another category is refused: it could never apply.</param>
    public static DispatchCatalogue Parse(string text, string fileName, IReadOnlyCollection<string>? knownCategories = null)
    {
        var rules = new List<DispatchRule>();
        var defaults = new HashSet<string>();
        DispatchRule? fallback = null;
        foreach (var s in RuleDocument.Parse(text, fileName))
        {
            s.OnlyKeys("department", "category", "keywords", "taxonomy", "description");
            var department = s.Required("department");
            if (department.Length == 0) throw new RuleFileException(fileName, s.LineOf("department"), $"[{s.Id}] has an empty department");
            var category = s.Optional("category");
            if (category is not null && knownCategories is not null && !knownCategories.Contains(category))
                throw new RuleFileException(fileName, s.LineOf("category"), $"unknown category '{category}' (the model knows: {string.Join(", ", knownCategories)})");
            var keywords = s.Pattern("keywords", required: false);
            var rule = new DispatchRule(s.Id, department, category, keywords, s.Optional("taxonomy"), s.Line);
            if (keywords is null && category is not null && !defaults.Add(category))
                throw new RuleFileException(fileName, s.Line, $"a second default for category '{category}'");
            if (keywords is null && category is null)
            {
                if (fallback is not null) throw new RuleFileException(fileName, s.Line, $"a second fallback entry (the first is [{fallback.Id}], line {fallback.Line})");
                fallback = rule;
            }
            rules.Add(rule);
        }
        if (fallback is null) throw new RuleFileException(fileName, 1, "no fallback entry (an entry with a department and neither category nor keywords)");
        return new DispatchCatalogue(rules, fileName);
    }

    /// <param name="category">The classifier's best category (null when no model is loaded).</param>
    public DepartmentProposal Propose(string text, string? category)
    {
        foreach (var r in _keywordRules)
        {
            if (r.Category is not null && r.Category != category) continue;
            var m = r.Keywords!.SafeMatch(text);
            if (m.Success) return new DepartmentProposal(r.Department, r.Id, r.Line, $"keyword '{m.Value}'");
        }
        if (category is not null && _categoryDefaults.TryGetValue(category, out var d))
            return new DepartmentProposal(d.Department, d.Id, d.Line, $"category {category}");
        return new DepartmentProposal(_fallback!.Department, _fallback.Id, _fallback.Line, "fallback");
    }
}
