using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Host.Ivr;
using Telephony.Ivr.Services;
using Telephony.Tickets;
using Telephony.Tickets.Domain;
using Telephony.Tickets.Sla;
using Telephony.Tickets.Store;

namespace Telephony.Host.Tests.Ivr;

public class TicketWorkOrdersTests
{
    private string _directory = null!;
    private TicketService _tickets = null!;
    private TicketWorkOrders _orders = null!;

    [SetUp]
    public async Task Start()
    {
        _directory = Path.Combine(Path.GetTempPath(), "telephony-ivr-orders-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        var connection = $"Data Source={Path.Combine(_directory, "t.db")};Pooling=false";
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 2, 0, 0, TimeSpan.Zero));
        await new Migrator(new SqliteDialect(), connection, time).MigrateAsync();
        var store = new TicketStore(new SqliteDialect(), connection);
        _tickets = new TicketService(store, new SlaClock(SlaPolicy.Default, WorkingCalendar.WeekendsOnly), time, NullLogger<TicketService>.Instance);
        _orders = new TicketWorkOrders(_tickets, intake: null, NullLogger<TicketWorkOrders>.Instance);
    }

    [TearDown]
    public void Stop() => Directory.Delete(_directory, recursive: true);

    private static DraftRequest Request(string? transcript, RequestClassification? classification = null) =>
        new("call-1@test", "13812345678", "12345", "/var/rec/call-1.wav", transcript, classification, DateTimeOffset.UnixEpoch);

    [Test]
    public async Task A_call_becomes_a_phone_draft_with_its_recording_transcript_and_proposal()
    {
        var created = await _orders.CreateDraftAsync(Request("小区门口的路灯坏了一个多月了，晚上很黑，请尽快修理",
            new RequestClassification("城乡建设", "城管局", "normal", false)), CancellationToken.None);

        var ticket = await _tickets.Store.GetByCodeAsync(created.QueryCode);
        Assert.That(ticket, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(ticket!.Status, Is.EqualTo(TicketStatus.Draft));
            Assert.That(ticket.Channel, Is.EqualTo(Channel.Phone));
            Assert.That(ticket.RecordingRef, Is.EqualTo("/var/rec/call-1.wav"));
            Assert.That(ticket.Transcript, Does.StartWith("小区门口的路灯"));
            Assert.That(ticket.Department, Is.EqualTo("城管局"));
            Assert.That(ticket.Caller.Phone, Is.EqualTo("13812345678"));
            Assert.That(created.TicketId, Is.EqualTo(ticket.Id.ToString()));
        });
    }

    [Test]
    public async Task Without_a_transcript_the_draft_is_still_created_for_a_person_to_listen_to()
    {
        var created = await _orders.CreateDraftAsync(Request(null), CancellationToken.None);

        var ticket = await _tickets.Store.GetByCodeAsync(created.QueryCode);
        Assert.That(ticket!.Title, Does.Contain("录音"));
        Assert.That(ticket.Description, Does.Contain("call-1.wav"));
    }

    [Test]
    public async Task An_emergency_draft_is_urgent()
    {
        var created = await _orders.CreateDraftAsync(Request("楼道里着火了", new RequestClassification("", null, "normal", true, "119")), CancellationToken.None);

        Assert.That((await _tickets.Store.GetByCodeAsync(created.QueryCode))!.Urgency, Is.EqualTo(Urgency.Urgent));
    }

    [Test]
    public async Task Progress_says_the_status_of_a_known_code_and_nothing_for_an_unknown_one()
    {
        var created = await _orders.CreateDraftAsync(Request("咨询一下社保卡怎么补办"), CancellationToken.None);

        var progress = await _orders.GetProgressAsync(created.QueryCode, "13900000000", CancellationToken.None);
        var unknown = await _orders.GetProgressAsync("000000000", "13812345678", CancellationToken.None);

        Assert.That(progress, Is.EqualTo(new OrderProgress(created.QueryCode, "Draft", "草稿", "status_draft")));
        Assert.That(unknown, Is.Null);
    }

    [Test]
    public async Task Open_orders_are_counted_per_caller()
    {
        await _orders.CreateDraftAsync(Request("第一件事"), CancellationToken.None);
        await _orders.CreateDraftAsync(Request("第二件事"), CancellationToken.None);

        Assert.That(await _orders.CountOpenOrdersAsync("13812345678", CancellationToken.None), Is.EqualTo(2));
        Assert.That(await _orders.CountOpenOrdersAsync("13700000000", CancellationToken.None), Is.EqualTo(0));
    }
}
