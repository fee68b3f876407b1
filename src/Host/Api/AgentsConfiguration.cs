using System.Globalization;
using Microsoft.Extensions.Configuration;
using Telephony.Agents.Acd;
using Telephony.Agents.Model;
using Telephony.Agents.Queueing;
using Telephony.Agents.Routing;

namespace Telephony.Host.Api;

/// <summary>
/// Reads <c>Agents</c> (default wrap-up, the seats) and <c>Queues</c> into the ACD's model, failing with a message that
/// names the entry (docs/agents.md). Without a <c>Queues</c> section there is one queue, <c>12345</c>.
/// </summary>
public static class AgentsConfiguration
{
    public const string DefaultQueue = "12345";

    public static AcdOptions Options(IConfiguration configuration) => new()
    {
        DefaultWrapUp = Seconds(configuration.GetSection("Agents"), "WrapUpSeconds") ?? TimeSpan.FromSeconds(30),
    };

    public static IReadOnlyList<QueueOptions> Queues(IConfiguration configuration)
    {
        var list = new List<QueueOptions>();
        foreach (var q in configuration.GetSection("Queues").GetChildren())
        {
            var name = q["Name"] ?? throw new InvalidOperationException($"Queues:{q.Key}: Name is required");
            var strategy = RoutingStrategy.LongestIdle;
            if (q["Strategy"] is { Length: > 0 } s && (!Enum.TryParse(s, ignoreCase: true, out strategy) || !Enum.IsDefined(strategy)))
                throw new InvalidOperationException($"Queues:{q.Key}: Strategy '{s}' is not one of {string.Join(", ", Enum.GetNames<RoutingStrategy>())}");
            var defaults = new QueueOptions { Name = name };
            var options = defaults with
            {
                Strategy = strategy,
                OfferTimeout = Seconds(q, "OfferTimeoutSeconds") ?? defaults.OfferTimeout,
                ReofferSameAgentAfter = Seconds(q, "ReofferSameAgentAfterSeconds") ?? defaults.ReofferSameAgentAfter,
                OverflowAfter = Seconds(q, "OverflowAfterSeconds") is { } o && o > TimeSpan.Zero ? o : null,
                OverflowTo = q["OverflowTo"] is { Length: > 0 } t ? t : null,
                ServiceLevelThreshold = Seconds(q, "ServiceLevelSeconds") ?? defaults.ServiceLevelThreshold,
                DefaultHandleTime = Seconds(q, "DefaultHandleSeconds") ?? defaults.DefaultHandleTime,
            };
            if (options.Validate() is { } error) throw new InvalidOperationException($"Queues:{q.Key}: {error}");
            list.Add(options);
        }
        if (list.Count == 0) list.Add(new QueueOptions { Name = DefaultQueue });
        return list;
    }

    public static IReadOnlyList<AgentAccount> Agents(IConfiguration configuration)
    {
        var list = new List<AgentAccount>();
        foreach (var a in configuration.GetSection("Agents:Seats").GetChildren())
        {
            var where = $"Agents:Seats:{a.Key}";
            var skills = new Dictionary<Skill, int>();
            foreach (var s in a.GetSection("Skills").GetChildren())
            {
                if (!Enum.TryParse<SkillKind>(s["Kind"], ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
                    throw new InvalidOperationException($"{where}:Skills:{s.Key}: Kind must be one of {string.Join(", ", Enum.GetNames<SkillKind>())}");
                var skillName = s["Name"] is { Length: > 0 } n ? n : kind == SkillKind.EnterpriseLine ? "enterprise" : throw new InvalidOperationException($"{where}:Skills:{s.Key}: Name is required");
                if (!int.TryParse(s["Level"] ?? "5", NumberStyles.Integer, CultureInfo.InvariantCulture, out var level))
                    throw new InvalidOperationException($"{where}:Skills:{s.Key}: Level must be a whole number 1–10");
                skills[new Skill(kind, skillName)] = level;
            }
            var queues = a.GetSection("Queues").GetChildren().Select(c => c.Value).OfType<string>().Where(v => v.Length > 0).ToList();
            var account = new AgentAccount
            {
                Id = a["Id"] ?? "",
                Name = a["Name"] ?? a["Id"] ?? "",
                SipUser = a["SipUser"] ?? "",
                Queues = queues.Count > 0 ? queues : [DefaultQueue],
                Skills = skills,
                WrapUp = Seconds(a, "WrapUpSeconds"),
            };
            if (account.Validate() is { } error) throw new InvalidOperationException($"{where}: {error}");
            list.Add(account);
        }
        return list;
    }

    private static TimeSpan? Seconds(IConfiguration section, string key)
    {
        if (section[key] is not { Length: > 0 } text) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0)
            throw new InvalidOperationException($"{(section as IConfigurationSection)?.Path}:{key}: '{text}' is not a number of seconds ≥ 0");
        return TimeSpan.FromSeconds(seconds);
    }
}
