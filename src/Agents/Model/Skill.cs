namespace Telephony.Agents.Model;

/// <summary>What a skill is about: a request category, a dialect the agent speaks, the enterprise line (营商环境专线).</summary>
public enum SkillKind { Category, Dialect, EnterpriseLine }

/// <summary>A skill by kind and name (<c>Dialect/cantonese</c>); names compare case-insensitively.</summary>
public readonly record struct Skill(SkillKind Kind, string Name)
{
    public bool Equals(Skill other) => Kind == other.Kind && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);
    public override int GetHashCode() => HashCode.Combine(Kind, StringComparer.OrdinalIgnoreCase.GetHashCode(Name));
    public override string ToString() => $"{Kind}/{Name}";
}

/// <summary>A call needs this skill at <see cref="MinLevel"/> or better (levels 1–10, 10 best).</summary>
public readonly record struct SkillRequirement(Skill Skill, int MinLevel = 1);
