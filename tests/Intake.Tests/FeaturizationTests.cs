using Telephony.Intake.Classification;

namespace Telephony.Intake.Tests;

public class FeaturizationTests
{
    [Test]
    public void Ngrams_stay_inside_a_run_of_letters_between_punctuation()
    {
        var keys = new ulong[4];
        var n = CharNgrams.Extract("漏水，物业", ref keys);
        var grams = keys[..n].Select(CharNgrams.Text).ToList();
        Assert.That(grams, Is.EquivalentTo(new[] { "漏", "水", "漏水", "物", "业", "物业" }));
    }

    [Test]
    public void A_message_becomes_a_unit_length_vector_with_repeated_ngrams_counted_sublinearly()
    {
        var space = NgramFeatureSpace.Fit(["燃气漏气", "燃气漏气了", "停水停电", "燃气"], minimumMessages: 2);
        var s = new FeatureScratch();
        space.Featurize("燃气燃气燃气漏气", s, sortIds: true);
        var values = s.Values[..s.Count];
        Assert.That(values.Sum(v => (double)v * v), Is.EqualTo(1.0).Within(1e-5));
        Assert.That(s.Ids[..s.Count], Is.Ordered.And.Unique);
        // 燃气 three times weighs 1 + ln 3 times its idf, not 3 times.
        var id = Array.IndexOf(space.Keys.ToArray(), space.Keys.ToArray().Single(k => CharNgrams.Text(k) == "燃气"));
        var once = new FeatureScratch();
        space.Featurize("燃气", once);
        Assert.That(values[Array.IndexOf(s.Ids, id, 0, s.Count)], Is.GreaterThan(0));
        Assert.That(once.Count, Is.EqualTo(3), "燃, 气, 燃气");
    }

    [Test]
    public void Prediction_order_of_ids_gives_the_same_features_as_the_sorted_training_order()
    {
        var space = NgramFeatureSpace.Fit(["燃气漏气", "燃气漏气了", "停水停电", "燃气", "漏气了停水"], minimumMessages: 2);
        var sorted = new FeatureScratch();
        var unsorted = new FeatureScratch();
        space.Featurize("停水了，燃气漏气燃气", sorted, sortIds: true);
        space.Featurize("停水了，燃气漏气燃气", unsorted);
        var a = Enumerable.Range(0, sorted.Count).ToDictionary(i => sorted.Ids[i], i => sorted.Values[i]);
        var b = Enumerable.Range(0, unsorted.Count).ToDictionary(i => unsorted.Ids[i], i => unsorted.Values[i]);
        Assert.That(b, Is.EquivalentTo(a));
        Assert.That(space.IdOf(0xdead), Is.EqualTo(-1), "an unknown key has no id");
    }

    [Test]
    public void Text_without_letters_or_digits_gives_no_features()
    {
        var space = NgramFeatureSpace.Fit(["燃气漏气", "燃气漏气了"], minimumMessages: 2);
        var s = new FeatureScratch();
        space.Featurize("!!!", s);
        Assert.That(s.Count, Is.Zero);
    }
}
