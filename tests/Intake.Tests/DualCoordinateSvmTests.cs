using Telephony.Intake.Classification;

namespace Telephony.Intake.Tests;

public class DualCoordinateSvmTests
{
    private static readonly string[] Categories = ["供水", "燃气", "交通"];

    // Tiny three-category set, featurized as training does.
    private static ClassifierTrainer.FeatureSet Set()
    {
        var texts = new (string, string)[]
        {
            ("停水了没有水", "供水"), ("自来水水压低", "供水"), ("水管爆裂停水", "供水"), ("小区停水三天", "供水"),
            ("燃气漏气有味道", "燃气"), ("天然气管道漏气", "燃气"), ("燃气表不走", "燃气"), ("煤气罐漏气", "燃气"),
            ("公交车不停站", "交通"), ("公交线路取消", "交通"), ("出租车拒载", "交通"), ("公交车司机态度差", "交通"),
        };
        return ClassifierTrainer.Featurize(texts.Select((t, i) => new Data.LabeledMessage($"m{i}", "", t.Item1, t.Item2)).ToList(),
            TrainingText.AsWritten with { MinimumNgramMessages = 1 });
    }

    private static int Predict(LinearHead head, SparseExample e, int k)
    {
        var best = 0;
        var bestScore = float.NegativeInfinity;
        for (var c = 0; c < k; c++)
        {
            var s = head.Bias[c];
            for (var i = 0; i < e.Ids.Length; i++) s += e.Values[i] * head.Weights[e.Ids[i] * k + c];
            if (s > bestScore) { bestScore = s; best = c; }
        }
        return best;
    }

    [TestCase(false)]
    [TestCase(true)]
    public void It_separates_a_small_separable_training_set(bool nbScale)
    {
        var set = Set();
        var k = set.Categories.Length;
        var head = DualCoordinateSvm.Train(set.Examples, k, set.Space.Count, nbScale, c: 1f);
        Assert.That(set.Examples.Count(e => Predict(head, e, k) == e.Label), Is.EqualTo(set.Examples.Count));
        Assert.That(head.Temperature, Is.GreaterThan(0));
        Assert.That(set.Categories, Is.EquivalentTo(Categories));
    }

    [Test]
    public void A_smaller_cost_gives_smaller_weights()
    {
        var set = Set();
        var k = set.Categories.Length;
        double Norm(float c) => DualCoordinateSvm.Train(set.Examples, k, set.Space.Count, nbScale: false, c: c).Weights.Sum(w => (double)w * w);
        Assert.That(Norm(0.01f), Is.LessThan(Norm(1f)));
    }

    [Test]
    public void Same_data_and_seed_give_the_same_weights()
    {
        var set = Set();
        var a = DualCoordinateSvm.Train(set.Examples, set.Categories.Length, set.Space.Count, nbScale: true);
        var b = DualCoordinateSvm.Train(set.Examples, set.Categories.Length, set.Space.Count, nbScale: true);
        Assert.That(b.Weights, Is.EqualTo(a.Weights));
        Assert.That(b.Bias, Is.EqualTo(a.Bias));
    }

    [Test]
    public void A_cost_that_is_not_positive_is_refused()
    {
        var set = Set();
        Assert.That(() => DualCoordinateSvm.Train(set.Examples, set.Categories.Length, set.Space.Count, nbScale: false, c: 0f),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("C must be positive"));
    }
}
