using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Telephony.Host.Commands;
using Telephony.Host.Engine;

namespace Telephony.Host.Tests;

public class ServeConfigurationTests
{
    // appsettings.json at the repository root lists four listen points on port 5060. An environment
    // override that empties entries 2 and 3 must switch them off in the running app, not let the file's
    // values show through (a chained configuration treats "" as absent).
    [Test]
    public async Task An_emptied_listen_entry_switches_that_listen_point_off_in_serve()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Configuration.RepositoryLayout.Root, "appsettings.json"))
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Sip:Listen:0"] = "udp:127.0.0.1:45999",
                ["Sip:Listen:1"] = "",
                ["Sip:Listen:2"] = "",
                ["Sip:Listen:3"] = "",
            })
            .Build();
        await using var app = ServeCommand.BuildApp(configuration);

        var options = SipConfiguration.Read(app.Services.GetRequiredService<IConfiguration>());

        Assert.That(options.Transport.Listen.Select(p => p.ToString()), Is.EqualTo(new[] { "udp:127.0.0.1:45999" }));
    }
}
