using Telephony.Testing;

namespace Telephony.EndToEnd.Tickets;

/// <summary><c>Telephony.Host migrate</c> as an operator runs it, on a fresh SQLite file.</summary>
public class MigrateCommandEndToEndTests
{
    [Test]
    public async Task Migrate_applies_the_schema_once_and_status_lists_it()
    {
        var dir = RepositoryPaths.NewScratchDirectory("migrate");
        try
        {
            var env = new Dictionary<string, string>
            {
                ["TELEPHONY_Database__Provider"] = "sqlite",
                ["TELEPHONY_Database__ConnectionString"] = $"Data Source={Path.Combine(dir, "t.db")}",
            };
            var first = await RunAsync(["migrate"], env);
            Assert.That(first, Does.Contain("applied 0001 work_orders").And.Contain("applied 0002 callback_requests")
                .And.Contain("schema at version 0002 (2 applied now)"));
            var second = await RunAsync(["migrate"], env);
            Assert.That(second, Does.Contain("0 applied now"));
            var status = await RunAsync(["migrate", "--status"], env);
            Assert.That(status, Does.Contain("0001 work_orders: applied").And.Contain("0002 callback_requests: applied"));
            using var bad = PeerProcess.Start("dotnet", [HostDll(), "migrate"], RepositoryPaths.Root,
                new Dictionary<string, string> { ["TELEPHONY_Database__Provider"] = "oracle" });
            Assert.That(await bad.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(1));
            Assert.That(bad.Output, Does.Contain("Unknown database provider 'oracle'"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<string> RunAsync(string[] args, Dictionary<string, string> env)
    {
        using var process = PeerProcess.Start("dotnet", [HostDll(), .. args], RepositoryPaths.Root, env);
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.That(code, Is.EqualTo(0), process.Output);
        return process.Output;
    }

    private static string HostDll()
    {
        var dll = Path.Combine(RepositoryPaths.Root, "src", "Host", "bin", "Release", "net10.0", "Telephony.Host.dll");
        if (!File.Exists(dll)) Assert.Fail("Telephony.Host.dll is not built: run ./hotline test (or scripts/build) first.");
        return dll;
    }
}
