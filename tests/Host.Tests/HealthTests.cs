using Microsoft.Extensions.Configuration;
using Telephony.Host.Commands;
using Telephony.Testing;

namespace Telephony.Host.Tests;

public class HealthTests
{
    [Test]
    public async Task Healthz_answers_ok_on_the_configured_http_url()
    {
        var port = FreePorts.Next();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Http:Url"] = $"http://127.0.0.1:{port}",
                ["Sip:Listen:0"] = $"udp:127.0.0.1:{FreePorts.Next()}",
                // appsettings.json lists four entries: the others (port 5060 on every address) are blanked, so
                // the test does not depend on 5060 being free.
                ["Sip:Listen:1"] = "",
                ["Sip:Listen:2"] = "",
                ["Sip:Listen:3"] = "",
            })
            .Build();
        await using var app = ServeCommand.BuildApp(configuration);
        await app.StartAsync();
        using var http = new HttpClient();
        var body = await http.GetStringAsync($"http://127.0.0.1:{port}/healthz");
        Assert.That(body, Is.EqualTo("ok"));
        await app.StopAsync();
    }
}
