using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Telephony.Tickets.Store;

namespace Telephony.Host.Tests.Intake;

/// <summary>The form is public: one client gets Intake:Web:PermitsPerMinute requests a minute, then 429 and nothing stored.</summary>
public class WebIntakeRateLimitTests
{
    [Test]
    public async Task A_client_past_its_permits_gets_429_and_nothing_is_stored()
    {
        await using var host = await WebIntakeApp.StartAsync(permitsPerMinute: 2);
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await host.Http.PostAsJsonAsync("/api/intake/requests", new { phone = "13812345678", description = $"第{i}次反映：路口红绿灯不亮了" });
            codes.Add(response.StatusCode);
        }

        Assert.That(codes, Is.EqualTo(new[] { HttpStatusCode.Created, HttpStatusCode.Created, (HttpStatusCode)429, (HttpStatusCode)429 }));
        Assert.That((await host.App.Services.GetRequiredService<ITicketStore>().SearchAsync(new TicketQuery())).Total, Is.EqualTo(2));
    }

    [Test]
    public void A_bad_permit_setting_stops_the_start_with_its_name()
    {
        Assert.That(async () => await WebIntakeApp.StartAsync(extra: new Dictionary<string, string?> { ["Intake:Web:PermitsPerMinute"] = "many" }),
            Throws.InvalidOperationException.With.Message.Contains("Intake:Web:PermitsPerMinute"));
    }
}
