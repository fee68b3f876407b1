using Microsoft.Extensions.Configuration;
using Telephony.Host.Api;
using Telephony.Tickets.Domain;
using Telephony.Tickets.Sla;
using Telephony.Tickets.Store;

namespace Telephony.EndToEnd.Tickets;

/// <summary>How the host reads <c>Tickets:Sla</c> and <c>Database</c> (cities set their own deadlines).</summary>
public class TicketsConfigurationTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Test]
    public void City_deadlines_override_the_defaults_and_the_rest_stay()
    {
        var policy = TicketsServices.Policy(Config(
            ("Tickets:Sla:Complaint:Close", "10wd"), ("Tickets:Sla:Complaint:Reply", "5wd"),
            ("Tickets:Sla:Urgent:Reply", "2h"), ("Tickets:Sla:WarnAtPercent", "90")));
        Assert.That(policy.For(TicketType.Complaint, Urgency.Normal), Is.EqualTo(new SlaTargets(new SlaSpan(5, SlaUnit.WorkingDays), new SlaSpan(10, SlaUnit.WorkingDays))));
        Assert.That(policy.Urgent, Is.EqualTo(new SlaTargets(new SlaSpan(2, SlaUnit.Hours), new SlaSpan(24, SlaUnit.Hours))));
        Assert.That(policy.For(TicketType.Consultation, Urgency.Normal), Is.EqualTo(SlaPolicy.Default.ByType[TicketType.Consultation]));
        Assert.That(policy.WarnAt, Is.EqualTo(0.9).Within(1e-9));
    }

    [Test]
    public void An_empty_value_removes_a_milestone() =>
        Assert.That(TicketsServices.Policy(Config(("Tickets:Sla:Consultation:Reply", ""))).For(TicketType.Consultation, Urgency.Normal).Reply, Is.Null);

    [Test]
    public void A_bad_deadline_stops_the_start_with_the_text()
    {
        var e = Assert.Throws<FormatException>(() => TicketsServices.Policy(Config(("Tickets:Sla:Help:Close", "3 days"))));
        Assert.That(e!.Message, Does.Contain("3 days").And.Contain("3wd"));
        Assert.Throws<InvalidOperationException>(() => TicketsServices.Policy(Config(("Tickets:Sla:WarnAtPercent", "120"))));
    }

    [Test]
    public void Relative_sqlite_file_is_under_the_repository_root_and_providers_are_checked()
    {
        var db = TicketsServices.Database(Config(("Database:Provider", "sqlite"), ("Database:ConnectionString", "Data Source=data/test-config.db")));
        Assert.That(db.Dialect, Is.InstanceOf<SqliteDialect>());
        Assert.That(db.ConnectionString, Does.Contain(Path.Combine(Telephony.Testing.RepositoryPaths.Root, "data", "test-config.db")));
        Assert.That(TicketsServices.Database(Config(("Database:Provider", "postgres"), ("Database:ConnectionString", "Host=x"))).Dialect, Is.InstanceOf<PostgresDialect>());
        Assert.Throws<ArgumentException>(() => TicketsServices.Database(Config(("Database:Provider", "oracle"))));
    }
}
