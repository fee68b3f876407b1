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
