using Microsoft.Playwright;
using Telephony.Testing;

namespace Telephony.EndToEnd.Tickets;

/// <summary>The public progress page in headless Chromium (Debian's /usr/bin/chromium driven by Playwright; no downloaded browser).</summary>
[TestFixture]
public class ProgressPageEndToEndTests
{
    private TicketsHost _host = null!;
    private HeadlessChromium _chromium = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await TicketsHost.StartAsync();
        _chromium = await HeadlessChromium.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_chromium is not null) await _chromium.DisposeAsync();
        if (_host is not null) await _host.DisposeAsync();
    }

    private async Task<IPage> QueryAsync(string code, string phone4)
    {
        var page = await _chromium.Browser.NewPageAsync();
        await page.GotoAsync($"{_host.BaseUrl}/progress");
        await page.FillAsync("#code", code);
        await page.FillAsync("#phone4", phone4);
        await page.ClickAsync("#submit");
        return page;
    }

    [Test]
    public async Task Citizen_enters_code_and_phone_suffix_and_sees_status_and_reply()
    {
        var ticket = await _host.CreateAsync(phone: "13700001234");
        ticket = await _host.MoveAsync(ticket, "Dispatched");
        ticket = await _host.MoveAsync(ticket, "InProgress");
        await _host.MoveAsync(ticket, "Replied", note: "路灯已于今日修复，感谢您的反映。");
        var page = await QueryAsync(ticket["code"]!.GetValue<string>(), "1234");
        await page.WaitForSelectorAsync("#result:not([hidden])", new() { Timeout = 10000 });
        Assert.That(await page.TextContentAsync("#status"), Is.EqualTo("已答复"));
        Assert.That(await page.TextContentAsync("#reply"), Does.Contain("路灯已于今日修复"));
        Assert.That(await page.Locator("#steps li").CountAsync(), Is.EqualTo(4));
        var text = await page.TextContentAsync("body");
        Assert.That(text, Does.Not.Contain("13700001234").And.Not.Contain("王小明"));
        await page.CloseAsync();
    }

    [Test]
    public async Task A_wrong_phone_suffix_shows_nothing_of_the_order()
    {
        var ticket = await _host.CreateAsync(phone: "13700005678");
        var page = await QueryAsync(ticket["code"]!.GetValue<string>(), "0000");
        await page.WaitForFunctionAsync("document.getElementById('error').textContent.length > 0", null, new() { Timeout = 10000 });
        Assert.That(await page.TextContentAsync("#error"), Does.Contain("未找到"));
        Assert.That(await page.IsHiddenAsync("#result"), Is.True);
        Assert.That(await page.TextContentAsync("#status"), Is.Empty);
        await page.CloseAsync();
    }
}
