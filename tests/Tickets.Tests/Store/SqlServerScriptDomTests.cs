using Microsoft.SqlServer.TransactSql.ScriptDom;
using Telephony.Tickets.Store;

namespace Telephony.Tickets.Tests.Store;

/// <summary>
/// No SQL Server runs here, so every statement the SQL Server dialect would send (migrations, the migrator's own,
/// every query of the store and of the callback requests, searches with all filters and with none) is parsed by Microsoft's T-SQL parser.
/// </summary>
public class SqlServerScriptDomTests
{
    private static readonly ISqlDialect Dialect = new SqlServerDialect();

    public static IEnumerable<TestCaseData> Statements()
    {
        var sql = new TicketSql(Dialect);
        foreach (var m in Migrator.For(Dialect)) yield return Case($"migration_{m.Version:0000}_{m.Name}", m.Sql);
        yield return Case("CreateMigrationsTable", Dialect.CreateMigrationsTable);
        yield return Case("Migrator.SelectApplied", Migrator.SelectApplied);
        yield return Case("Migrator.InsertApplied", Migrator.InsertApplied);
        foreach (var p in typeof(TicketSql).GetProperties().Where(p => p.PropertyType == typeof(string)))
            yield return Case($"TicketSql.{p.Name}", (string)p.GetValue(sql)!);
        var callbacks = new Telephony.Tickets.Callbacks.CallbackSql();
        foreach (var p in typeof(Telephony.Tickets.Callbacks.CallbackSql).GetProperties().Where(p => p.PropertyType == typeof(string)))
            yield return Case($"CallbackSql.{p.Name}", (string)p.GetValue(callbacks)!);
        var full = new TicketQuery
        {
            Keyword = "噪音", Code = "1234567890", Phone = "13812345678", Status = Telephony.Tickets.Domain.TicketStatus.Accepted,
            Department = "住建局", From = DateTimeOffset.UnixEpoch, To = DateTimeOffset.UtcNow, Page = 2, PageSize = 10,
        };
        foreach (var (name, q) in new[] { ("all_filters", full), ("no_filter", new TicketQuery()) })
        {
            var (page, count) = sql.Search(q);
            yield return Case($"Search_{name}_page", page);
            yield return Case($"Search_{name}_count", count);
        }
    }

    private static TestCaseData Case(string name, string text) => new TestCaseData(text).SetName($"SqlServer_statement_parses_{name}");

    [TestCaseSource(nameof(Statements))]
    public void SqlServer_statement_parses(string text)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        var fragment = parser.Parse(new StringReader(text), out var errors);
        Assert.That(errors, Is.Empty, string.Join("\n", errors.Select(e => $"line {e.Line} col {e.Column}: {e.Message}")) + "\n" + text);
        Assert.That(fragment, Is.InstanceOf<TSqlScript>());
        Assert.That(((TSqlScript)fragment).Batches.SelectMany(b => b.Statements), Is.Not.Empty);
    }

    [Test]
    public void A_broken_statement_is_caught_by_the_parser()
    {
        new TSql160Parser(true).Parse(new StringReader("SELECT id FROM tickets LIMIT 10"), out var errors);
        Assert.That(errors, Is.Not.Empty, "the check must be able to fail: LIMIT is not T-SQL");
    }

    [Test]
    public void Every_migration_of_every_dialect_has_the_same_versions()
    {
        var versions = new ISqlDialect[] { new SqliteDialect(), new PostgresDialect(), Dialect }
            .Select(d => string.Join(",", Migrator.For(d).Select(m => $"{m.Version}_{m.Name}"))).Distinct().ToList();
        Assert.That(versions, Has.Count.EqualTo(1));
        Assert.That(versions[0], Is.Not.Empty);
    }
}
