namespace Telephony.Tickets.Tests.Domain;

/// <summary>Every (from, to) pair of statuses: the legal ones pass with a complete request, the others are refused with a reason.</summary>
public class LifecycleTests
{
    private static readonly (TicketStatus From, TicketStatus To)[] Legal =
    [
        (TicketStatus.Draft, TicketStatus.Accepted), (TicketStatus.Draft, TicketStatus.Merged),
        (TicketStatus.Accepted, TicketStatus.Dispatched), (TicketStatus.Accepted, TicketStatus.Replied), (TicketStatus.Accepted, TicketStatus.Merged),
        (TicketStatus.Dispatched, TicketStatus.InProgress), (TicketStatus.Dispatched, TicketStatus.Returned),
        (TicketStatus.Dispatched, TicketStatus.Escalated), (TicketStatus.Dispatched, TicketStatus.Merged),
        (TicketStatus.InProgress, TicketStatus.Replied), (TicketStatus.InProgress, TicketStatus.Returned), (TicketStatus.InProgress, TicketStatus.Escalated),
        (TicketStatus.Returned, TicketStatus.Dispatched), (TicketStatus.Returned, TicketStatus.Merged),
        (TicketStatus.Escalated, TicketStatus.Dispatched), (TicketStatus.Escalated, TicketStatus.InProgress), (TicketStatus.Escalated, TicketStatus.Replied),
        (TicketStatus.Replied, TicketStatus.Visited), (TicketStatus.Replied, TicketStatus.Closed),
        (TicketStatus.Visited, TicketStatus.Closed), (TicketStatus.Visited, TicketStatus.Reopened),
        (TicketStatus.Reopened, TicketStatus.Dispatched), (TicketStatus.Reopened, TicketStatus.InProgress),
    ];

    public static IEnumerable<TestCaseData> LegalPairs() =>
        Legal.Select(p => new TestCaseData(p.From, p.To).SetName($"Legal_{p.From}_to_{p.To}_is_allowed"));

    public static IEnumerable<TestCaseData> IllegalPairs() =>
        from f in Enum.GetValues<TicketStatus>()
        from t in Enum.GetValues<TicketStatus>()
        where !Legal.Contains((f, t))
        select new TestCaseData(f, t).SetName($"Illegal_{f}_to_{t}_is_refused");

    [TestCaseSource(nameof(LegalPairs))]
    public void Legal_transition_is_allowed(TicketStatus from, TicketStatus to)
    {
        var ticket = TicketIn(from, to == TicketStatus.Reopened ? Satisfaction.Dissatisfied : Satisfaction.Satisfied);
        Assert.That(Lifecycle.Check(ticket, CompleteRequest(to)), Is.Null);
    }

    [TestCaseSource(nameof(IllegalPairs))]
    public void Illegal_transition_is_refused(TicketStatus from, TicketStatus to)
    {
        var reason = Lifecycle.Check(TicketIn(from, Satisfaction.Dissatisfied), CompleteRequest(to));
        Assert.That(reason, Is.Not.Null.And.Contains(from.ToString()));
    }

    [Test]
    public void The_table_has_exactly_the_legal_pairs()
    {
        var table = Lifecycle.Table.SelectMany(kv => kv.Value.Select(to => (kv.Key, to))).ToHashSet();
        Assert.That(table, Is.EquivalentTo(Legal));
        Assert.That(Lifecycle.Table.Keys, Is.EquivalentTo(Enum.GetValues<TicketStatus>()), "every status has a row");
    }

    [Test]
    public void A_visit_without_a_rating_is_refused() =>
        Assert.That(Lifecycle.Check(TicketIn(TicketStatus.Replied), new TransitionRequest(TicketStatus.Visited, "agent")), Does.Contain("satisfaction"));

    [Test]
    public void A_satisfied_order_cannot_be_reopened() =>
        Assert.That(Lifecycle.Check(TicketIn(TicketStatus.Visited, Satisfaction.Satisfied), CompleteRequest(TicketStatus.Reopened)), Does.Contain("Dissatisfied"));

    [Test]
    public void A_dissatisfied_order_is_reopened_not_closed() =>
        Assert.That(Lifecycle.Check(TicketIn(TicketStatus.Visited, Satisfaction.Dissatisfied), CompleteRequest(TicketStatus.Closed)), Does.Contain("reopen"));

    [Test]
    public void A_merge_names_its_target_and_not_itself()
    {
        var t = TicketIn(TicketStatus.Accepted);
        Assert.That(Lifecycle.Check(t, new TransitionRequest(TicketStatus.Merged, "agent")), Does.Contain("mergedInto"));
        Assert.That(Lifecycle.Check(t, new TransitionRequest(TicketStatus.Merged, "agent", MergedInto: t.Id)), Does.Contain("itself"));
    }

    [Test]
    public void Dispatch_needs_a_department()
    {
        var t = TicketIn(TicketStatus.Accepted);
        t.Department = null;
        Assert.That(Lifecycle.Check(t, new TransitionRequest(TicketStatus.Dispatched, "agent")), Does.Contain("department"));
    }

    [Test]
    public void A_reply_needs_its_text() =>
        Assert.That(Lifecycle.Check(TicketIn(TicketStatus.InProgress), new TransitionRequest(TicketStatus.Replied, "dept")), Does.Contain("note"));

    private static Ticket TicketIn(TicketStatus status, Satisfaction? rating = null) =>
        new() { Id = 7, Status = status, Department = "区住建局", Satisfaction = status == TicketStatus.Visited ? rating : null };

    private static TransitionRequest CompleteRequest(TicketStatus to) =>
        new(to, "agent", Note: "处理意见", Satisfaction: Satisfaction.Satisfied, MergedInto: 99, Department: "区住建局");
}
