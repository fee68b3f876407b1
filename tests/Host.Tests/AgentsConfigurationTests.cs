using Microsoft.Extensions.Configuration;
using Telephony.Agents.Routing;
using Telephony.Host.Api;
using Telephony.Host.Configuration;

namespace Telephony.Host.Tests;

public class AgentsConfigurationTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Test]
    public void Repository_appsettings_has_sample_seats_and_the_default_queue()
    {
        var configuration = HostConfiguration.Build();
        var agents = AgentsConfiguration.Agents(configuration);
        var queues = AgentsConfiguration.Queues(configuration);
        Assert.That(agents, Has.Count.GreaterThanOrEqualTo(2));
        Assert.That(agents.Select(a => a.SipUser), Is.SubsetOf(configuration.GetSection("Accounts").GetChildren().Select(a => a["User"])));
        Assert.That(queues.Single(q => q.Name == "12345").Strategy, Is.EqualTo(RoutingStrategy.LongestIdle));
    }

    [Test]
    public void Without_a_queues_section_there_is_queue_12345() =>
        Assert.That(AgentsConfiguration.Queues(Config()).Select(q => q.Name), Is.EqualTo(new[] { "12345" }));

    [Test]
    public void Unknown_strategy_names_the_entry_and_the_choices() =>
        Assert.That(() => AgentsConfiguration.Queues(Config(("Queues:0:Name", "12345"), ("Queues:0:Strategy", "Random"))),
            Throws.InvalidOperationException.With.Message.Contains("Queues:0").And.Message.Contains("SkillsBased"));

    [Test]
    public void Skill_level_outside_1_to_10_is_refused() =>
        Assert.That(() => AgentsConfiguration.Agents(Config(("Agents:Seats:0:Id", "1001"), ("Agents:Seats:0:SipUser", "agent1"),
                ("Agents:Seats:0:Skills:0:Kind", "Dialect"), ("Agents:Seats:0:Skills:0:Name", "cantonese"), ("Agents:Seats:0:Skills:0:Level", "11"))),
            Throws.InvalidOperationException.With.Message.Contains("Agents:Seats:0").And.Message.Contains("1–10"));

    [Test]
    public void Negative_seconds_are_refused() =>
        Assert.That(() => AgentsConfiguration.Queues(Config(("Queues:0:Name", "12345"), ("Queues:0:OfferTimeoutSeconds", "-5"))),
            Throws.InvalidOperationException.With.Message.Contains("OfferTimeoutSeconds"));
}
