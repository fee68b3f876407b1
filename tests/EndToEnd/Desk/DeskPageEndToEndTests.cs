using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Telephony.Host.Agents;
using Telephony.Host.Tests.Desk;
using Telephony.Intake;
using Telephony.Testing;
using Telephony.Tickets.Domain;

namespace Telephony.EndToEnd.Desk;

/// <summary>
/// The agent desktop in headless Chromium (Debian's /usr/bin/chromium driven by Playwright; no downloaded browser):
/// log in, go available, a call is offered and answered, the screen pop shows the transcript and intake's proposal,
/// the agent edits the work order and finalizes it, the caller hangs up and the wrap-up counts down.
/// </summary>
[TestFixture]
public class DeskPageEndToEndTests
{
    private const string Caller = "13812345678";
    private const string Transcript = "你好，我们小区门口的路灯坏了一个多星期了，晚上特别黑，老人出门很不安全，希望有关部门尽快来修一下。";
    private const int WrapUpSeconds = 6;
    private DeskHost host = null!;
    private HeadlessChromium chromium = null!;
    private readonly ConcurrentQueue<DeskFinalized> finalized = new();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        host = await DeskHost.StartAsync(WrapUpSeconds);
        // The agent's phone picks up 0.8 s after it rings, as a softphone's 200 OK would.
        host.Leg.AutoAnswerAfter = TimeSpan.FromMilliseconds(800);
        host.Desk.Finalized += finalized.Enqueue;
        chromium = await HeadlessChromium.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (chromium is not null) await chromium.DisposeAsync();
        if (host is not null) await host.DisposeAsync();
    }

    private async Task<IPage> LoginAsync(string password)
    {
        var page = await chromium.NewPageAsync();
        await page.GotoAsync($"{host.BaseUrl}/desk");
        await page.FillAsync("#agent-id", DeskHost.AgentId);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#login-btn");
        return page;
    }

    [Test]
    public async Task A_wrong_password_shows_an_error_and_no_desk()
    {
        var page = await LoginAsync("not-the-password");
        await page.WaitForFunctionAsync("document.getElementById('login-error').textContent.length > 0", null, new() { Timeout = 10000 });
        Assert.That(await page.TextContentAsync("#login-error"), Does.Contain("工号或密码错误"));
        Assert.That(await page.IsHiddenAsync("#desk"), Is.True);
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task Agent_logs_in_goes_available_gets_the_screen_pop_edits_and_finalizes_the_order()
    {
        var page = await LoginAsync(DeskHost.AgentPassword);
        await page.WaitForSelectorAsync("#desk:not([hidden])", new() { Timeout = 10000 });
        Assert.That(await page.TextContentAsync("#agent-name"), Is.EqualTo(DeskHost.AgentName));
        await page.ClickAsync("#btn-available");
        await page.WaitForSelectorAsync("#state[data-state='Available']", new() { Timeout = 10000 });
        Assert.That(await page.TextContentAsync("#state"), Is.EqualTo("空闲（等待来电）"));

        var call = await host.QueueCallAsync("e2e-call-1", Caller, Transcript);
        await page.WaitForSelectorAsync("#pop:not([hidden])", new() { Timeout = 10000 });
        Assert.That(await page.TextContentAsync("#pop-transcript"), Is.EqualTo(Transcript));
        Assert.That(await page.TextContentAsync("#pop-caller"), Is.EqualTo("138****5678"));
        Assert.That(await page.TextContentAsync("#pop-draft"), Does.Contain(call.DraftCode!));
        Assert.That(await page.GetAttributeAsync("#pop-audio", "src"), Is.EqualTo($"/api/desk/calls/{call.CallId}/recording"));

        var expected = host.App.Services.GetRequiredService<IntakeAnalyzer>().Analyze(Transcript);
        Assert.That(await page.TextContentAsync("#proposal-department"), Is.EqualTo(expected.Department.Department));
        Assert.That(await page.Locator("#proposal-categories li button").CountAsync(), Is.EqualTo(Math.Min(3, expected.Categories.Count)));
        if (expected.Categories.Count > 0)
        {
            Assert.That(await page.TextContentAsync("#proposal-categories li:first-child"), Does.StartWith(expected.Categories[0].Category));
            Assert.That(await page.InputValueAsync("#f-cat1"), Is.EqualTo(expected.Categories[0].Category), "the form is prefilled from the proposal");
        }
        Assert.That(await page.InputValueAsync("#f-department"), Is.EqualTo(expected.Department.Department));
        Assert.That(await page.TextContentAsync("body"), Does.Not.Contain(Caller), "the page never shows the whole number");

        // The agent's phone picks up: the form can be submitted.
        await page.WaitForSelectorAsync("#finalize:not([disabled])", new() { Timeout = 10000 });
        Assert.That(await page.TextContentAsync("#call-status"), Is.EqualTo("已接通"));
        await page.FillAsync("#f-title", "幸福路小区门口路灯损坏一周");
        await page.FillAsync("#f-cat1", "城乡建设");
        await page.SelectOptionAsync("#f-type", "Complaint");
        await page.SelectOptionAsync("#f-urgency", "Urgent");
        await page.FillAsync("#f-department", "区城管局");
        await page.ClickAsync("#finalize");
        await page.WaitForSelectorAsync("#finalize-result:not([hidden])", new() { Timeout = 10000 });
        Assert.That(await page.TextContentAsync("#result-code"), Is.EqualTo(call.DraftCode));
        Assert.That(await page.TextContentAsync("#result-status"), Is.EqualTo("受理"));

        var order = (await host.Store.GetByCodeAsync(call.DraftCode!))!;
        Assert.That(order.Status, Is.EqualTo(TicketStatus.Accepted));
        Assert.That((order.Title, order.Type, order.Urgency, order.Department, order.Category?.Level1),
            Is.EqualTo(("幸福路小区门口路灯损坏一周", TicketType.Complaint, Urgency.Urgent, "区城管局", "城乡建设")));
        var history = await host.Store.HistoryAsync(order.Id);
        Assert.That(history.Any(h => h.Kind == HistoryKind.Transition && h.To == TicketStatus.Accepted && h.Actor == DeskHost.AgentId), Is.True);
        Assert.That(finalized.Single(), Is.EqualTo(new DeskFinalized(call.CallId, DeskHost.AgentId, call.DraftCode!, "Accepted")));

        // The caller hangs up: wrap-up counts down, then the agent is available again.
        Assert.That(host.Acd.CallEnded(call.CallId).Ok, Is.True);
        await page.WaitForSelectorAsync("#wrapup:not([hidden])", new() { Timeout = 10000 });
        Assert.That(await page.TextContentAsync("#state"), Is.EqualTo("话后处理"));
        var first = int.Parse((await page.TextContentAsync("#wrapup-seconds"))!);
        Assert.That(first, Is.InRange(1, WrapUpSeconds));
        await page.WaitForFunctionAsync($"Number(document.getElementById('wrapup-seconds').textContent) < {first}", null, new() { Timeout = 5000 });
        await page.WaitForSelectorAsync("#state[data-state='Available']", new() { Timeout = (WrapUpSeconds + 5) * 1000 });
        Assert.That(await page.IsHiddenAsync("#wrapup"), Is.True);
        await page.Context.CloseAsync();
    }
}
