using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Telephony.EndToEnd.Engine;
using Telephony.Testing;
using Telephony.Tickets.Domain;
using Telephony.Tickets.Store;

namespace Telephony.EndToEnd.Intake;

/// <summary>
/// The public web intake form (/report) in headless Chromium (Debian's /usr/bin/chromium driven by Playwright; no
/// downloaded browser) against the real serve process on a scratch SQLite file; the orders are read back from that file.
/// </summary>
[TestFixture]
public class ReportPageEndToEndTests
{
    private string _directory = "";
    private EngineProcess _engine = null!;
    private TicketStore _store = null!;
    private HeadlessChromium _chromium = null!;

    private readonly System.Collections.Concurrent.ConcurrentBag<string> _foreign = [];

    private string BaseUrl => $"http://127.0.0.1:{_engine.HttpPort}";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var model = Path.Combine(RepositoryPaths.Root, "models", "intake-classifier.zip");
        if (!File.Exists(model)) Assert.Fail($"No trained intake model at {model}: run ./hotline setup (scripts/setup.d/50-intake-model.sh).");
        _directory = RepositoryPaths.NewScratchDirectory("report");
        var database = Path.Combine(_directory, "tickets.db");
        _engine = await EngineProcess.StartAsync(extra: new Dictionary<string, string>
        {
            ["TELEPHONY_Database__Provider"] = "sqlite",
            ["TELEPHONY_Database__ConnectionString"] = $"Data Source={database}",
            ["TELEPHONY_Ivr__FlowsFolder"] = Path.Combine(_directory, "flows"),
            ["TELEPHONY_Intake__Model"] = model,
            ["TELEPHONY_Intake__Web__PermitsPerMinute"] = "100",
        });
        _store = new TicketStore(new SqliteDialect(), $"Data Source={database};Pooling=false");
        _chromium = await HeadlessChromium.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_chromium is not null) await _chromium.DisposeAsync();
        if (_engine is not null) await _engine.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [TearDown]
    public void NothingFromOtherHosts() => Assert.That(_foreign, Is.Empty, "offline: the page asked another host");

    private async Task<long> CountAsync() => (await _store.SearchAsync(new TicketQuery())).Total;

    private async Task<IPage> FillAsync(string description, string phone = "13812345678", string? location = null)
    {
        var page = await _chromium.Browser.NewPageAsync();
        // Offline: the page may ask nothing of any host but ours.
        page.Request += (_, request) => { if (!request.Url.StartsWith(BaseUrl, StringComparison.Ordinal)) _foreign.Add(request.Url); };
        await page.GotoAsync($"{BaseUrl}/report");
        await page.FillAsync("#description", description);
        await page.FillAsync("#phone", phone);
        if (location is not null) await page.FillAsync("#location", location);
        await page.FillAsync("#name", "王小明");
        return page;
    }

    [Test]
    public async Task A_citizen_submits_a_request_and_sees_the_query_code_of_a_stored_web_order()
    {
        var page = await FillAsync("我家小区门口的路灯坏了一个多月了，晚上很黑，老人出门很不方便", location: "幸福路8号");
        await page.ClickAsync("#submit");
        await page.WaitForSelectorAsync("#result:not([hidden])", new() { Timeout = 15000 });

        var code = (await page.TextContentAsync("#code"))!.Trim();
        Assert.That(code, Does.Match("^[0-9]{10,14}$"));
        Assert.That(await page.GetAttributeAsync("#progress", "href"), Is.EqualTo("/progress"));
        Assert.That(await page.IsHiddenAsync("#emergency"), Is.True);
        Assert.That(await page.TextContentAsync("#error"), Is.Empty);
        var ticket = await _store.GetByCodeAsync(code);
        Assert.That(ticket, Is.Not.Null, "the order is in the store");
        Assert.That(ticket!.Channel, Is.EqualTo(Channel.Web));
        Assert.That(ticket.Category, Is.Not.Null, "classified like a call");
        Assert.That(await page.TextContentAsync("#category"), Is.EqualTo(ticket.Category!.ToString()));
        Assert.That(ticket.Caller.Name, Is.EqualTo("王小明"));
        Assert.That(ticket.Location, Is.EqualTo("幸福路8号"));

        // The link leads to the progress page, which finds the order with the code and the number's last four digits.
        await page.ClickAsync("#progress");
        await page.FillAsync("#code", code);
        await page.FillAsync("#phone4", "5678");
        await page.ClickAsync("#submit");
        await page.WaitForSelectorAsync("#result:not([hidden])", new() { Timeout = 10000 });
        Assert.That(await page.TextContentAsync("#status"), Is.EqualTo("草稿"));
        await page.CloseAsync();
    }

    [Test]
    public async Task A_blank_description_shows_the_error_and_creates_nothing()
    {
        var before = await CountAsync();
        var page = await FillAsync("   ");
        await page.ClickAsync("#submit");
        await page.WaitForFunctionAsync("document.getElementById('error').textContent.length > 0", null, new() { Timeout = 10000 });

        Assert.That(await page.TextContentAsync("#error"), Does.Contain("请填写诉求内容"));
        Assert.That(await page.IsHiddenAsync("#result"), Is.True);
        Assert.That(await CountAsync(), Is.EqualTo(before));
        await page.CloseAsync();
    }

    [Test]
    public async Task The_server_refusal_is_shown_and_creates_nothing()
    {
        var before = await CountAsync();
        var page = await FillAsync("路口的路灯坏了", phone: "12345");
        await page.ClickAsync("#submit");
        await page.WaitForFunctionAsync("document.getElementById('error').textContent.length > 0", null, new() { Timeout = 10000 });

        Assert.That(await page.TextContentAsync("#error"), Does.Contain("11位手机号码"));
        Assert.That(await CountAsync(), Is.EqualTo(before));
        await page.CloseAsync();
    }

    [Test]
    public async Task An_emergency_is_told_to_call_119_and_the_request_is_kept()
    {
        var page = await FillAsync("快来人，我们楼下着火了，浓烟很大，有人被困");
        await page.ClickAsync("#submit");
        await page.WaitForSelectorAsync("#result:not([hidden])", new() { Timeout = 15000 });

        Assert.That(await page.TextContentAsync("#emergency"), Does.Contain("立即拨打119"));
        Assert.That(await page.IsVisibleAsync("#emergency"), Is.True);
        var ticket = await _store.GetByCodeAsync((await page.TextContentAsync("#code"))!.Trim());
        Assert.That(ticket!.Urgency, Is.EqualTo(Urgency.Urgent));
        await page.CloseAsync();
    }
}
