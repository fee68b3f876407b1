using Telephony.Intake.Data;
using Telephony.Intake.Similar;

namespace Telephony.Intake.Tests;

public class SimilarCaseIndexTests
{
    private const string Original =
        "A市A3区阳光花园小区3栋楼下的烧烤店每天营业到凌晨两三点，油烟直接排进居民楼，噪音很大，居民无法休息，多次向物业反映都没有结果，请相关部门尽快处理。";
    private const string Paraphrase =
        "我住阳光花园小区3栋，楼下那家烧烤店天天开到凌晨两三点，油烟都排进我们楼里，吵得居民根本没法休息，跟物业反映了好多次也没用，希望有关部门快点处理。";

    private static List<CaseRecord> Orders(int count)
    {
        var messages = MessageFile.Load(RepositoryPaths.RequireShared("data/hotline-messages/train.csv"));
        return messages.Take(count).Select((m, i) => new CaseRecord($"WO{i:D5}", m.Text, IsOpen: true)).ToList();
    }

    [Test]
    public void A_paraphrased_duplicate_is_found_among_1000_orders_and_proposed_for_merging()
    {
        var orders = Orders(999);
        orders.Insert(517, new CaseRecord("WO-DUP", Original, IsOpen: true));
        var index = SimilarCaseIndex.Build(orders);
        Assert.That(index.Count, Is.EqualTo(1000));

        var similar = index.Search(Paraphrase, top: 5);
        TestContext.Out.WriteLine(string.Join(", ", similar.Select(s => $"{s.OrderId} {s.Score:0.000}")));
        Assert.That(similar[0].OrderId, Is.EqualTo("WO-DUP"));
        Assert.That(similar[0].Score, Is.GreaterThan(similar[1].Score + 0.05), "the duplicate stands clear of the rest");
        Assert.That(index.ProposedDuplicate(similar)?.OrderId, Is.EqualTo("WO-DUP"));
    }

    [Test]
    public void An_unrelated_request_has_no_proposed_duplicate()
    {
        var orders = Orders(999);
        orders.Add(new CaseRecord("WO-DUP", Original, IsOpen: true));
        var index = SimilarCaseIndex.Build(orders);
        var similar = index.Search("我想咨询一下新生儿医保的办理流程和需要准备的材料");
        Assert.That(similar, Is.Not.Empty);
        Assert.That(similar.Select(s => s.OrderId), Does.Not.Contain("WO-DUP"));
        Assert.That(index.ProposedDuplicate(similar), Is.Null);
    }

    [Test]
    public void Closed_orders_are_not_proposed_unless_asked_for()
    {
        var index = new SimilarCaseIndex();
        index.Add(new CaseRecord("A", Original, IsOpen: true));
        index.Add(new CaseRecord("B", "公交车站的广告牌破损了，风一吹摇摇晃晃", IsOpen: true));
        Assert.That(index.SetOpen("A", false), Is.True);
        Assert.That(index.Search(Paraphrase).Select(s => s.OrderId), Does.Not.Contain("A"));
        Assert.That(index.Search(Paraphrase, includeClosed: true)[0].OrderId, Is.EqualTo("A"));
        Assert.That(index.SetOpen("missing", false), Is.False);
    }

    [Test]
    public void Adding_an_order_again_replaces_it()
    {
        var index = new SimilarCaseIndex();
        index.Add(new CaseRecord("A", "公交车站的广告牌破损了", IsOpen: true));
        index.Add(new CaseRecord("A", Original, IsOpen: true));
        Assert.That(index.Count, Is.EqualTo(1));
        Assert.That(index.Search("广告牌破损"), Is.Empty);
        Assert.That(index.Search(Paraphrase).Single().OrderId, Is.EqualTo("A"));
    }

    [Test]
    public void An_identical_text_scores_one_and_punctuation_does_not_matter()
    {
        var index = new SimilarCaseIndex();
        index.Add(new CaseRecord("A", Original, IsOpen: true));
        index.Add(new CaseRecord("B", "公交车站的广告牌破损了", IsOpen: true));
        var s = index.Search(Original.Replace("，", " ").Replace("。", "!"));
        Assert.That(s[0].Score, Is.EqualTo(1).Within(1e-6));
    }

    [Test]
    public void Orders_added_one_by_one_are_found_before_and_after_the_index_merges_them()
    {
        // 1,000 orders hold about 150,000 postings: the per-bigram delta is merged into the frozen array many
        // times on the way, and the duplicate (added early) and an exact copy (added last, still in the delta) are found.
        var index = new SimilarCaseIndex();
        var orders = Orders(998);
        for (var i = 0; i < orders.Count; i++)
        {
            if (i == 3) index.Add(new CaseRecord("WO-DUP", Original, IsOpen: true));
            index.Add(orders[i]);
        }
        const string Last = "公交车站的广告牌破损了，风一吹摇摇晃晃，随时可能砸到等车的人";
        index.Add(new CaseRecord("WO-LAST", Last, IsOpen: true));
        Assert.That(index.Count, Is.EqualTo(1000));
        var similar = index.Search(Paraphrase);
        Assert.That(similar[0].OrderId, Is.EqualTo("WO-DUP"));
        Assert.That(index.ProposedDuplicate(similar)?.OrderId, Is.EqualTo("WO-DUP"));
        Assert.That(index.Search(Last)[0], Is.EqualTo(new SimilarCase("WO-LAST", 1, true)).Using<SimilarCase>((a, b) => a.OrderId == b.OrderId && Math.Abs(a.Score - b.Score) < 1e-6));
    }
}
