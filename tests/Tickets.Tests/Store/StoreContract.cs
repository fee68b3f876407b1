using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Tickets.Sla;
using Telephony.Tickets.Store;
using Telephony.Tickets.Tests.Sla;

namespace Telephony.Tickets.Tests.Store;

/// <summary>
/// The contract every dialect's store must keep. Each concrete fixture supplies a migrated, empty database;
/// tests share it, so each uses its own department or keyword to see only its own orders.
/// </summary>
public abstract partial class StoreContract
{
    protected FakeTimeProvider Time = null!;
    protected TicketStore Store = null!;
    protected TicketService Service = null!;
    protected ISqlDialect Dialect = null!;
    protected string ConnectionString = "";

    /// <summary>A database this fixture may migrate and fill.</summary>
    protected abstract Task<(ISqlDialect Dialect, string ConnectionString)> StartDatabaseAsync();

    protected virtual Task StopDatabaseAsync() => Task.CompletedTask;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        (Dialect, ConnectionString) = await StartDatabaseAsync();
        Time = new FakeTimeProvider(CalendarFixture.China(2026, 3, 2, 9));
        await new Migrator(Dialect, ConnectionString, Time).MigrateAsync();
        Store = new TicketStore(Dialect, ConnectionString);
        Service = NewService(Store);
    }

    [OneTimeTearDown]
    public Task StopAsync() => StopDatabaseAsync();

    protected TicketService NewService(ITicketStore store) =>
        new(store, new SlaClock(SlaPolicy.Default, CalendarFixture.Shipped), Time, NullLogger<TicketService>.Instance);

    protected static NewTicket Complaint(string department, string title = "楼上噪音扰民", bool accept = true) => new()
    {
        Channel = Channel.Phone, CallerPhone = "13812345678", CallerName = "王小明", Title = title,
        Description = "晚上十一点后楼上装修电钻声不断", Category = new Category("城乡建设", "住房保障和房地产", "物业管理"),
        Type = TicketType.Complaint, Urgency = Urgency.Normal, Location = "A市A3区幸福路8号", Department = department,
        Transcript = "您好，我要投诉楼上噪音", RecordingRef = "recordings/2026/03/02/call-1.wav", Accept = accept, Actor = "agent1",
    };

    protected async Task<Ticket> CreateAsync(NewTicket request)
    {
        var result = await Service.CreateAsync(request);
        Assert.That(result.Outcome, Is.EqualTo(Outcome.Ok), result.Error);
        return result.Ticket!;
    }

    protected async Task<Ticket> MoveAsync(Ticket t, TicketStatus to, string? note = null, Satisfaction? rating = null, long? into = null)
    {
        var r = await Service.TransitionAsync(t.Id, t.Version, new TransitionRequest(to, "agent1", note, rating, into));
        Assert.That(r.Outcome, Is.EqualTo(Outcome.Ok), r.Error);
        return r.Ticket!;
    }

    protected static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];

    [Test]
    public async Task Migrations_are_recorded_and_a_second_run_applies_nothing()
    {
        var migrator = new Migrator(Dialect, ConnectionString, Time);
        Assert.That(await migrator.MigrateAsync(), Is.Empty);
        Assert.That(await migrator.AppliedAsync(), Is.EqualTo(Migrator.For(Dialect).Select(m => m.Version)));
    }

    [Test]
    public async Task Created_order_reads_back_with_every_field()
    {
        var dept = Unique("住建局");
        var created = await CreateAsync(Complaint(dept));
        var read = await Store.GetAsync(created.Id);
        Assert.That(read, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(read!.Code, Is.EqualTo(created.Code).And.Length.EqualTo(10));
            Assert.That(read.Version, Is.EqualTo(1));
            Assert.That(read.Caller, Is.EqualTo(new Caller("13812345678", "王小明", false, false)));
            Assert.That(read.Title, Is.EqualTo("楼上噪音扰民"));
            Assert.That(read.Category, Is.EqualTo(new Category("城乡建设", "住房保障和房地产", "物业管理")));
            Assert.That(read.Type, Is.EqualTo(TicketType.Complaint));
            Assert.That(read.Status, Is.EqualTo(TicketStatus.Accepted));
            Assert.That(read.Department, Is.EqualTo(dept));
            Assert.That(read.Transcript, Is.EqualTo("您好，我要投诉楼上噪音"));
            Assert.That(read.RecordingRef, Is.EqualTo("recordings/2026/03/02/call-1.wav"));
            Assert.That(read.AcceptedAt, Is.EqualTo(Time.GetUtcNow()));
            Assert.That(read.CloseDueAt, Is.EqualTo(created.CloseDueAt).And.Not.Null);
            Assert.That(read.SlaState, Is.EqualTo(SlaState.OnTime));
        });
        Assert.That((await Store.GetByCodeAsync(created.Code))!.Id, Is.EqualTo(created.Id));
        var history = await Store.HistoryAsync(created.Id);
        Assert.That(history.Select(h => (h.Kind, h.From, h.To)), Is.EqualTo(new[] { (HistoryKind.Created, (TicketStatus?)null, TicketStatus.Accepted) }));
    }

    [Test]
    public async Task Whole_lifecycle_writes_one_history_row_per_transition()
    {
        var t = await CreateAsync(Complaint(Unique("dept"), accept: false));
        t = await MoveAsync(t, TicketStatus.Accepted);
        t = await MoveAsync(t, TicketStatus.Dispatched);
        t = await MoveAsync(t, TicketStatus.InProgress);
        t = await MoveAsync(t, TicketStatus.Replied, note: "已协调施工方，晚十点后停工");
        t = await MoveAsync(t, TicketStatus.Visited, rating: Satisfaction.Dissatisfied);
        t = await MoveAsync(t, TicketStatus.Reopened);
        t = await MoveAsync(t, TicketStatus.InProgress);
        t = await MoveAsync(t, TicketStatus.Replied, note: "已现场执法");
        t = await MoveAsync(t, TicketStatus.Visited, rating: Satisfaction.Satisfied);
        t = await MoveAsync(t, TicketStatus.Closed);
        var read = (await Store.GetAsync(t.Id))!;
        Assert.That(read.Status, Is.EqualTo(TicketStatus.Closed));
        Assert.That(read.Version, Is.EqualTo(11));
        Assert.That(read.Reply, Is.EqualTo("已现场执法"));
        Assert.That(read.SlaNextCheckAt, Is.Null);
        var history = await Store.HistoryAsync(t.Id);
        Assert.That(history.Select(h => h.To), Is.EqualTo(new[]
        {
            TicketStatus.Draft, TicketStatus.Accepted, TicketStatus.Dispatched, TicketStatus.InProgress, TicketStatus.Replied,
            TicketStatus.Visited, TicketStatus.Reopened, TicketStatus.InProgress, TicketStatus.Replied, TicketStatus.Visited, TicketStatus.Closed,
        }));
        Assert.That(history.Skip(1).All(h => h.Actor == "agent1" && h.From is not null), Is.True);
    }

    [Test]
    public async Task An_illegal_transition_is_a_conflict_and_changes_nothing()
    {
        var t = await CreateAsync(Complaint(Unique("dept")));
        var r = await Service.TransitionAsync(t.Id, t.Version, new TransitionRequest(TicketStatus.Closed, "agent1"));
        Assert.That(r.Outcome, Is.EqualTo(Outcome.Conflict));
        Assert.That(r.Error, Does.Contain("Accepted"));
        Assert.That((await Store.GetAsync(t.Id))!.Version, Is.EqualTo(t.Version));
        Assert.That(await Store.HistoryAsync(t.Id), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_stale_version_is_a_conflict_and_the_first_writer_wins()
    {
        var t = await CreateAsync(Complaint(Unique("dept")));
        var first = await Service.AssignAsync(t.Id, t.Version, "区城管局", "agent1", null);
        var second = await Service.AssignAsync(t.Id, t.Version, "区环保局", "agent2", null);
        Assert.That(first.Outcome, Is.EqualTo(Outcome.Ok));
        Assert.That(second.Outcome, Is.EqualTo(Outcome.Conflict));
        Assert.That(second.Error, Does.Contain("version 2"));
        var read = (await Store.GetAsync(t.Id))!;
        Assert.That(read.Department, Is.EqualTo("区城管局"));
        // The store's own check, below the service: an update naming an old version touches nothing.
        read.Department = "bypass";
        read.Version = 99;
        Assert.That(await Store.UpdateAsync(read, expectedVersion: 1, entry: null), Is.False);
        Assert.That((await Store.GetAsync(t.Id))!.Department, Is.EqualTo("区城管局"));
    }

    [Test]
    public async Task Notes_are_added_to_the_history()
    {
        var t = await CreateAsync(Complaint(Unique("dept")));
        var r = await Service.AddNoteAsync(t.Id, "agent2", "市民来电催办");
        Assert.That(r.Outcome, Is.EqualTo(Outcome.Ok));
        var history = await Store.HistoryAsync(t.Id);
        Assert.That(history[^1], Has.Property(nameof(HistoryEntry.Kind)).EqualTo(HistoryKind.Note).And.Property(nameof(HistoryEntry.Note)).EqualTo("市民来电催办"));
    }

    [Test]
    public async Task Merge_folds_a_duplicate_into_an_open_order()
    {
        var dept = Unique("dept");
        var main = await CreateAsync(Complaint(dept));
        var dup = await CreateAsync(Complaint(dept));
        dup = await MoveAsync(dup, TicketStatus.Merged, into: main.Id);
        Assert.That((await Store.GetAsync(dup.Id))!.MergedInto, Is.EqualTo(main.Id));
        var intoMissing = await Service.TransitionAsync(main.Id, main.Version, new TransitionRequest(TicketStatus.Merged, "agent1", MergedInto: 987654321));
        Assert.That(intoMissing.Outcome, Is.EqualTo(Outcome.Invalid));
    }

    [Test]
    public async Task Search_filters_by_each_field_and_pages_newest_first()
    {
        var dept = Unique("搜索局");
        var created = new List<Ticket>();
        for (var i = 0; i < 7; i++)
        {
            Time.Advance(TimeSpan.FromMinutes(1));
            created.Add(await CreateAsync(Complaint(dept, title: i % 2 == 0 ? $"路灯不亮 {i}" : $"井盖缺失 {i}") with { CallerPhone = $"1390000{i:0000}" }));
        }
        await MoveAsync(created[3], TicketStatus.Dispatched);

        var all = await Store.SearchAsync(new TicketQuery { Department = dept, PageSize = 3 });
        Assert.That(all.Total, Is.EqualTo(7));
        Assert.That(all.Items.Select(t => t.Id), Is.EqualTo(created.AsEnumerable().Reverse().Take(3).Select(t => t.Id)));
        var last = await Store.SearchAsync(new TicketQuery { Department = dept, PageSize = 3, Page = 3 });
        Assert.That(last.Items.Select(t => t.Id), Is.EqualTo(new[] { created[0].Id }));

        Assert.That((await Store.SearchAsync(new TicketQuery { Department = dept, Keyword = "路灯" })).Total, Is.EqualTo(4));
        Assert.That((await Store.SearchAsync(new TicketQuery { Department = dept, Keyword = "幸福路" })).Total, Is.EqualTo(7), "location is searched");
        Assert.That((await Store.SearchAsync(new TicketQuery { Department = dept, Keyword = "100%" })).Total, Is.EqualTo(0), "wildcards are literal");
        Assert.That((await Store.SearchAsync(new TicketQuery { Code = created[5].Code })).Items.Single().Id, Is.EqualTo(created[5].Id));
        Assert.That((await Store.SearchAsync(new TicketQuery { Department = dept, Phone = "13900000002" })).Items.Single().Id, Is.EqualTo(created[2].Id));
        Assert.That((await Store.SearchAsync(new TicketQuery { Department = dept, Status = TicketStatus.Dispatched })).Items.Single().Id, Is.EqualTo(created[3].Id));
        var window = await Store.SearchAsync(new TicketQuery { Department = dept, From = created[2].CreatedAt, To = created[5].CreatedAt });
        Assert.That(window.Items.Select(t => t.Id), Is.EqualTo(new[] { created[4].Id, created[3].Id, created[2].Id }));
    }

    [Test]
    public async Task A_query_code_collision_draws_a_new_code()
    {
        var taken = (await CreateAsync(Complaint(Unique("dept")))).Code;
        var draws = new Queue<string>([taken, taken, "100000000" + Codes.Verhoeff.Compute("100000000")]);
        var store = new TicketStore(Dialect, ConnectionString) { NewCode = () => draws.Count > 0 ? draws.Dequeue() : Codes.QueryCode.New() };
        var result = await NewService(store).CreateAsync(Complaint(Unique("dept")));
        Assert.That(result.Outcome, Is.EqualTo(Outcome.Ok));
        Assert.That(result.Ticket!.Code, Is.Not.EqualTo(taken));
        Assert.That(draws, Is.Empty, "two collisions, then the third draw");
    }

    [Test]
    public async Task Sixteen_concurrent_writers_create_10000_orders_with_unique_codes_and_no_lost_history()
    {
        var dept = Unique("并发局");
        const int writers = 16, each = 625;
        var ids = new System.Collections.Concurrent.ConcurrentBag<(long Id, string Code)>();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
            {
                var r = await Service.CreateAsync(Complaint(dept, title: $"writer {w} order {i}"));
                if (r.Outcome != Outcome.Ok) throw new AssertionException(r.Error ?? "create failed");
                ids.Add((r.Ticket!.Id, r.Ticket.Code));
            }
        })));
        Assert.That(ids.Select(x => x.Id).Distinct().Count(), Is.EqualTo(writers * each));
        Assert.That(ids.Select(x => x.Code).Distinct().Count(), Is.EqualTo(writers * each));
        Assert.That((await Store.SearchAsync(new TicketQuery { Department = dept })).Total, Is.EqualTo(writers * each));
        await using var connection = await Dialect.OpenAsync(ConnectionString);
        // Each caller got the id and code of its own row: the stored (id, code) pairs are exactly the returned ones.
        var stored = (await Dapper.SqlMapper.QueryAsync<(long, string)>(connection,
            "SELECT id, code FROM tickets WHERE department = @Dept", new { Dept = dept })).ToHashSet();
        Assert.That(stored.SetEquals(ids), Is.True, "stored (id, code) pairs differ from those the creates returned");
        // One Created row per order: none lost, none doubled.
        var history = (await Dapper.SqlMapper.QueryAsync<(long, long)>(connection,
            "SELECT COUNT(*), COUNT(DISTINCT h.ticket_id) FROM ticket_history h JOIN tickets t ON t.id = h.ticket_id WHERE t.department = @Dept AND h.kind = 'Created'",
            new { Dept = dept })).Single();
        Assert.That(history, Is.EqualTo(((long)writers * each, (long)writers * each)));
    }

    [Test]
    public async Task A_failing_order_fails_alone_and_its_batch_mates_commit()
    {
        var dept = Unique("批次局");
        Ticket New(string title, long? mergedInto = null) => new()
        {
            Version = 1, Channel = Channel.Web, Title = title, Description = "d", Type = TicketType.Help, Urgency = Urgency.Normal,
            Department = dept, Status = TicketStatus.Draft, CreatedAt = Time.GetUtcNow(), UpdatedAt = Time.GetUtcNow(), MergedInto = mergedInto,
        };
        HistoryEntry Created() => new(0, Time.GetUtcNow(), "agent1", HistoryKind.Created, null, TicketStatus.Draft, null);
        // Queued together, so they share the writer's batches; the bad one names an order that does not exist (foreign key).
        var good = Enumerable.Range(0, 20).Select(i => New($"good {i}")).ToList();
        var tasks = good.Take(10).Select(t => Store.InsertAsync(t, Created())).ToList();
        var bad = Store.InsertAsync(New("bad", mergedInto: 987654321), Created());
        tasks.AddRange(good.Skip(10).Select(t => Store.InsertAsync(t, Created())));
        Assert.That(async () => await bad, Throws.Exception);
        await Task.WhenAll(tasks);
        Assert.That(good.Select(t => t.Id).Distinct().Count(), Is.EqualTo(20));
        foreach (var t in good)
        {
            Assert.That((await Store.GetAsync(t.Id))!.Code, Is.EqualTo(t.Code));
            Assert.That(await Store.HistoryAsync(t.Id), Has.Count.EqualTo(1));
        }
        Assert.That((await Store.SearchAsync(new TicketQuery { Department = dept })).Total, Is.EqualTo(20), "the bad order left nothing");
        // The writer recovered: the next create commits.
        var after = New("after");
        await Store.InsertAsync(after, Created());
        Assert.That((await Store.GetAsync(after.Id))!.Title, Is.EqualTo("after"));
    }

    [Test]
    public async Task Sla_monitor_marks_warning_then_overdue_with_history_rows()
    {
        var t = await CreateAsync(Complaint(Unique("dept")) with { Urgency = Urgency.Urgent });
        var monitor = new SlaMonitor(Store, Time, NullLogger<SlaMonitor>.Instance);
        var start = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromMinutes(47));
        await monitor.RunOnceAsync();
        Assert.That((await Store.GetAsync(t.Id))!.SlaState, Is.EqualTo(SlaState.OnTime));
        Time.SetUtcNow(start.AddMinutes(49));
        Assert.That(await monitor.RunOnceAsync(), Is.GreaterThanOrEqualTo(1));
        Assert.That((await Store.GetAsync(t.Id))!.SlaState, Is.EqualTo(SlaState.Warning));
        Time.SetUtcNow(start.AddMinutes(61));
        await monitor.RunOnceAsync();
        var read = (await Store.GetAsync(t.Id))!;
        Assert.That(read.SlaState, Is.EqualTo(SlaState.Overdue));
        var sla = (await Store.HistoryAsync(t.Id)).Where(h => h.Kind == HistoryKind.Sla).Select(h => h.Note).ToList();
        Assert.That(sla, Has.Count.EqualTo(2));
        Assert.That(sla[1], Does.Contain("overdue"));
    }
}
